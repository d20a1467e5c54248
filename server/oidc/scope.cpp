#include "oidc/scope.h"

#include <algorithm>
#include <charconv>

namespace idpd::oidc {

std::vector<std::string> split_scope(std::string_view text) {
    std::vector<std::string> scopes;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string token(text.substr(start, end - start));
        if (!token.empty() && std::ranges::find(scopes, token) == scopes.end()) {
            scopes.push_back(std::move(token));
        }
        start = end + 1;
    }
    return scopes;
}

std::string join_scope(const std::vector<std::string>& scopes) {
    std::string text;
    for (const auto& scope : scopes) {
        if (!text.empty()) {
            text += ' ';
        }
        text += scope;
    }
    return text;
}

bool is_scope_token(std::string_view token) {
    if (token.empty()) {
        return false;
    }
    return std::ranges::all_of(token, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
    });
}

Result<std::vector<std::string>> resolve_scope(const std::optional<std::string>& requested,
                                               const std::vector<std::string>& allowed) {
    if (!requested) {
        return allowed;
    }
    // Tokens are separated by exactly one space (RFC 6749 §3.3); anything else is malformed.
    std::size_t start = 0;
    while (start <= requested->size()) {
        std::size_t end = requested->find(' ', start);
        if (end == std::string::npos) {
            end = requested->size();
        }
        if (!is_scope_token(std::string_view(*requested).substr(start, end - start))) {
            return fail(ErrorCode::invalid_scope, "scope is not a list of scope tokens");
        }
        start = end + 1;
    }
    auto scopes = split_scope(*requested);
    for (const auto& scope : scopes) {
        if (std::ranges::find(allowed, scope) == allowed.end()) {
            return fail(ErrorCode::invalid_scope,
                        "scope " + scope + " is not allowed for this client");
        }
    }
    return scopes;
}

std::optional<std::int64_t> org_scope_id(std::string_view scope) {
    constexpr std::string_view prefix = "org:";
    if (!scope.starts_with(prefix) || scope.size() == prefix.size() || scope.size() > 23 ||
        scope[prefix.size()] == '0') {
        return std::nullopt;
    }
    std::int64_t id = 0;
    const char* first = scope.data() + prefix.size();
    const char* last = scope.data() + scope.size();
    auto [end, ec] = std::from_chars(first, last, id);
    if (ec != std::errc() || end != last || id <= 0) {
        return std::nullopt;
    }
    return id;
}

std::vector<std::int64_t> org_scope_ids(const std::vector<std::string>& scopes) {
    std::vector<std::int64_t> ids;
    for (const auto& scope : scopes) {
        if (auto id = org_scope_id(scope)) {
            ids.push_back(*id);
        }
    }
    return ids;
}

}  // namespace idpd::oidc
