#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "oidc/errors.h"
#include "oidc/random.h"
#include "store/database.h"

namespace idpd::oidc {

// The jti replay cache of DPoP proofs (table dpop_proofs, schema 0014), shared by every process
// on the database: a proof is remembered by SHA-256(jkt, jti) until it would be too old anyway.
class DpopReplayCache {
public:
    explicit DpopReplayCache(store::Database& db) : db_(db) {}

    // Records the proof; true the first time, false when the same key already used this jti
    // (decided by the primary key, so two processes cannot both accept one proof).
    store::Result<bool> remember(std::string_view jkt, std::string_view jti,
                                 std::int64_t expires_at);

    // Deletes entries whose proofs can no longer be accepted; returns how many.
    store::Result<std::uint64_t> delete_expired(std::int64_t now);

private:
    store::Database& db_;
};

// A DPoP proof that passed every check: the RFC 7638 thumbprint of its key.
struct DpopProof {
    std::string jkt;
};

// RFC 9449 §4.3 proof validation, the same for /token and for resource requests (/userinfo):
// - exactly one DPoP header holding one compact JWS;
// - typ dpop+jwt, alg RS256/PS256/ES256/EdDSA (never none or HMAC), a public `jwk` header
//   without private members, and the signature verifies under that key;
// - htm is the request's method; htu is `htu` (ours), both compared without query and fragment
//   after scheme and host are lowercased and a default port dropped;
// - iat within max_age in the past (plus 5 s leeway for clocks), not in the future;
// - jti (at most 256 characters) never seen with this key before (DpopReplayCache);
// - with an access token, ath = base64url(SHA-256(token)).
// Server nonces (§8) are not used: the iat window and the replay cache bound a stolen proof.
class DpopVerifier {
public:
    DpopVerifier(std::chrono::seconds max_age, store::Database& db, Clock clock)
        : max_age_(max_age), replay_(db), clock_(std::move(clock)) {}

    // The proof of `req`, or nullopt when it carries no DPoP header. `htu` is the endpoint's
    // absolute URL. Errors: invalid_dpop_proof (the description names the failed check),
    // temporarily_unavailable (the replay cache is down).
    Result<std::optional<DpopProof>> verify(
        const http::HttpRequest& req, std::string_view htu,
        std::optional<std::string_view> access_token = std::nullopt);

    // The algs we accept, for discovery's dpop_signing_alg_values_supported.
    static std::vector<std::string> algs();

private:
    std::chrono::seconds max_age_;
    DpopReplayCache replay_;
    Clock clock_;
};

// `url` normalised for the htu comparison: query and fragment dropped, scheme and host
// lowercased, the default port (80 for http, 443 for https) removed, an empty path made "/".
std::string normalize_htu(std::string_view url);

}  // namespace idpd::oidc
