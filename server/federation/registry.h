#pragma once

#include <chrono>
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "federation/connector.h"
#include "federation/upstream_settings.h"

namespace idpd::federation {

// [federation] as the pages use it (app/federation_settings.cpp maps the config).
struct FederationOptions {
    std::map<std::string, UpstreamSettings> upstreams;  // by connector name
    std::chrono::seconds state_ttl{std::chrono::minutes(10)};
    std::chrono::seconds pending_ttl{std::chrono::minutes(30)};
};

// The connectors of the configured upstreams, in the order their buttons show. The one table
// of known upstreams is in registry.cpp (no self-registration).
class Registry {
public:
    Registry() = default;

    // Builds a connector for each configured upstream. Errors: the first one refused, named
    // ("federation.oidc_issuer: …"); an unknown name is refused too.
    static std::expected<Registry, std::string> open(const FederationOptions& options);

    // The connector called `name`, or nullptr when it is not configured.
    const Connector* find(std::string_view name) const;

    const std::vector<std::unique_ptr<Connector>>& connectors() const { return connectors_; }

    const FederationOptions& options() const { return options_; }

private:
    FederationOptions options_;
    std::vector<std::unique_ptr<Connector>> connectors_;
};

// The upstream names the registry knows, in button order.
const std::vector<std::string>& known_upstreams();

}  // namespace idpd::federation
