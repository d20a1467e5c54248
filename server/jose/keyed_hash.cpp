#include "jose/keyed_hash.h"

#include <array>
#include <memory>
#include <new>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace idpd::jose {
namespace {

struct MacDeleter {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }

    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

// A context keyed with `key`, ready for update().
EVP_MAC_CTX* keyed_context(const unsigned char* key, std::size_t size) {
    std::unique_ptr<EVP_MAC, MacDeleter> mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
    if (!mac) {
        throw std::runtime_error("OpenSSL has no HMAC");
    }
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx{EVP_MAC_CTX_new(mac.get())};
    char digest[] = "SHA256";
    const std::array<OSSL_PARAM, 2> params{
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
    if (!ctx || EVP_MAC_init(ctx.get(), key, size, params.data()) != 1) {
        throw std::bad_alloc();
    }
    return ctx.release();
}

std::string finish(EVP_MAC_CTX* ctx, std::string_view message) {
    std::string out(32, '\0');
    std::size_t written = 0;
    if (EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &written, out.size()) !=
            1 ||
        written != out.size()) {
        throw std::bad_alloc();
    }
    return out;
}

}  // namespace

KeyedHash::KeyedHash(const MasterKey& master, std::string_view label) {
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> derive{keyed_context(master.data(), MasterKey::size)};
    std::string key = finish(derive.get(), label);
    keyed_ = keyed_context(reinterpret_cast<const unsigned char*>(key.data()), key.size());
    OPENSSL_cleanse(key.data(), key.size());
}

KeyedHash::~KeyedHash() {
    EVP_MAC_CTX_free(keyed_);  // frees and wipes the key schedule
}

std::string KeyedHash::operator()(std::string_view message) const {
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx{EVP_MAC_CTX_dup(keyed_)};
    if (!ctx) {
        throw std::bad_alloc();
    }
    return finish(ctx.get(), message);
}

bool KeyedHash::matches(std::string_view message, std::string_view stored) const {
    const std::string computed = (*this)(message);
    return stored.size() == computed.size() &&
           CRYPTO_memcmp(computed.data(), stored.data(), computed.size()) == 0;
}

}  // namespace idpd::jose
