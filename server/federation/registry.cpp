#include "federation/registry.h"

#include "federation/bitbucket/bitbucket_connector.h"
#include "federation/github/github_connector.h"
#include "federation/oauth2/oauth2_connector.h"
#include "federation/oidc/oidc_connector.h"
#include "federation/qq/qq_connector.h"
#include "federation/wechat/wechat_connector.h"

namespace idpd::federation {
namespace {

using Open = Result<std::unique_ptr<Connector>> (*)(const UpstreamSettings&);

struct Known {
    std::string_view name;
    Open open;
};

// Every upstream idpd can use, in button order.
const std::vector<Known>& table() {
    static const std::vector<Known> known{
        {"github", github::open}, {"bitbucket", bitbucket::open}, {"wechat", wechat::open},
        {"qq", qq::open},         {"oidc", oidc::open},           {"oauth2", oauth2::open},
    };
    return known;
}

}  // namespace

const std::vector<std::string>& known_upstreams() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& k : table()) {
            out.emplace_back(k.name);
        }
        return out;
    }();
    return names;
}

std::expected<Registry, std::string> Registry::open(const FederationOptions& options) {
    Registry registry;
    registry.options_ = options;
    for (const auto& [name, settings] : options.upstreams) {
        bool known = false;
        for (const auto& k : table()) {
            known = known || k.name == name;
        }
        if (!known) {
            return std::unexpected("federation: unknown upstream \"" + name + "\"");
        }
    }
    for (const auto& k : table()) {
        auto it = options.upstreams.find(std::string(k.name));
        if (it == options.upstreams.end() || !it->second.is_configured()) {
            continue;
        }
        auto connector = k.open(it->second);
        if (!connector) {
            return std::unexpected("federation." + std::string(k.name) + ": " +
                                   connector.error().detail);
        }
        registry.connectors_.push_back(std::move(*connector));
    }
    return registry;
}

const Connector* Registry::find(std::string_view name) const {
    for (const auto& c : connectors_) {
        if (c->name() == name) {
            return c.get();
        }
    }
    return nullptr;
}

}  // namespace idpd::federation
