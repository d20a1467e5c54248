// oidc: the OpenID Connect / OAuth 2.x protocol endpoints (discovery, JWKS, authorize, token,
// userinfo, introspection, revocation), their clients and the codes and tokens they issue.
// Handlers own the protocol; the SQL lives in the *_store files, the keys in jose::KeyStore.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "http/request.h"

namespace idpd::oidc {

// The registered OAuth error codes we answer with (RFC 6749 §4.1.2.1, §5.2; OIDC Core
// §3.1.2.6; RFC 7009 §2.2.1; RFC 6750 §3.1), spelled as on the wire.
enum class ErrorCode {
    invalid_request,
    invalid_client,
    invalid_grant,
    unauthorized_client,
    unsupported_grant_type,
    invalid_scope,
    access_denied,
    unsupported_response_type,
    unsupported_token_type,
    invalid_token,
    login_required,
    consent_required,
    interaction_required,
    server_error,
    temporarily_unavailable,
    invalid_request_uri,      // RFC 9101 §7, RFC 9126 §4: an unknown, expired or used request_uri
    invalid_redirect_uri,     // RFC 7591 §3.2.2
    invalid_client_metadata,  // RFC 7591 §3.2.2
    invalid_dpop_proof,       // RFC 9449 §5, §7.1
    // OpenID Connect Core Error Code unmet_authentication_requirements 1.0: the acr the RP
    // requires cannot be met (an unsupported value, or MFA for a user without a second factor).
    unmet_authentication_requirements,
};

// An OAuth error as a value: `description` goes to the client, `detail` only to the log.
struct Error {
    ErrorCode code;
    std::string description;  // safe, specific, English; sanitised again before it is sent
    std::string detail;       // for logs only (node-oidc-provider's error_detail)
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string description,
                                   std::string detail = {}) {
    return std::unexpected(Error{code, std::move(description), std::move(detail)});
}

// From the one table: the code as on the wire, the HTTP status of a direct (back-channel)
// response, and whether it may be sent back to a redirect_uri (never for an unknown client or a
// bad redirect_uri, where we cannot trust the target: node-oidc-provider's allow_redirect).
std::string_view wire_name(ErrorCode code);
int http_status(ErrorCode code);
bool may_redirect(ErrorCode code);

// `text` as an RFC 6749 §5.2 error_description may carry it: only %x20-21 / %x23-5B / %x5D-7E,
// so no CR/LF (header injection), no '"' or '\\', nothing outside printable ASCII. Others become
// '?' (UTF-8 sequences collapse to one '?').
std::string sanitize_description(std::string_view text);

// The JSON error response of a back-channel endpoint (RFC 6749 §5.2): {"error",
// "error_description"}, Cache-Control: no-store, and for invalid_client 401 with
// WWW-Authenticate: Basic realm (§5.2). A 5xx says only that the server failed: its
// description and detail are logged with the request id, never sent.
http::HttpResponse error_response(const http::HttpRequest& req, const Error& error);

}  // namespace idpd::oidc
