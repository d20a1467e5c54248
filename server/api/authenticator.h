#pragma once

#include <expected>
#include <string_view>

#include "api/caller.h"
#include "http/request.h"
#include "oidc/access_token_reader.h"
#include "oidc/subject_mapper.h"

namespace idpd::api {

// Authenticates calls to the account API (/api/v1). The credential is an
// `Authorization: Bearer` header holding either
// - an access token we issued (JWT or opaque, active, read like introspection reads it); its
//   `sub` maps back to the local user, and a scope `org:<id>` makes it organization-scoped; or
// - an API key (prefix api_key_prefix), resolved by the key store's ApiKeyLookup.
// DPoP-bound access tokens are refused here: the account API does not check proofs, and a
// bound token must not work without its key (RFC 9449 §7.2).
class Authenticator {
public:
    Authenticator(oidc::AccessTokenReader& tokens, oidc::SubjectMapper& subjects)
        : tokens_(tokens), subjects_(subjects) {}

    // Set once by app/ before serving, when API keys exist.
    void set_api_keys(ApiKeyLookup keys) { keys_ = std::move(keys); }

    // The caller when the credential is valid and carries `scope`; otherwise the answer to
    // send: 401 invalid_token (with WWW-Authenticate: Bearer), 403 insufficient_scope, or 503
    // when the database failed. `needs_user`: refuse a token that names no user (client
    // credentials) with 403.
    std::expected<Caller, http::HttpResponse> authenticate(const http::HttpRequest& req,
                                                           std::string_view scope,
                                                           bool needs_user = true) const;

private:
    std::expected<Caller, http::HttpResponse> from_access_token(std::string_view token) const;

    oidc::AccessTokenReader& tokens_;
    oidc::SubjectMapper& subjects_;
    ApiKeyLookup keys_;
};

}  // namespace idpd::api
