#include "jose/jwk.h"

#include <array>
#include <cstdint>
#include <initializer_list>

#include <openssl/core_names.h>
#include <openssl/x509.h>

#include "jose/base64url.h"
#include "jose/openssl_ptr.h"

namespace idpd::jose {

namespace {

enum class KeyKind { rsa, p256, ed25519 };

constexpr int min_rsa_bits = 2048;                // RFC 7518 §3.3
constexpr int max_rsa_bits = 16384;               // past this a verification is a denial of service
constexpr std::size_t p256_coordinate_size = 32;  // RFC 7518 §6.2.1.2: full length, zero-padded
constexpr std::size_t ed25519_key_size = 32;      // RFC 8037 §2

KeyKind kind_for(Alg alg) {
    switch (alg) {
        case Alg::rs256:
        case Alg::ps256:
            return KeyKind::rsa;
        case Alg::es256:
            return KeyKind::p256;
        case Alg::eddsa:
            return KeyKind::ed25519;
    }
    return KeyKind::rsa;
}

bool is_p256(EVP_PKEY* pkey) {
    std::array<char, 64> name{};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(pkey, name.data(), name.size(), &length) != 1) {
        return false;
    }
    const std::string_view group(name.data(), length);
    return group == "prime256v1" || group == "P-256";
}

Result<void> check_key_fits(EVP_PKEY* pkey, Alg alg) {
    switch (kind_for(alg)) {
        case KeyKind::rsa:
            // "RSA" only: an RSA-PSS-restricted key would carry its own parameters.
            if (EVP_PKEY_is_a(pkey, "RSA") != 1) {
                return fail(ErrorCode::invalid_key,
                            "key is not RSA, as " + std::string(alg_name(alg)) + " needs");
            }
            if (EVP_PKEY_get_bits(pkey) < min_rsa_bits || EVP_PKEY_get_bits(pkey) > max_rsa_bits) {
                return fail(ErrorCode::invalid_key, "RSA key size outside 2048..16384 bits");
            }
            return {};
        case KeyKind::p256:
            if (EVP_PKEY_is_a(pkey, "EC") != 1 || !is_p256(pkey)) {
                return fail(ErrorCode::invalid_key, "key is not EC P-256, as ES256 needs");
            }
            return {};
        case KeyKind::ed25519:
            if (EVP_PKEY_is_a(pkey, "ED25519") != 1) {
                return fail(ErrorCode::invalid_key, "key is not Ed25519, as EdDSA needs");
            }
            return {};
    }
    return fail(ErrorCode::internal, "unknown key kind");
}

// Big-endian bytes of an integer parameter; padded to `size` when non-zero, else minimal
// (RFC 7518 §2: Base64urlUInt uses the minimum number of octets).
Result<std::string> integer_param(EVP_PKEY* pkey, const char* name, std::size_t size = 0) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
        return fail(ErrorCode::internal,
                    std::string("reading ") + name + ": " + openssl_error_text());
    }
    const OpensslPtr<BIGNUM> number(raw);
    const std::size_t length = size != 0 ? size : static_cast<std::size_t>(BN_num_bytes(raw));
    std::string bytes(length, '\0');
    if (BN_bn2binpad(raw, reinterpret_cast<unsigned char*>(bytes.data()),
                     static_cast<int>(length)) < 0) {
        return fail(ErrorCode::internal, std::string("encoding ") + name);
    }
    return bytes;
}

// Exactly the required public members of the key, which are also the members RFC 7638 §3.2
// hashes (RFC 8037 §2 for OKP). nlohmann::json keeps object members sorted, as §3.3 orders them.
Result<nlohmann::json> required_members(EVP_PKEY* pkey, Alg alg) {
    nlohmann::json jwk = nlohmann::json::object();
    switch (kind_for(alg)) {
        case KeyKind::rsa: {
            auto n = integer_param(pkey, OSSL_PKEY_PARAM_RSA_N);
            auto e = integer_param(pkey, OSSL_PKEY_PARAM_RSA_E);
            if (!n || !e) {
                return std::unexpected(!n ? n.error() : e.error());
            }
            jwk["kty"] = "RSA";
            jwk["n"] = base64url_encode(*n);
            jwk["e"] = base64url_encode(*e);
            return jwk;
        }
        case KeyKind::p256: {
            auto x = integer_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, p256_coordinate_size);
            auto y = integer_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, p256_coordinate_size);
            if (!x || !y) {
                return std::unexpected(!x ? x.error() : y.error());
            }
            jwk["kty"] = "EC";
            jwk["crv"] = "P-256";
            jwk["x"] = base64url_encode(*x);
            jwk["y"] = base64url_encode(*y);
            return jwk;
        }
        case KeyKind::ed25519: {
            std::string x(ed25519_key_size, '\0');
            std::size_t length = x.size();
            if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(x.data()),
                                            &length) != 1 ||
                length != ed25519_key_size) {
                return fail(ErrorCode::internal, "reading the Ed25519 public key");
            }
            jwk["kty"] = "OKP";
            jwk["crv"] = "Ed25519";
            jwk["x"] = base64url_encode(x);
            return jwk;
        }
    }
    return fail(ErrorCode::internal, "unknown key kind");
}

Result<std::string> sha256(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
        1) {
        return fail(ErrorCode::internal, "SHA-256: " + openssl_error_text());
    }
    return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

// ---- reading a JWK ------------------------------------------------------------------------------

Result<std::optional<std::string>> optional_string(const nlohmann::json& jwk, const char* member) {
    const auto it = jwk.find(member);
    if (it == jwk.end()) {
        return std::optional<std::string>();
    }
    if (!it->is_string()) {
        return fail(ErrorCode::invalid_key,
                    std::string("JWK member ") + member + " is not a string");
    }
    return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> required_bytes(const nlohmann::json& jwk, const char* member) {
    auto text = optional_string(jwk, member);
    if (!text) {
        return std::unexpected(text.error());
    }
    if (!text->has_value()) {
        return fail(ErrorCode::invalid_key, std::string("JWK lacks ") + member);
    }
    auto bytes = base64url_decode(**text);
    if (!bytes) {
        return fail(ErrorCode::invalid_key,
                    std::string("JWK member ") + member + ": " + bytes.error().detail);
    }
    return bytes;
}

// RFC 7518 §2 Base64urlUInt: non-empty, and no leading zero octet.
Result<std::string> required_uint(const nlohmann::json& jwk, const char* member,
                                  std::size_t max_size) {
    auto bytes = required_bytes(jwk, member);
    if (!bytes) {
        return bytes;
    }
    if (bytes->empty() || (*bytes)[0] == '\0') {
        return fail(ErrorCode::invalid_key,
                    std::string("JWK member ") + member + " is not a minimal unsigned integer");
    }
    if (bytes->size() > max_size) {
        return fail(ErrorCode::invalid_key, std::string("JWK member ") + member + " is too large");
    }
    return bytes;
}

// RFC 7517 §4.2/§4.3: a key published for encryption must not verify signatures.
Result<void> check_intended_use(const nlohmann::json& jwk) {
    auto use = optional_string(jwk, "use");
    if (!use) {
        return std::unexpected(use.error());
    }
    if (use->has_value() && **use != "sig") {
        return fail(ErrorCode::invalid_key, "JWK use is \"" + **use + "\", not \"sig\"");
    }
    const auto ops = jwk.find("key_ops");
    if (ops == jwk.end()) {
        return {};
    }
    if (!ops->is_array()) {
        return fail(ErrorCode::invalid_key, "JWK key_ops is not an array");
    }
    for (const auto& op : *ops) {
        if (op.is_string() && op.get<std::string>() == "verify") {
            return {};
        }
    }
    return fail(ErrorCode::invalid_key, "JWK key_ops does not allow verify");
}

Result<EVP_PKEY*> pkey_from_params(const char* type, OSSL_PARAM_BLD* builder) {
    const OpensslPtr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(builder));
    const OpensslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return fail(ErrorCode::invalid_key, std::string("JWK is not a valid ") + type +
                                                " public key: " + openssl_error_text());
    }
    OpensslPtr<EVP_PKEY> pkey(raw);
    // fromdata takes the numbers as given; the public check is what refuses an EC point off the
    // curve (invalid-curve attacks) and an RSA modulus or exponent that cannot be right.
    const OpensslPtr<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        return fail(ErrorCode::invalid_key, std::string("JWK fails the ") + type +
                                                " public key check: " + openssl_error_text());
    }
    return pkey.release();
}

Result<EVP_PKEY*> rsa_from_jwk(const nlohmann::json& jwk) {
    auto n = required_uint(jwk, "n", max_rsa_bits / 8);
    if (!n) {
        return std::unexpected(n.error());
    }
    // RFC 7518 §6.3.1.2; 8 octets is far past any exponent in use (65537 takes 3).
    auto e = required_uint(jwk, "e", 8);
    if (!e) {
        return std::unexpected(e.error());
    }
    const OpensslPtr<BIGNUM> modulus(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                                               static_cast<int>(n->size()), nullptr));
    const OpensslPtr<BIGNUM> exponent(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                                                static_cast<int>(e->size()), nullptr));
    const OpensslPtr<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!modulus || !exponent || !builder) {
        return fail(ErrorCode::internal, "allocating RSA parameters");
    }
    if (BN_num_bits(modulus.get()) < min_rsa_bits) {
        return fail(ErrorCode::invalid_key, "RSA key below 2048 bits (RFC 7518 §3.3)");
    }
    if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
        return fail(ErrorCode::internal, "building RSA parameters");
    }
    return pkey_from_params("RSA", builder.get());
}

Result<EVP_PKEY*> p256_from_jwk(const nlohmann::json& jwk) {
    auto crv = optional_string(jwk, "crv");
    if (!crv) {
        return std::unexpected(crv.error());
    }
    if (!crv->has_value()) {
        return fail(ErrorCode::invalid_key, "EC JWK lacks crv");
    }
    if (**crv != "P-256") {
        return fail(ErrorCode::unsupported, "EC curve " + **crv + " is not supported");
    }
    auto x = required_bytes(jwk, "x");
    auto y = required_bytes(jwk, "y");
    if (!x || !y) {
        return std::unexpected(!x ? x.error() : y.error());
    }
    if (x->size() != p256_coordinate_size || y->size() != p256_coordinate_size) {
        return fail(ErrorCode::invalid_key, "P-256 coordinates must be 32 octets each");
    }
    // SEC 1 §2.3.3 uncompressed point: 0x04 || X || Y.
    std::string point = "\x04" + *x + *y;
    const OpensslPtr<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
        return fail(ErrorCode::internal, "building EC parameters");
    }
    return pkey_from_params("EC", builder.get());
}

Result<EVP_PKEY*> ed25519_from_jwk(const nlohmann::json& jwk) {
    auto crv = optional_string(jwk, "crv");
    if (!crv) {
        return std::unexpected(crv.error());
    }
    if (!crv->has_value()) {
        return fail(ErrorCode::invalid_key, "OKP JWK lacks crv");
    }
    if (**crv != "Ed25519") {
        return fail(ErrorCode::unsupported, "OKP curve " + **crv + " is not supported");
    }
    auto x = required_bytes(jwk, "x");
    if (!x) {
        return std::unexpected(x.error());
    }
    if (x->size() != ed25519_key_size) {
        return fail(ErrorCode::invalid_key, "Ed25519 x must be 32 octets");
    }
    EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key_ex(
        nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size());
    if (pkey == nullptr) {
        return fail(ErrorCode::invalid_key, "Ed25519 key: " + openssl_error_text());
    }
    return pkey;
}

// The alg a JWK is for, from its own "alg", the caller's, or its curve (see Key::from_public_jwk).
Result<Alg> resolve_alg(const nlohmann::json& jwk, const std::string& kty,
                        std::optional<Alg> caller_alg) {
    auto named = optional_string(jwk, "alg");
    if (!named) {
        return std::unexpected(named.error());
    }
    std::optional<Alg> alg = caller_alg;
    if (named->has_value()) {
        const auto parsed = parse_alg(**named);
        if (!parsed) {
            return fail(ErrorCode::unsupported, "JWK alg " + **named + " is not supported");
        }
        if (caller_alg && *caller_alg != *parsed) {
            return fail(ErrorCode::invalid_key, "JWK alg " + **named + " is not the expected " +
                                                    std::string(alg_name(*caller_alg)));
        }
        alg = parsed;
    }
    if (!alg) {
        if (kty == "EC") {
            return Alg::es256;
        }
        if (kty == "OKP") {
            return Alg::eddsa;
        }
        return fail(ErrorCode::invalid_key, "RSA JWK names no alg, and none was given");
    }
    const bool fits = (kty == "RSA" && kind_for(*alg) == KeyKind::rsa) ||
                      (kty == "EC" && kind_for(*alg) == KeyKind::p256) ||
                      (kty == "OKP" && kind_for(*alg) == KeyKind::ed25519);
    if (!fits) {
        return fail(ErrorCode::invalid_key,
                    "alg " + std::string(alg_name(*alg)) + " does not fit kty " + kty);
    }
    return *alg;
}

}  // namespace

bool has_private_members(const nlohmann::json& jwk) {
    if (!jwk.is_object()) {
        return false;
    }
    for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
        if (jwk.contains(member)) {
            return true;
        }
    }
    return false;
}

void Key::PkeyFree::operator()(EVP_PKEY* pkey) const {
    EVP_PKEY_free(pkey);
}

Key::Key(PkeyPtr pkey, Alg alg, std::string kid, bool has_private_key, std::string thumbprint)
    : pkey_(std::move(pkey)),
      alg_(alg),
      kid_(std::move(kid)),
      has_private_key_(has_private_key),
      thumbprint_(std::move(thumbprint)) {}

Key::Key(const Key& other)
    : alg_(other.alg_),
      kid_(other.kid_),
      has_private_key_(other.has_private_key_),
      thumbprint_(other.thumbprint_) {
    // EVP_PKEY is reference counted and never changed after it is made, so copies share it.
    if (other.pkey_ && EVP_PKEY_up_ref(other.pkey_.get()) == 1) {
        pkey_.reset(other.pkey_.get());
    }
}

Key& Key::operator=(const Key& other) {
    if (this != &other) {
        Key copy(other);
        *this = std::move(copy);
    }
    return *this;
}

Result<Key> Key::adopt(EVP_PKEY* pkey, Alg alg, std::string kid, bool has_private_key) {
    PkeyPtr owned(pkey);
    auto fits = check_key_fits(owned.get(), alg);
    if (!fits) {
        return std::unexpected(fits.error());
    }
    auto members = required_members(owned.get(), alg);
    if (!members) {
        return std::unexpected(members.error());
    }
    auto digest = sha256(members->dump());
    if (!digest) {
        return std::unexpected(digest.error());
    }
    std::string thumbprint = base64url_encode(*digest);
    return Key(std::move(owned), alg, std::move(kid), has_private_key, std::move(thumbprint));
}

Result<Key> Key::generate(Alg alg, std::string kid, int rsa_bits) {
    EVP_PKEY* pkey = nullptr;
    switch (kind_for(alg)) {
        case KeyKind::rsa:
            if (rsa_bits < min_rsa_bits || rsa_bits > 8192 || rsa_bits % 8 != 0) {
                return fail(ErrorCode::invalid_key,
                            "RSA size must be 2048..8192 bits, a multiple of 8");
            }
            pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(rsa_bits));
            break;
        case KeyKind::p256:
            pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
            break;
        case KeyKind::ed25519:
            pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
            break;
    }
    if (pkey == nullptr) {
        return fail(ErrorCode::internal, "generating a key: " + openssl_error_text());
    }
    auto key = adopt(pkey, alg, std::move(kid), true);
    if (key && key->kid_.empty()) {
        key->kid_ = key->thumbprint_;
    }
    return key;
}

Result<Key> Key::from_public_jwk(const nlohmann::json& jwk, std::optional<Alg> alg) {
    if (!jwk.is_object()) {
        return fail(ErrorCode::malformed, "JWK is not a JSON object");
    }
    if (has_private_members(jwk)) {
        return fail(ErrorCode::invalid_key,
                    "JWK holds private members where a public key is expected");
    }
    if (auto ok = check_intended_use(jwk); !ok) {
        return std::unexpected(ok.error());
    }
    auto kty = optional_string(jwk, "kty");
    if (!kty) {
        return std::unexpected(kty.error());
    }
    if (!kty->has_value()) {
        return fail(ErrorCode::invalid_key, "JWK lacks kty");
    }
    if (**kty != "RSA" && **kty != "EC" && **kty != "OKP") {
        return fail(ErrorCode::unsupported, "JWK kty " + **kty + " is not supported");
    }
    auto kid = optional_string(jwk, "kid");
    if (!kid) {
        return std::unexpected(kid.error());
    }
    auto resolved = resolve_alg(jwk, **kty, alg);
    if (!resolved) {
        return std::unexpected(resolved.error());
    }
    Result<EVP_PKEY*> pkey = **kty == "RSA"  ? rsa_from_jwk(jwk)
                             : **kty == "EC" ? p256_from_jwk(jwk)
                                             : ed25519_from_jwk(jwk);
    if (!pkey) {
        return std::unexpected(pkey.error());
    }
    return adopt(*pkey, *resolved, kid->value_or(""), false);
}

Result<Key> Key::from_pkcs8(std::string_view der, Alg alg, std::string kid) {
    const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
    const auto* cursor = begin;
    PKCS8_PRIV_KEY_INFO* info =
        d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size()));
    if (info == nullptr) {
        return fail(ErrorCode::invalid_key, "not a PKCS#8 PrivateKeyInfo: " + openssl_error_text());
    }
    // Frees with a wipe of the key octets (OpenSSL's PKCS8_PRIV_KEY_INFO callback).
    const std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> owned(
        info, &PKCS8_PRIV_KEY_INFO_free);
    if (cursor != begin + der.size()) {
        return fail(ErrorCode::invalid_key, "bytes after the PKCS#8 PrivateKeyInfo");
    }
    EVP_PKEY* pkey = EVP_PKCS82PKEY(info);
    if (pkey == nullptr) {
        return fail(ErrorCode::invalid_key, "PKCS#8 key unusable: " + openssl_error_text());
    }
    return adopt(pkey, alg, std::move(kid), true);
}

Result<std::string> Key::to_pkcs8() const {
    if (!has_private_key_) {
        return fail(ErrorCode::invalid_key, "a public key has no PKCS#8 form");
    }
    PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(pkey_.get());
    if (info == nullptr) {
        return fail(ErrorCode::internal, "encoding PKCS#8: " + openssl_error_text());
    }
    const std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> owned(
        info, &PKCS8_PRIV_KEY_INFO_free);
    const int length = i2d_PKCS8_PRIV_KEY_INFO(info, nullptr);
    if (length <= 0) {
        return fail(ErrorCode::internal, "encoding PKCS#8: " + openssl_error_text());
    }
    // Written straight into the result, so no other buffer holds the key.
    std::string der(static_cast<std::size_t>(length), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_PKCS8_PRIV_KEY_INFO(info, &out) != length) {
        return fail(ErrorCode::internal, "encoding PKCS#8: " + openssl_error_text());
    }
    return der;
}

nlohmann::json Key::public_jwk() const {
    // adopt() already read these members once, so reading them again cannot fail.
    nlohmann::json jwk = required_members(pkey_.get(), alg_).value_or(nlohmann::json::object());
    if (!kid_.empty()) {
        jwk["kid"] = kid_;
    }
    jwk["alg"] = alg_name(alg_);
    jwk["use"] = "sig";
    return jwk;
}

Result<Key> Key::public_key() const {
    if (!has_private_key_) {
        return *this;
    }
    // The public half of our own private key: copied by parameters, without the public key
    // check pkey_from_params runs on keys from outside. That check (for RSA, SP 800-56B's
    // modulus tests) was most of idpd's start-up time: the key store takes the public half of
    // every key it loads.
    OSSL_PARAM* raw_params = nullptr;
    if (EVP_PKEY_todata(pkey_.get(), EVP_PKEY_PUBLIC_KEY, &raw_params) != 1) {
        return fail(ErrorCode::internal, "exporting a public key: " + openssl_error_text());
    }
    const OpensslPtr<OSSL_PARAM> params(raw_params);
    const OpensslPtr<EVP_PKEY_CTX> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, EVP_PKEY_get0_type_name(pkey_.get()), nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return fail(ErrorCode::internal, "importing a public key: " + openssl_error_text());
    }
    return adopt(raw, alg_, kid_, false);
}

}  // namespace idpd::jose
