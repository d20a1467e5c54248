#pragma once

#include "app/config.h"
#include "jose/key_store.h"
#include "oidc/options.h"

namespace idpd::app {

// The OP's settings from the configuration, for `serve` and the `client` / `keys` commands.
oidc::Options oidc_options(const Config& config);
jose::KeyStoreOptions key_store_options(const Config& config);
// keys.master_key, or when it is empty the development key file <var_dir>/master.key
// (generated on first start, mode 0600, with a warning).
jose::MasterKeyOptions master_key_options(const Config& config);

}  // namespace idpd::app
