#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "jose/error.h"
#include "jose/jwk.h"

namespace idpd::jose {

// The keys a verifier may choose from by kid: ours (current and overlapping old ones, during
// rotation) or an upstream's, read from its JWKS (RFC 7517 §5).
class KeySet {
public:
    KeySet() = default;

    explicit KeySet(std::vector<Key> keys) : keys_(std::move(keys)) {}

    // The verifying keys of a JWKS document. Entries that Key::from_public_jwk refuses (another
    // use such as enc, a kty, crv or alg we do not implement, a weak or broken key) are skipped,
    // as RFC 7517 §5 lets a reader ignore keys it does not understand; a token naming one of
    // them fails later with unknown_key. An RSA entry without "alg" is taken as RS256, the default
    // of OIDC Core §3.1.3.7 and OIDC Registration (id_token_signed_response_alg). Refused as a
    // whole: not
    // {"keys":[...]}, an entry holding private members (the publisher leaks its keys), or two
    // entries with one kid. Errors: malformed, invalid_key.
    static Result<KeySet> from_jwks(const nlohmann::json& jwks);

    // The key with this kid, or nullptr.
    const Key* find(std::string_view kid) const;

    const std::vector<Key>& keys() const { return keys_; }

    bool empty() const { return keys_.empty(); }

    std::size_t size() const { return keys_.size(); }

    // The JWKS document to publish: {"keys":[public JWK, ...]}, in this set's order, never a
    // private member.
    nlohmann::json to_jwks() const;

private:
    std::vector<Key> keys_;
};

}  // namespace idpd::jose
