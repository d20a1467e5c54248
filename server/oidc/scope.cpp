#include "oidc/scope.h"

#include <algorithm>

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

}  // namespace idpd::oidc
