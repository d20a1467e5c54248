#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/config.h"
#include "jose/key_store.h"
#include "oidc/client_secret.h"
#include "oidc/client_validation.h"
#include "store/database.h"

namespace idpd::app {

// What the client and keys commands need: the database, the master key and the key store,
// opened from the configuration. Prints the reason and returns nullptr on failure.
struct OidcRuntime {
    std::unique_ptr<store::Database> db;
    std::unique_ptr<jose::MasterKey> master;
    std::unique_ptr<jose::KeyStore> keys;
    std::unique_ptr<oidc::ClientSecretHasher> hasher;
    oidc::ClientLimits limits;  // what validate_client allows the operator
};

std::unique_ptr<OidcRuntime> open_oidc_runtime(const Config& config);

}  // namespace idpd::app
