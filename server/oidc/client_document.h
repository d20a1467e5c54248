#pragma once

#include <nlohmann/json.hpp>

#include "oidc/client.h"
#include "oidc/errors.h"

namespace idpd::oidc {

// Who writes a client document, which decides the members it may set.
enum class DocumentAuthor {
    // An RP through dynamic registration (RFC 7591): client_id, first_party and
    // sector_identifier are the operator's to set and are ignored, like unknown members
    // (RFC 7591 §2: "the authorization server MUST ignore any client metadata ... that it does
    // not understand").
    relying_party,
    // The operator (admin API, client files): every member, and an unknown member is an error
    // (a typo must not be dropped silently).
    operator_,
};

// Reads client metadata onto `client` (which holds the defaults, or the stored client for an
// update): the RFC 7591 §2 / OIDC Registration §2 names client_name, redirect_uris,
// grant_types, response_types, token_endpoint_auth_method (none makes a public client), scope,
// jwks, id_token_signed_response_alg, subject_type, post_logout_redirect_uris,
// backchannel_logout_uri, backchannel_logout_session_required, dpop_bound_access_tokens; idpd's
// access_token_format and access_token_alg; and for the operator client_id, first_party and
// sector_identifier. jwks_uri and sector_identifier_uri are refused (this server fetches
// nothing on a client's behalf). response_types must be ["code"] exactly when grant_types holds
// authorization_code. Call validate_client afterwards.
// Errors: invalid_client_metadata naming the member.
Result<void> read_client_document(const nlohmann::json& doc, DocumentAuthor author, Client& client);

// The client's metadata as registration responses (RFC 7591 §3.2.1) and the admin API show it:
// every member above plus client_id_issued_at. Never a secret or a hash.
nlohmann::json client_document(const Client& client);

}  // namespace idpd::oidc
