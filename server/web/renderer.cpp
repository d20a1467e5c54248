#include "web/renderer.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "http/errors.h"

namespace idpd::web {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("templates: cannot read " + path.string());
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

mstch::node to_node(const nlohmann::json& value, const std::string& where) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (!value.is_object()) {
        throw std::runtime_error("templates: " + where + ": catalog values are strings or objects");
    }
    mstch::map map;
    for (const auto& [key, child] : value.items()) {
        map.emplace(key, to_node(child, where + "." + key));
    }
    return map;
}

void collect(const nlohmann::json& value, const std::string& prefix,
             std::vector<std::string>& out) {
    if (!value.is_object()) {
        out.push_back(prefix);
        return;
    }
    for (const auto& [key, child] : value.items()) {
        collect(child, prefix.empty() ? key : prefix + "." + key, out);
    }
}

}  // namespace

Renderer::Renderer(const std::filesystem::path& dir) {
    // mstch's own escaping also turns '/' into "&#x2F;", which makes every path in an href
    // unreadable and gains nothing: every attribute in templates/ is double-quoted, so
    // & < > " ' are the characters that matter. (A process-wide setting of mstch; idpd has
    // no other mstch user.)
    mstch::config::escape = [](const std::string& text) {
        return http::html_escape(text);
    };
    layout_ = read_file(dir / "layout.mustache");
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".mustache" &&
            entry.path().stem() != "layout") {
            pages_.emplace(entry.path().stem().string(), read_file(entry.path()));
        }
    }
    if (std::filesystem::is_directory(dir / "partials")) {
        for (const auto& entry : std::filesystem::directory_iterator(dir / "partials")) {
            if (entry.is_regular_file() && entry.path().extension() == ".mustache") {
                partials_.emplace(entry.path().stem().string(), read_file(entry.path()));
            }
        }
    }
    for (Locale locale : {Locale::zh_cn, Locale::en}) {
        const auto path = dir / "i18n" / (std::string(locale_tag(locale)) + ".json");
        nlohmann::json catalog;
        try {
            catalog = nlohmann::json::parse(read_file(path));
        } catch (const nlohmann::json::exception& e) {
            throw std::runtime_error("templates: " + path.string() + ": " + e.what());
        }
        strings_[static_cast<int>(locale)] =
            boost::get<mstch::map>(to_node(catalog, path.filename().string()));
        catalogs_[static_cast<int>(locale)] = std::move(catalog);
    }
    if (keys(catalogs_[0]) != keys(catalogs_[1])) {
        throw std::runtime_error(
            "templates: i18n/zh-CN.json and i18n/en.json must have the same keys");
    }
}

std::string Renderer::render(std::string_view page, Locale locale, mstch::map data) const {
    auto found = pages_.find(page);
    if (found == pages_.end()) {
        throw std::out_of_range("no template " + std::string(page));
    }
    auto partials = partials_;
    partials["page"] = found->second;
    data["lang"] = std::string(locale_tag(locale));
    data["t"] = strings_[static_cast<int>(locale)];
    return mstch::render(layout_, data, partials);
}

std::string Renderer::text(Locale locale, std::string_view key,
                           const std::map<std::string, std::string>& args) const {
    const nlohmann::json* node = &catalogs_[static_cast<int>(locale)];
    std::string_view rest = key;
    while (!rest.empty()) {
        auto dot = rest.find('.');
        std::string part(rest.substr(0, dot));
        rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
        if (!node->is_object() || !node->contains(part)) {
            return std::string(key);
        }
        node = &(*node)[part];
    }
    if (!node->is_string()) {
        return std::string(key);
    }
    std::string out = node->get<std::string>();
    for (const auto& [name, value] : args) {
        const std::string placeholder = "{" + name + "}";
        for (auto at = out.find(placeholder); at != std::string::npos;
             at = out.find(placeholder, at + value.size())) {
            out.replace(at, placeholder.size(), value);
        }
    }
    return out;
}

std::vector<std::string> Renderer::keys(const nlohmann::json& catalog) {
    std::vector<std::string> out;
    collect(catalog, "", out);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace idpd::web
