#include "app/oidc_runtime.h"

#include <chrono>
#include <iostream>

#include "app/client_files.h"
#include "app/oidc_settings.h"
#include "app/serve.h"
#include "store/open.h"

namespace idpd::app {

std::unique_ptr<OidcRuntime> open_oidc_runtime(const Config& config) {
    auto db = open_configured_database(config, std::cerr);
    if (!db) {
        return nullptr;
    }
    auto master = jose::load_master_key(master_key_options(config));
    if (!master) {
        std::cerr << "idpd: master key: " << master.error().detail << '\n';
        return nullptr;
    }
    auto runtime = std::make_unique<OidcRuntime>();
    runtime->db = std::move(db);
    runtime->master = std::make_unique<jose::MasterKey>(std::move(*master));
    runtime->keys = std::make_unique<jose::KeyStore>(
        *runtime->db, *runtime->master, key_store_options(config), std::chrono::system_clock::now);
    runtime->hasher = std::make_unique<oidc::ClientSecretHasher>(*runtime->master);
    runtime->limits = operator_client_limits(config);
    return runtime;
}

}  // namespace idpd::app
