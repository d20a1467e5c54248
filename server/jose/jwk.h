#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/types.h>

#include "jose/alg.h"
#include "jose/error.h"

namespace idpd::jose {

// One asymmetric signing key and the one algorithm it is used with (RFC 7517 §4.4: a key serves
// one alg, so a PS256 key can never verify an RS256 token or the reverse). Holds either a key pair
// (ours: it signs) or a public key only (a JWK from an RP, an upstream or a DPoP proof: it
// verifies). Copies share the same immutable EVP_PKEY; a Key is safe to use from many threads.
class Key {
public:
    // A fresh key pair for `alg`: RSA of `rsa_bits` (2048..8192, a multiple of 8; RFC 7518 §3.3
    // asks for at least 2048) for RS256/PS256, P-256 for ES256, Ed25519 for EdDSA. The kid is
    // `kid`, or the RFC 7638 thumbprint when `kid` is empty. Errors: invalid_key (bad size),
    // internal.
    static Result<Key> generate(Alg alg, std::string kid = {}, int rsa_bits = 2048);

    // The public key a JWK describes (RFC 7517 §4, RFC 7518 §6.2.1/§6.3.1, RFC 8037 §2).
    // Its alg is the JWK's "alg"; when the JWK names none, `alg` (as an RP registration or a JWS
    // header says); when neither, ES256 for P-256 and EdDSA for Ed25519, and an error for RSA
    // (RS256 and PS256 are both possible). If both name an alg they must agree. The kid is the
    // JWK's "kid", or empty. Refuses: private members (d, p, q, dp, dq, qi, oth, k), "use" other
    // than "sig", "key_ops" without "verify", an alg that does not fit kty/crv, RSA below 2048
    // bits, non-minimal or wrong-length integers, EC points off the curve. Errors: invalid_key,
    // unsupported (kty, crv or alg we do not implement), malformed.
    static Result<Key> from_public_jwk(const nlohmann::json& jwk,
                                       std::optional<Alg> alg = std::nullopt);

    // The key pair in a PKCS#8 PrivateKeyInfo DER (RFC 5208), as to_pkcs8() wrote it, for `alg`.
    // The kid is `kid` as stored beside it; when empty, tokens it signs name no kid. Errors:
    // invalid_key (not DER PKCS#8, trailing bytes, a key type or curve that does not fit `alg`, RSA
    // below 2048 bits).
    static Result<Key> from_pkcs8(std::string_view der, Alg alg, std::string kid = {});

    Key(const Key& other);
    Key& operator=(const Key& other);
    Key(Key&&) noexcept = default;
    Key& operator=(Key&&) noexcept = default;
    ~Key() = default;

    // The private key as PKCS#8 DER, for key_encryption.h to seal before it is stored. The
    // caller holds key material: it should seal it at once and not log it.
    // Errors: invalid_key (a public-only key), internal.
    Result<std::string> to_pkcs8() const;

    // The public JWK: kty and its members, then kid (if any), alg and use=sig. Never a private
    // member, whatever this key holds.
    nlohmann::json public_jwk() const;

    // The RFC 7638 SHA-256 thumbprint, base64url: the default kid, and the DPoP jkt
    // (RFC 9449 §6.1).
    const std::string& thumbprint() const { return thumbprint_; }

    // The same key without its private half, as a verifier needs it. Errors: internal.
    Result<Key> public_key() const;

    Alg alg() const { return alg_; }

    const std::string& kid() const { return kid_; }

    bool has_private_key() const { return has_private_key_; }

    // Borrowed, for jws.cpp; valid while this Key lives.
    EVP_PKEY* evp_pkey() const { return pkey_.get(); }

private:
    struct PkeyFree {
        void operator()(EVP_PKEY* pkey) const;
    };

    using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

    Key(PkeyPtr pkey, Alg alg, std::string kid, bool has_private_key, std::string thumbprint);

    // Takes ownership of `pkey` after checking that it is the kind of key `alg` needs.
    static Result<Key> adopt(EVP_PKEY* pkey, Alg alg, std::string kid, bool has_private_key);

    PkeyPtr pkey_;
    Alg alg_;
    std::string kid_;
    bool has_private_key_;
    std::string thumbprint_;
};

// True when `jwk` is an object holding any private key member (RFC 7518 §6.2.2, §6.3.2, §6.4;
// RFC 8037 §2): d, p, q, dp, dq, qi, oth, or the symmetric k.
bool has_private_members(const nlohmann::json& jwk);

}  // namespace idpd::jose
