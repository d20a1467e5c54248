#include "billing/channels/crypto.h"

#include <algorithm>
#include <memory>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

namespace idpd::billing::channels {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::unique_ptr<BIO, decltype(&BIO_free)> bio_of(const std::string& pem) {
    return {BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free};
}

Key rsa_only(EVP_PKEY* key) {
    Key owned(key, EVP_PKEY_free);
    if (owned && EVP_PKEY_get_base_id(owned.get()) != EVP_PKEY_RSA) {
        owned.reset();
    }
    return owned;
}

Key private_key(const std::string& pem) {
    auto bio = bio_of(pem);
    return rsa_only(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

// A PUBLIC KEY block, or the key inside a CERTIFICATE block.
Key public_key(const std::string& pem) {
    if (pem.find("BEGIN CERTIFICATE") != std::string::npos) {
        auto bio = bio_of(pem);
        std::unique_ptr<X509, decltype(&X509_free)> cert(
            bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
        return rsa_only(cert ? X509_get_pubkey(cert.get()) : nullptr);
    }
    auto bio = bio_of(pem);
    return rsa_only(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string base64_encode(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3), '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(in),
                    static_cast<int>(in.size()));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(text),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts the padding as zero bytes.
    const auto padding = static_cast<std::size_t>(std::count(text.end() - 2, text.end(), '='));
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

bool is_rsa_private_key(const std::string& pem) {
    return private_key(pem) != nullptr;
}

bool is_rsa_public_key(const std::string& pem) {
    return public_key(pem) != nullptr;
}

std::optional<std::string> rsa_sha256_sign(const std::string& private_key_pem,
                                           std::string_view content) {
    Key key = private_key(private_key_pem);
    MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t n = 0;
    if (!key || !ctx ||
        EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &n, bytes(content), content.size()) != 1) {
        return std::nullopt;
    }
    std::string signature(n, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &n,
                       bytes(content), content.size()) != 1) {
        return std::nullopt;
    }
    signature.resize(n);
    return signature;
}

bool rsa_sha256_verifies(const std::string& public_pem, std::string_view content,
                         std::string_view signature) {
    Key key = public_key(public_pem);
    MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!key || !ctx ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(content),
                            content.size()) == 1;
}

std::optional<std::string> aes_256_gcm_open(std::string_view key, std::string_view nonce,
                                            std::string_view associated_data,
                                            std::string_view ciphertext) {
    constexpr std::size_t tag_size = 16;
    if (key.size() != 32 || nonce.empty() || ciphertext.size() < tag_size) {
        return std::nullopt;
    }
    const auto body = ciphertext.substr(0, ciphertext.size() - tag_size);
    std::string tag(ciphertext.substr(body.size()));
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        EVP_CIPHER_CTX_free);
    std::string plain(body.size() + tag_size, '\0');
    int n = 0;
    int tail = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                            nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes(associated_data),
                          static_cast<int>(associated_data.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &n,
                          bytes(body), static_cast<int>(body.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                            tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + n, &tail) !=
            1) {
        return std::nullopt;
    }
    plain.resize(static_cast<std::size_t>(n + tail));
    return plain;
}

std::optional<std::string> random_token(std::size_t n) {
    static constexpr std::string_view alphabet =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string out;
    while (out.size() < n) {
        unsigned char byte = 0;
        if (RAND_bytes(&byte, 1) != 1) {
            return std::nullopt;
        }
        if (byte < 248) {  // 248 = 4 * 62: no bias
            out.push_back(alphabet[byte % alphabet.size()]);
        }
    }
    return out;
}

}  // namespace idpd::billing::channels
