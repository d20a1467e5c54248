#pragma once

#include <string>
#include <vector>

#include "jose/alg.h"
#include "oidc/client.h"
#include "oidc/errors.h"

namespace idpd::oidc {

// What this server can honour, for validate_client.
struct ClientLimits {
    std::vector<jose::Alg> signing_algs;  // the key store's algs; empty: any alg we implement
    std::vector<std::string> scopes;      // the scopes a client may be given; empty: any
};

// The grant types a client may be registered for.
const std::vector<std::string>& known_grant_types();

// The one check of a client's registration, whoever registers it (CLI, dynamic registration,
// client files, admin API), so no path can store a client another would refuse:
// - client_id of 1..255 unreserved characters (A-Z a-z 0-9 - . _ ~: it appears in URL paths);
// - grant types known; authorization_code needs redirect URIs, each valid
//   (validate_redirect_uri), and so do post_logout_redirect_uris;
// - the auth method fits the type: public ⇔ none (and no client_credentials); client_secret_*
//   need a secret hash; private_key_jwt needs a jwks with at least one key we can use;
// - scopes are scope-tokens within `limits.scopes`; algs within `limits.signing_algs`;
// - backchannel_logout_uri is https (http only on loopback), without a fragment;
// - a pairwise client has a sector (sector_identifier, or one redirect host).
// Errors: invalid_redirect_uri or invalid_client_metadata, the description naming the member.
Result<void> validate_client(const Client& client, const ClientLimits& limits);

}  // namespace idpd::oidc
