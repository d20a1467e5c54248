#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>

#include "web/locale.h"

namespace idpd::web {

// The page templates and their strings, read once at start from `templates_dir`:
//   layout.mustache     the frame of every page; it includes the page as the partial "page"
//   partials/*.mustache shared pieces ({{> field}}, {{> lang_switch}}, …)
//   <page>.mustache     one per page (signin, signup, account, terms, error)
//   i18n/zh-CN.json, i18n/en.json  every string a page shows, nested objects of strings
// Templates use {{ }} only, which escapes & < > " ' (http::html_escape); {{{ }}} is never used,
// and every attribute value is double-quoted. The catalogs must
// have exactly the same keys (checked here), so no page shows a blank in one language.
class Renderer {
public:
    // Throws std::runtime_error naming the file when a template or catalog is missing or
    // malformed, or the catalogs' keys differ.
    explicit Renderer(const std::filesystem::path& templates_dir);

    // The layout around `page`, with `data` plus {{lang}} (the locale's tag) and {{t.…}} (its
    // catalog). Throws std::out_of_range for an unknown page (a programming error).
    std::string render(std::string_view page, Locale locale, mstch::map data) const;

    // One catalog string by its dotted key ("errors.signin.failed"), with every "{name}"
    // replaced by the value of `args` named so. An unknown key returns the key itself.
    std::string text(Locale locale, std::string_view key,
                     const std::map<std::string, std::string>& args = {}) const;

    // Every "a.b.c" key of a catalog (for tests).
    static std::vector<std::string> keys(const nlohmann::json& catalog);

    const nlohmann::json& catalog(Locale locale) const {
        return catalogs_[static_cast<int>(locale)];
    }

private:
    std::string layout_;
    std::map<std::string, std::string, std::less<>> pages_;
    std::map<std::string, std::string> partials_;
    nlohmann::json catalogs_[2];
    mstch::map strings_[2];
};

}  // namespace idpd::web
