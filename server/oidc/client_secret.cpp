#include "oidc/client_secret.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "jose/base64url.h"

namespace idpd::oidc {
namespace {

constexpr std::string_view derivation_label = "idpd client secret v1";

}  // namespace

ClientSecretHasher::ClientSecretHasher(const jose::MasterKey& master) {
    unsigned int size = 0;
    HMAC(EVP_sha256(), master.data(), static_cast<int>(jose::MasterKey::size),
         reinterpret_cast<const unsigned char*>(derivation_label.data()), derivation_label.size(),
         key_.data(), &size);
}

ClientSecretHasher::~ClientSecretHasher() {
    OPENSSL_cleanse(key_.data(), key_.size());
}

std::string ClientSecretHasher::hash(std::string_view secret) const {
    std::string out(32, '\0');
    unsigned int size = 0;
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
         reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
         reinterpret_cast<unsigned char*>(out.data()), &size);
    return out;
}

bool ClientSecretHasher::matches(std::string_view secret, std::string_view stored) const {
    const std::string computed = hash(secret);
    return stored.size() == computed.size() &&
           CRYPTO_memcmp(computed.data(), stored.data(), computed.size()) == 0;
}

std::string new_client_secret(const std::string& random_bytes) {
    return jose::base64url_encode(random_bytes);
}

}  // namespace idpd::oidc
