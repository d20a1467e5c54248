#include "web/form_view.h"

#include <ctime>

#include "web/return_to.h"

namespace idpd::web {

using http::HttpRequest;

std::string format_time(std::chrono::sys_seconds t) {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

std::string iso_time(std::chrono::sys_seconds t) {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string first_query_param(const HttpRequest& req, std::string_view name) {
    for (const auto& [key, value] : req.query_params()) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

std::string checked_return_to(std::string_view target) {
    return safe_return_to(target).value_or("");
}

std::string with_return_to(std::string_view path, const std::string& return_to) {
    return return_to.empty() ? std::string(path)
                             : std::string(path) + "?return_to=" + http::url_encode(return_to);
}

std::string with_param(std::string_view target, std::string_view name, std::string_view value) {
    const char separator = target.find('?') == std::string_view::npos ? '?' : '&';
    return std::string(target) + separator + std::string(name) + "=" + http::url_encode(value);
}

namespace {

// replace_ui_locales, looking `depth` return_to levels deep (two: /signin → /authorize).
std::string replace_ui_locales_in(std::string_view target, std::string_view tag, int depth) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) {
        return std::string(target);
    }
    std::string out(target.substr(0, q + 1));
    std::string_view rest = target.substr(q + 1);
    bool first = true;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        std::string_view item = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        const auto eq = item.find('=');
        const std::string_view key = item.substr(0, eq);
        std::string replaced(item);
        if (key == "ui_locales") {
            replaced = "ui_locales=" + http::url_encode(tag);
        } else if (key == "return_to" && eq != std::string_view::npos && depth > 0) {
            const std::string inner = http::url_decode(item.substr(eq + 1), true);
            replaced =
                "return_to=" + http::url_encode(replace_ui_locales_in(inner, tag, depth - 1));
        }
        out += (first ? "" : "&") + replaced;
        first = false;
    }
    return out;
}

}  // namespace

std::string replace_ui_locales(std::string_view target, std::string_view tag) {
    return replace_ui_locales_in(target, tag, 2);
}

std::pair<std::string, std::string> describe_agent(std::string_view ua) {
    auto has = [&](std::string_view s) {
        return ua.find(s) != std::string_view::npos;
    };
    std::string browser;
    if (has("Edg/")) {
        browser = "Edge";
    } else if (has("OPR/")) {
        browser = "Opera";
    } else if (has("Firefox/")) {
        browser = "Firefox";
    } else if (has("Chrome/") || has("Chromium/")) {
        browser = "Chrome";
    } else if (has("Safari/")) {
        browser = "Safari";
    } else if (has("curl/")) {
        browser = "curl";
    }
    std::string os;
    if (has("Windows")) {
        os = "Windows";
    } else if (has("Android")) {
        os = "Android";
    } else if (has("iPhone") || has("iPad")) {
        os = "iOS";
    } else if (has("CrOS")) {
        os = "ChromeOS";
    } else if (has("Mac OS X") || has("Macintosh")) {
        os = "macOS";
    } else if (has("Linux")) {
        os = "Linux";
    }
    return {browser, os};
}

mstch::array to_array(const std::vector<std::string>& items) {
    mstch::array out;
    for (const auto& item : items) {
        out.emplace_back(item);
    }
    return out;
}

void focus_first_problem(std::vector<FieldView>& views) {
    for (auto& view : views) {
        if (!view.errors.empty()) {
            view.autofocus = true;
            return;
        }
    }
    views.front().autofocus = true;
}

mstch::node field(const FieldView& f) {
    return mstch::map{
        {"id", f.id},
        {"name", f.id},
        {"label", f.label},
        {"type", f.type},
        {"value", f.value},
        {"autocomplete", f.autocomplete},
        {"hint", f.hint.empty() ? mstch::node(false) : mstch::node(f.hint)},
        {"errors", to_array(f.errors)},
        {"invalid", !f.errors.empty()},
        {"autofocus", f.autofocus},
        {"spellcheck_off", f.spellcheck_off},
    };
}

}  // namespace idpd::web
