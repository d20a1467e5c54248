#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oidc/authorize/authorize_request.h"
#include "oidc/client.h"
#include "oidc/client_store.h"
#include "oidc/errors.h"

// The checks of /authorize, one rule per file (authorize/check_*.cpp), each a function of typed
// inputs. The endpoint runs them in order: client and redirect_uri first (their errors are shown
// on a page, never redirected), then the rest (redirected back to the client).
namespace idpd::oidc {

// check_client.cpp. Errors: invalid_request (client_id missing, unknown client: shown on a
// page), temporarily_unavailable / server_error (database).
Result<Client> check_client(ClientStore& clients, const AuthorizeRequest& request);

// check_redirect_uri.cpp: the registered redirect URI the request names. Errors:
// invalid_request (shown on a page).
Result<std::string> check_redirect_uri(const Client& client, const AuthorizeRequest& request);

// check_redirect_uri.cpp: whether `presented` matches `registered`: exactly, or, for an http
// loopback IP literal, with any port (RFC 8252 §7.3).
bool redirect_uri_matches(std::string_view registered, std::string_view presented);

// check_no_repeats.cpp. Errors: invalid_request.
Result<void> check_no_repeats(const AuthorizeRequest& request);

// check_client_grant.cpp. Errors: unauthorized_client.
Result<void> check_client_grant(const Client& client);

// check_response_type.cpp. Errors: invalid_request (missing), unsupported_response_type.
Result<void> check_response_type(const AuthorizeRequest& request);

enum class ResponseMode { query, form_post };

// check_response_mode.cpp. Errors: invalid_request.
Result<ResponseMode> check_response_mode(const AuthorizeRequest& request);

// check_pkce.cpp. Errors: invalid_request.
Result<void> check_pkce(const AuthorizeRequest& request);

// check_scope.cpp: the scopes granted. An organization scope org:<id> (oidc/scope.h) is
// allowed to a client registered for the `orgs` scope, at most one per request (whether the
// user belongs to it is checked once the user is known). Errors: invalid_scope.
Result<std::vector<std::string>> check_scope(const Client& client, const AuthorizeRequest& request);

// The prompt values of OIDC Core §3.1.2.1 we act on.
struct Prompt {
    bool none = false;
    bool login = false;
    bool consent = false;
    bool select_account = false;
};

// check_prompt.cpp. Errors: invalid_request.
Result<Prompt> check_prompt(const AuthorizeRequest& request);

// check_max_age.cpp: max_age in seconds, if given. Errors: invalid_request.
Result<std::optional<std::int64_t>> check_max_age(const AuthorizeRequest& request);

// What a request asks of the authentication level (auth/acr.h names the two levels).
struct AcrRequest {
    bool wants_mfa = false;     // the MFA level is the first acceptable value
    bool requires_mfa = false;  // and nothing less will do
};

// check_acr.cpp: acr_values (OIDC Core §3.1.2.1) and the claims parameter's id_token.acr
// (§5.5.1.1). Errors: invalid_request (claims is not a JSON object, or its acr member is
// malformed), unmet_authentication_requirements (an essential acr naming none of our values).
Result<AcrRequest> check_acr(const AuthorizeRequest& request);

// check_claims.cpp: the claims parameter's individual claims (OIDC Core §5.5) for the ID
// token: the standard claims it names, space-separated ("" without any); claims we do not
// know are ignored, and userinfo's are answered by scope anyway. Errors: invalid_request
// (not a JSON object, or id_token / userinfo not objects).
Result<std::string> check_claims(const AuthorizeRequest& request);

// What the checks after client and redirect_uri establish about a request.
struct CheckedRequest {
    ResponseMode response_mode = ResponseMode::query;
    std::vector<std::string> scopes;  // granted
    Prompt prompt;
    std::optional<std::int64_t> max_age;
    AcrRequest acr;
    std::string id_token_claims;  // check_claims
};

// check_request.cpp: every check after client and redirect_uri, in /authorize's order:
// response_mode, no repeats, response_type, the client's grant, PKCE, scope, prompt, max_age,
// acr, claims.
// /authorize and /par (RFC 9126 §2.1: "the same as ... the authorization endpoint") both run
// it. Errors: those of the checks, the first that fails.
Result<CheckedRequest> check_request(const Client& client, const AuthorizeRequest& request);

}  // namespace idpd::oidc
