#include "jose/key_encryption.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "jose/base64url.h"
#include "jose/openssl_ptr.h"

namespace idpd::jose {

namespace {

constexpr unsigned char version_1 = 0x01;
constexpr std::size_t iv_size = 12;   // 96 bits: GCM's native IV length (SP 800-38D §5.2.1.1)
constexpr std::size_t tag_size = 16;  // the full 128-bit tag; shorter ones weaken GCM
constexpr std::size_t header_size = 1 + iv_size;

std::string additional_data(std::string_view kid) {
    std::string aad(1, static_cast<char>(version_1));
    aad += kid;
    return aad;
}

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

Result<MasterKey> MasterKey::from_bytes(std::string_view bytes) {
    if (bytes.size() != size) {
        return fail(ErrorCode::invalid_key, "the master key must be exactly 32 bytes");
    }
    MasterKey key;
    std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
    return key;
}

Result<MasterKey> MasterKey::from_base64url(std::string_view text) {
    auto decoded = base64url_decode(text);
    if (!decoded) {
        return fail(ErrorCode::invalid_key, "the master key is not base64url");
    }
    auto key = from_bytes(*decoded);
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return key;
}

MasterKey::MasterKey(MasterKey&& other) noexcept : bytes_(other.bytes_) {
    OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
}

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
    if (this != &other) {
        bytes_ = other.bytes_;
        OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
    }
    return *this;
}

MasterKey::~MasterKey() {
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

Result<std::string> seal(const MasterKey& master, std::string_view kid,
                         std::string_view plaintext) {
    std::string sealed(header_size + plaintext.size() + tag_size, '\0');
    auto* out = reinterpret_cast<unsigned char*>(sealed.data());
    out[0] = version_1;
    unsigned char* iv = out + 1;
    unsigned char* ciphertext = out + header_size;
    unsigned char* tag = ciphertext + plaintext.size();
    if (RAND_bytes(iv, static_cast<int>(iv_size)) != 1) {
        return fail(ErrorCode::internal, "no randomness for the IV: " + openssl_error_text());
    }
    const std::string aad = additional_data(kid);
    const OpensslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    // GCM with a 96-bit IV needs no IV length call: 12 is OpenSSL's default for AES-GCM.
    if (!ctx ||
        EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), master.data(), iv, nullptr) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(aad), static_cast<int>(aad.size())) !=
            1 ||
        EVP_EncryptUpdate(ctx.get(), ciphertext, &length, bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), ciphertext + length, &length) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size), tag) !=
            1) {
        return fail(ErrorCode::internal, "AES-256-GCM seal: " + openssl_error_text());
    }
    return sealed;
}

Result<std::string> open(const MasterKey& master, std::string_view kid, std::string_view sealed) {
    if (sealed.size() < header_size + tag_size) {
        return fail(ErrorCode::malformed, "sealed key shorter than its header and tag");
    }
    if (static_cast<unsigned char>(sealed[0]) != version_1) {
        return fail(ErrorCode::malformed, "sealed key has an unknown version byte");
    }
    const std::string_view iv = sealed.substr(1, iv_size);
    const std::string_view ciphertext =
        sealed.substr(header_size, sealed.size() - header_size - tag_size);
    // EVP_CTRL_GCM_SET_TAG takes a non-const pointer, so the tag gets its own copy.
    std::string tag(sealed.substr(sealed.size() - tag_size));
    const std::string aad = additional_data(kid);
    std::string plaintext(ciphertext.size(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
    const OpensslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    if (!ctx ||
        EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), master.data(), bytes(iv), nullptr) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(aad), static_cast<int>(aad.size())) !=
            1 ||
        EVP_DecryptUpdate(ctx.get(), out, &length, bytes(ciphertext),
                          static_cast<int>(ciphertext.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                            tag.data()) != 1) {
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        return fail(ErrorCode::internal, "AES-256-GCM open: " + openssl_error_text());
    }
    // Only the final call checks the tag; until it succeeds the plaintext is not to be trusted.
    if (EVP_DecryptFinal_ex(ctx.get(), out + length, &length) != 1) {
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        openssl_error_text();
        return fail(ErrorCode::decryption_failed,
                    "sealed key does not open: wrong master key or kid, or altered bytes");
    }
    return plaintext;
}

}  // namespace idpd::jose
