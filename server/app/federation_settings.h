#pragma once

#include "app/config.h"
#include "federation/registry.h"

namespace idpd::app {

// [federation] mapped onto the connectors' settings.
federation::FederationOptions federation_options(const Config& config);

// The connectors of the configured upstreams; throws std::runtime_error naming a refused one.
federation::Registry federation_registry_or_throw(const Config& config);

}  // namespace idpd::app
