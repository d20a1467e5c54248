#include "http/multipart.h"

#include <algorithm>
#include <cctype>

namespace idpd::http {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// The value of parameter `name` in a header like `form-data; name="x"; filename="y"`.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
    std::size_t at = header.find(';');
    while (at != std::string_view::npos) {
        std::string_view rest = header.substr(at + 1);
        const auto next = rest.find(';');
        std::string_view item = trim(rest.substr(0, next));
        const auto eq = item.find('=');
        if (eq != std::string_view::npos && lower(trim(item.substr(0, eq))) == name) {
            std::string_view value = trim(item.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return std::string(value);
        }
        at = next == std::string_view::npos ? next : at + 1 + next;
    }
    return std::nullopt;
}

std::optional<FormPart> parse_part(std::string_view part) {
    const auto end = part.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    FormPart out;
    std::string_view headers = part.substr(0, end);
    out.body = std::string(part.substr(end + 4));
    while (!headers.empty()) {
        const auto line_end = headers.find("\r\n");
        std::string_view line = headers.substr(0, line_end);
        headers =
            line_end == std::string_view::npos ? std::string_view{} : headers.substr(line_end + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string field = lower(trim(line.substr(0, colon)));
        std::string_view value = trim(line.substr(colon + 1));
        if (field == "content-disposition") {
            out.name = parameter(value, "name").value_or("");
            out.filename = parameter(value, "filename");
        } else if (field == "content-type") {
            out.content_type = std::string(value);
        }
    }
    if (out.name.empty()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::optional<std::vector<FormPart>> parse_multipart(const HttpRequest& req,
                                                     std::size_t max_parts) {
    const std::string type = req.headers.get("Content-Type").value_or("");
    if (!lower(type).starts_with("multipart/form-data")) {
        return std::nullopt;
    }
    const auto boundary = parameter(type, "boundary");
    // RFC 2046 §5.1.1: 1 to 70 characters.
    if (!boundary || boundary->empty() || boundary->size() > 70) {
        return std::nullopt;
    }
    const std::string delimiter = "--" + *boundary;
    std::string_view body = req.body;
    if (!body.starts_with(delimiter)) {
        return std::nullopt;
    }
    std::vector<FormPart> parts;
    std::size_t at = delimiter.size();
    const std::string next_delimiter = "\r\n" + delimiter;
    while (true) {
        if (body.substr(at).starts_with("--")) {
            return parts;  // the close delimiter
        }
        if (!body.substr(at).starts_with("\r\n") || parts.size() >= max_parts) {
            return std::nullopt;
        }
        at += 2;
        const auto end = body.find(next_delimiter, at);
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        auto part = parse_part(body.substr(at, end - at));
        if (!part) {
            return std::nullopt;
        }
        parts.push_back(std::move(*part));
        at = end + next_delimiter.size();
    }
}

}  // namespace idpd::http
