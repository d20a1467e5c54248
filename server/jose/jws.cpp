#include "jose/jws.h"

#include <algorithm>
#include <array>
#include <set>

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "jose/base64url.h"
#include "jose/openssl_ptr.h"
#include "jose/strict_json.h"

namespace idpd::jose {

namespace {

constexpr std::size_t es256_half = 32;  // RFC 7518 §3.4: R and S, 32 octets each
constexpr std::size_t ed25519_signature_size = 64;

struct Segments {
    std::string_view header;
    std::string_view payload;
    std::string_view signature;
    std::string_view signing_input;  // header '.' payload, exactly as received
};

Result<Segments> split_compact(std::string_view compact, std::size_t max_size) {
    if (compact.size() > max_size) {
        return fail(ErrorCode::malformed, "JWS larger than " + std::to_string(max_size) + " bytes");
    }
    const std::size_t first = compact.find('.');
    const std::size_t second =
        first == std::string_view::npos ? first : compact.find('.', first + 1);
    if (second == std::string_view::npos ||
        compact.find('.', second + 1) != std::string_view::npos) {
        return fail(ErrorCode::malformed, "a compact JWS has exactly three segments");
    }
    return Segments{compact.substr(0, first), compact.substr(first + 1, second - first - 1),
                    compact.substr(second + 1), compact.substr(0, second)};
}

Result<nlohmann::json> decode_header(std::string_view segment) {
    auto text = base64url_decode(segment);
    if (!text) {
        return fail(ErrorCode::malformed, "JWS header: " + text.error().detail);
    }
    auto header = parse_json_object(*text);
    if (!header) {
        return fail(ErrorCode::malformed, "JWS header: " + header.error().detail);
    }
    return header;
}

const char* digest_name(Alg alg) {
    return alg == Alg::eddsa ? nullptr : "SHA256";
}

// Sets up `md` to sign or verify with `key`, padding included (RFC 7518 §3.3, §3.5).
Result<void> init_context(EVP_MD_CTX* md, const Key& key, bool signing) {
    EVP_PKEY_CTX* pctx = nullptr;
    const int ok = signing ? EVP_DigestSignInit_ex(md, &pctx, digest_name(key.alg()), nullptr,
                                                   nullptr, key.evp_pkey(), nullptr)
                           : EVP_DigestVerifyInit_ex(md, &pctx, digest_name(key.alg()), nullptr,
                                                     nullptr, key.evp_pkey(), nullptr);
    if (ok != 1) {
        return fail(ErrorCode::internal, "initialising the signature: " + openssl_error_text());
    }
    if (key.alg() == Alg::ps256) {
        // RFC 7518 §3.5: MGF1 with the same SHA-256, and a salt as long as the hash. Verifying
        // demands that length too, rather than OpenSSL's default of taking whatever is there.
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
            return fail(ErrorCode::internal, "setting PSS parameters: " + openssl_error_text());
        }
    } else if (key.alg() == Alg::rs256) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
            return fail(ErrorCode::internal, "setting PKCS#1 padding: " + openssl_error_text());
        }
    }
    return {};
}

// OpenSSL signs ECDSA as a DER ECDSA-Sig-Value; JWS wants R || S, each left-padded to 32 octets.
Result<std::string> der_to_raw_ecdsa(const std::string& der) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    const OpensslPtr<ECDSA_SIG> sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!sig) {
        return fail(ErrorCode::internal, "reading our own ECDSA signature");
    }
    std::string raw(2 * es256_half, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, es256_half) < 0 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + es256_half, es256_half) < 0) {
        return fail(ErrorCode::internal, "ECDSA R or S longer than 32 octets");
    }
    return raw;
}

Result<std::string> raw_to_der_ecdsa(std::string_view raw) {
    const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
    OpensslPtr<BIGNUM> r(BN_bin2bn(in, es256_half, nullptr));
    OpensslPtr<BIGNUM> s(BN_bin2bn(in + es256_half, es256_half, nullptr));
    OpensslPtr<ECDSA_SIG> sig(ECDSA_SIG_new());
    if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
        return fail(ErrorCode::internal, "building an ECDSA-Sig-Value");
    }
    // ECDSA_SIG_set0 took r and s.
    static_cast<void>(r.release());
    static_cast<void>(s.release());
    const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (length <= 0) {
        return fail(ErrorCode::internal, "encoding an ECDSA-Sig-Value");
    }
    std::string der(static_cast<std::size_t>(length), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_ECDSA_SIG(sig.get(), &out) != length) {
        return fail(ErrorCode::internal, "encoding an ECDSA-Sig-Value");
    }
    return der;
}

Result<std::string> sign_bytes(const Key& key, std::string_view input) {
    const OpensslPtr<EVP_MD_CTX> md(EVP_MD_CTX_new());
    if (!md) {
        return fail(ErrorCode::internal, "allocating a digest context");
    }
    if (auto ok = init_context(md.get(), key, true); !ok) {
        return std::unexpected(ok.error());
    }
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    std::size_t length = 0;
    if (EVP_DigestSign(md.get(), nullptr, &length, data, input.size()) != 1) {
        return fail(ErrorCode::internal, "sizing the signature: " + openssl_error_text());
    }
    std::string signature(length, '\0');
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                       input.size()) != 1) {
        return fail(ErrorCode::internal, "signing: " + openssl_error_text());
    }
    // The first call gave the largest size; a DER ECDSA signature is often shorter.
    signature.resize(length);
    if (key.alg() == Alg::es256) {
        return der_to_raw_ecdsa(signature);
    }
    return signature;
}

std::size_t expected_signature_size(const Key& key) {
    switch (key.alg()) {
        case Alg::rs256:
        case Alg::ps256:
            // RFC 8017 §8.2.2 step 1: exactly k octets, the modulus length. OpenSSL would take a
            // shorter one as if zero-padded, so the length is checked here.
            return static_cast<std::size_t>(EVP_PKEY_get_size(key.evp_pkey()));
        case Alg::es256:
            return 2 * es256_half;
        case Alg::eddsa:
            return ed25519_signature_size;
    }
    return 0;
}

Result<void> verify_bytes(const Key& key, std::string_view input, std::string_view signature) {
    if (signature.size() != expected_signature_size(key)) {
        return fail(ErrorCode::bad_signature,
                    "signature is " + std::to_string(signature.size()) + " octets, not " +
                        std::to_string(expected_signature_size(key)) + " as " +
                        std::string(alg_name(key.alg())) + " with this key gives");
    }
    std::string der;
    if (key.alg() == Alg::es256) {
        auto converted = raw_to_der_ecdsa(signature);
        if (!converted) {
            return std::unexpected(converted.error());
        }
        der = std::move(*converted);
        signature = der;
    }
    const OpensslPtr<EVP_MD_CTX> md(EVP_MD_CTX_new());
    if (!md) {
        return fail(ErrorCode::internal, "allocating a digest context");
    }
    if (auto ok = init_context(md.get(), key, false); !ok) {
        return std::unexpected(ok.error());
    }
    const int verdict = EVP_DigestVerify(
        md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
        reinterpret_cast<const unsigned char*>(input.data()), input.size());
    if (verdict != 1) {
        // 0 is a wrong signature, below 0 one OpenSSL could not even parse: the same to us.
        const std::string reason = openssl_error_text();
        return fail(ErrorCode::bad_signature, "signature does not verify (" + reason + ")");
    }
    return {};
}

bool is_registered_header(std::string_view name) {
    // RFC 7515 §4.1 and RFC 7518 §4.1/§5.1: names "crit" may not list.
    static const std::set<std::string_view> registered = {
        "alg",  "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty",
        "crit", "enc", "zip", "epk", "apu", "apv", "iv",  "tag",      "p2s", "p2c"};
    return registered.contains(name);
}

Result<void> check_crit(const nlohmann::json& header, const VerifyOptions& options) {
    const auto crit = header.find("crit");
    if (crit == header.end()) {
        return {};
    }
    if (!crit->is_array() || crit->empty()) {
        return fail(ErrorCode::malformed, "crit must be a non-empty array (RFC 7515 §4.1.11)");
    }
    std::set<std::string> seen;
    for (const auto& entry : *crit) {
        if (!entry.is_string()) {
            return fail(ErrorCode::malformed, "crit entries must be strings");
        }
        const auto name = entry.get<std::string>();
        if (is_registered_header(name) || !seen.insert(name).second || !header.contains(name)) {
            return fail(ErrorCode::malformed,
                        "crit lists " + name + ", which is registered, repeated or absent");
        }
        if (std::find(options.understood_crit.begin(), options.understood_crit.end(), name) ==
            options.understood_crit.end()) {
            return fail(ErrorCode::unsupported, "crit extension " + name + " is not understood");
        }
    }
    return {};
}

bool is_understood(const VerifyOptions& options, std::string_view name) {
    return std::find(options.understood_crit.begin(), options.understood_crit.end(), name) !=
           options.understood_crit.end();
}

Result<void> check_header(const nlohmann::json& header, const Key& key,
                          const VerifyOptions& options) {
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string()) {
        return fail(ErrorCode::malformed, "JWS header lacks a string alg");
    }
    const auto& named = alg->get_ref<const std::string&>();
    if (named != alg_name(key.alg())) {
        // Covers "none" (RFC 7518 §3.6) and HS256 over our public key (RFC 8725 §2.1).
        return fail(ErrorCode::rejected_header, "header alg " + named + " is not the key's " +
                                                    std::string(alg_name(key.alg())));
    }
    // The key is the caller's choice, never the token's (RFC 8725 §3.10 on jku/x5u; jwk and
    // x5c would let a forger bring the key that verifies the forgery).
    for (const char* member : {"jku", "x5u", "x5c"}) {
        if (header.contains(member)) {
            return fail(ErrorCode::rejected_header,
                        std::string("header carries ") + member + "; keys never come from tokens");
        }
    }
    if (header.contains("b64") && !is_understood(options, "b64")) {
        return fail(ErrorCode::unsupported, "b64 (RFC 7797) is not supported");
    }
    if (auto ok = check_crit(header, options); !ok) {
        return ok;
    }
    if (!options.expect_embedded_jwk) {
        if (header.contains("jwk")) {
            return fail(ErrorCode::rejected_header,
                        "header carries jwk; keys never come from tokens");
        }
        return {};
    }
    auto embedded = embedded_jwk(header);
    if (!embedded) {
        return std::unexpected(embedded.error());
    }
    if (embedded->thumbprint() != key.thumbprint()) {
        return fail(ErrorCode::rejected_header, "header jwk is not the verifying key");
    }
    return {};
}

}  // namespace

Result<std::string> sign(const Key& key, std::string_view payload, const nlohmann::json& header) {
    if (!key.has_private_key()) {
        return fail(ErrorCode::invalid_key, "a public key cannot sign");
    }
    if (!header.is_object()) {
        return fail(ErrorCode::rejected_header, "a JWS header must be an object");
    }
    nlohmann::json full = header;
    const auto alg = full.find("alg");
    if (alg != full.end() && *alg != alg_name(key.alg())) {
        return fail(ErrorCode::rejected_header, "header alg differs from the key's");
    }
    full["alg"] = alg_name(key.alg());
    if (!key.kid().empty() && !full.contains("kid")) {
        full["kid"] = key.kid();
    }
    auto header_text = serialize_json(full);
    if (!header_text) {
        return std::unexpected(header_text.error());
    }
    std::string compact = base64url_encode(*header_text);
    compact += '.';
    compact += base64url_encode(payload);
    auto signature = sign_bytes(key, compact);
    if (!signature) {
        return std::unexpected(signature.error());
    }
    compact += '.';
    compact += base64url_encode(*signature);
    return compact;
}

Result<VerifiedJws> verify(std::string_view compact, const Key& key, const VerifyOptions& options) {
    auto segments = split_compact(compact, options.max_size);
    if (!segments) {
        return std::unexpected(segments.error());
    }
    auto header = decode_header(segments->header);
    if (!header) {
        return std::unexpected(header.error());
    }
    auto payload = base64url_decode(segments->payload);
    if (!payload) {
        return fail(ErrorCode::malformed, "JWS payload: " + payload.error().detail);
    }
    auto signature = base64url_decode(segments->signature);
    if (!signature) {
        return fail(ErrorCode::malformed, "JWS signature: " + signature.error().detail);
    }
    if (auto ok = check_header(*header, key, options); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = verify_bytes(key, segments->signing_input, *signature); !ok) {
        return std::unexpected(ok.error());
    }
    return VerifiedJws{std::move(*header), std::move(*payload)};
}

Result<nlohmann::json> peek_header(std::string_view compact, std::size_t max_size) {
    auto segments = split_compact(compact, max_size);
    if (!segments) {
        return std::unexpected(segments.error());
    }
    return decode_header(segments->header);
}

Result<Key> embedded_jwk(const nlohmann::json& header) {
    const auto jwk = header.find("jwk");
    if (jwk == header.end() || !jwk->is_object()) {
        return fail(ErrorCode::malformed, "header lacks a jwk object");
    }
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string()) {
        return fail(ErrorCode::malformed, "header lacks a string alg");
    }
    const auto parsed = parse_alg(alg->get<std::string>());
    if (!parsed) {
        return fail(ErrorCode::unsupported, "alg " + alg->get<std::string>() + " is not supported");
    }
    return Key::from_public_jwk(*jwk, *parsed);
}

}  // namespace idpd::jose
