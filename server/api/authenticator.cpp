#include "api/authenticator.h"

#include <charconv>

#include "api/reply.h"
#include "oidc/bearer.h"
#include "oidc/scope.h"

namespace idpd::api {

namespace {

http::HttpResponse invalid_token(std::string_view message) {
    auto response = error(401, "invalid_token", message);
    response.headers.set("WWW-Authenticate",
                         "Bearer realm=\"idpd\", error=\"invalid_token\", error_description=\"" +
                             std::string(message) + "\"");
    return response;
}

http::HttpResponse unavailable() {
    auto response = error(503, "temporarily_unavailable", "the account service is unavailable");
    response.headers.set("Retry-After", "1");
    return response;
}

// The organization an `org:<id>` scope limits the token to; the last one wins, and the
// authorization endpoint lets a request name at most one.
std::optional<std::int64_t> scoped_org(const std::vector<std::string>& scopes) {
    std::optional<std::int64_t> org;
    for (const auto& scope : scopes) {
        if (!scope.starts_with("org:")) {
            continue;
        }
        std::int64_t id = 0;
        const char* first = scope.data() + 4;
        const char* last = scope.data() + scope.size();
        auto [end, ec] = std::from_chars(first, last, id);
        if (ec == std::errc() && end == last && id > 0) {
            org = id;
        }
    }
    return org;
}

}  // namespace

std::expected<Caller, http::HttpResponse> Authenticator::authenticate(const http::HttpRequest& req,
                                                                      std::string_view scope,
                                                                      bool needs_user) const {
    const auto presented = oidc::bearer_token(req);
    if (!presented || presented->empty()) {
        auto response = error(401, "invalid_token",
                              "send an access token or an API key as "
                              "Authorization: Bearer <token>");
        response.headers.set("WWW-Authenticate", "Bearer realm=\"idpd\"");
        return std::unexpected(std::move(response));
    }
    std::expected<Caller, http::HttpResponse> caller;
    if (presented->starts_with(api_key_prefix)) {
        auto found = keys_ ? keys_(*presented, req.client_ip)
                           : store::Result<std::optional<Caller>>(std::nullopt);
        if (!found) {
            return std::unexpected(unavailable());
        }
        if (!*found) {
            return std::unexpected(invalid_token("the API key is unknown, revoked or expired"));
        }
        caller = std::move(**found);
    } else {
        caller = from_access_token(*presented);
    }
    if (!caller) {
        return caller;
    }
    if (!caller->has_scope(scope)) {
        auto response =
            error(403, "insufficient_scope", "this call needs the scope " + std::string(scope));
        response.headers.set("WWW-Authenticate",
                             "Bearer realm=\"idpd\", error=\"insufficient_"
                             "scope\", scope=\"" +
                                 std::string(scope) + "\"");
        return std::unexpected(std::move(response));
    }
    if (needs_user && !caller->user_id) {
        return std::unexpected(
            error(403, "insufficient_scope", "this call acts for a user; the token names none"));
    }
    return caller;
}

std::expected<Caller, http::HttpResponse> Authenticator::from_access_token(
    std::string_view token) const {
    auto active = tokens_.read(token);
    if (!active) {
        return std::unexpected(unavailable());
    }
    if (!*active) {
        return std::unexpected(invalid_token("the access token is invalid or has expired"));
    }
    const oidc::ActiveAccessToken& found = **active;
    if (!found.jkt.empty()) {
        return std::unexpected(
            invalid_token("a DPoP-bound access token cannot be used as a Bearer token"));
    }
    Caller caller;
    caller.kind = Caller::Kind::access_token;
    caller.client_id = found.client_id;
    caller.scopes = oidc::split_scope(found.scope);
    caller.org_id = scoped_org(caller.scopes);
    // A client-credentials token carries no sign-in; its sub is the client itself.
    if (found.authn.auth_time != 0) {
        auto user = subjects_.user_of(found.subject);
        if (!user) {
            return std::unexpected(unavailable());
        }
        if (!*user) {
            return std::unexpected(invalid_token("the access token does not name a user"));
        }
        caller.user_id = **user;
    }
    return caller;
}

}  // namespace idpd::api
