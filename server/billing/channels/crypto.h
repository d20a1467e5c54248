#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idpd::billing::channels {

// The few primitives both payment channels sign and verify with (OpenSSL underneath).

// Standard base64 with padding (Alipay's and WeChat Pay's signatures, WeChat Pay's ciphertext).
std::string base64_encode(std::string_view bytes);
// Strict: no whitespace, padding required; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

// Whether `pem` holds a key of the kind named: an RSA private key (PKCS#8 or PKCS#1), or an RSA
// public key (SubjectPublicKeyInfo) or an X.509 certificate holding one.
bool is_rsa_private_key(const std::string& pem);
bool is_rsa_public_key(const std::string& pem);

// SHA256withRSA (PKCS#1 v1.5) over `content`: the raw signature, or nullopt when the key is
// unusable.
std::optional<std::string> rsa_sha256_sign(const std::string& private_key_pem,
                                           std::string_view content);
// `public_pem` is a public key or a certificate (see is_rsa_public_key).
bool rsa_sha256_verifies(const std::string& public_pem, std::string_view content,
                         std::string_view signature);

// AES-256-GCM decryption of `ciphertext` whose last 16 bytes are the tag; nullopt when the key
// is not 32 bytes or the tag does not match (a wrong key, altered data).
std::optional<std::string> aes_256_gcm_open(std::string_view key, std::string_view nonce,
                                            std::string_view associated_data,
                                            std::string_view ciphertext);

// `n` random characters from [0-9A-Za-z] (request nonces); nullopt when the generator fails.
std::optional<std::string> random_token(std::size_t n);

}  // namespace idpd::billing::channels
