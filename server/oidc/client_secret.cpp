#include "oidc/client_secret.h"

#include "jose/base64url.h"

namespace idpd::oidc {
namespace {

constexpr std::string_view derivation_label = "idpd client secret v1";

}  // namespace

ClientSecretHasher::ClientSecretHasher(const jose::MasterKey& master)
    : hash_(master, derivation_label) {}

std::string ClientSecretHasher::hash(std::string_view secret) const {
    return hash_(secret);
}

bool ClientSecretHasher::matches(std::string_view secret, std::string_view stored) const {
    return hash_.matches(secret, stored);
}

std::string new_client_secret(const std::string& random_bytes) {
    return jose::base64url_encode(random_bytes);
}

}  // namespace idpd::oidc
