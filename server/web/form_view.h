// Small helpers the page handlers share: field limits, form field views, time formatting,
// query parameters and return-to targets.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mstch/mstch.hpp>

#include "http/request.h"

namespace idpd::web {

// Field limits in bytes, before any rule: generous for real input, small enough that nothing
// hostile reaches Argon2id or the database (a username is at most 20 CJK code points = 80 bytes).
inline constexpr std::size_t max_identifier_bytes = 254;
inline constexpr std::size_t max_username_bytes = 80;
inline constexpr std::size_t max_email_bytes = 254;
inline constexpr std::size_t max_password_bytes = 1024;

// "2026-11-22 08:30" (UTC) and the ISO form for <time datetime>.
std::string format_time(std::chrono::sys_seconds t);
std::string iso_time(std::chrono::sys_seconds t);

// The first value of query parameter `name`, or empty.
std::string first_query_param(const http::HttpRequest& req, std::string_view name);

// A validated return-to target (web/return_to.h), or empty.
std::string checked_return_to(std::string_view target);

// `path`, with ?return_to= when there is one.
std::string with_return_to(std::string_view path, const std::string& return_to);

// `target` (a path and query) with `name=value` added to its query.
std::string with_param(std::string_view target, std::string_view name, std::string_view value);

// `target` with every ui_locales parameter set to `tag`, also inside its return_to (the sign-in
// page's way back to /authorize, which names ui_locales again), so the language a person picks
// with the switch outlasts the one the RP asked for. Without ui_locales, `target` unchanged.
std::string replace_ui_locales(std::string_view target, std::string_view tag);

// "Chrome", "Windows" from a User-Agent header: enough for a person to recognise a device.
std::pair<std::string, std::string> describe_agent(std::string_view ua);

mstch::array to_array(const std::vector<std::string>& items);

// One labelled input of templates/partials/field.mustache.
struct FieldView {
    std::string id, label, type, value, autocomplete, hint;
    std::vector<std::string> errors;
    bool autofocus = false;
    bool spellcheck_off = false;
};

// The keyboard starts in the first field with a problem, or in the first field.
void focus_first_problem(std::vector<FieldView>& views);

mstch::node field(const FieldView& f);

}  // namespace idpd::web
