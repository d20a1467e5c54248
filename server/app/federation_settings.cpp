#include "app/federation_settings.h"

#include <stdexcept>

namespace idpd::app {

const std::vector<std::pair<std::string, std::string>>& federation_upstream_keys() {
    // Every upstream's keys with their defaults; config/idpd.toml documents each one.
    static const std::vector<std::pair<std::string, std::string>> keys{
        {"github_client_id", ""},
        {"github_client_secret", ""},
        {"github_scopes", "read:user user:email"},
        {"github_auth_base_url", "https://github.com"},
        {"github_api_base_url", "https://api.github.com"},
        {"bitbucket_client_id", ""},
        {"bitbucket_client_secret", ""},
        {"bitbucket_scopes", "account email"},
        {"bitbucket_auth_base_url", "https://bitbucket.org"},
        {"bitbucket_api_base_url", "https://api.bitbucket.org"},
        {"wechat_client_id", ""},
        {"wechat_client_secret", ""},
        {"wechat_scopes", "snsapi_login"},
        {"wechat_auth_base_url", "https://open.weixin.qq.com"},
        {"wechat_api_base_url", "https://api.weixin.qq.com"},
        {"qq_client_id", ""},
        {"qq_client_secret", ""},
        {"qq_scopes", "get_user_info"},
        {"qq_auth_base_url", "https://graph.qq.com"},
        {"qq_api_base_url", "https://graph.qq.com"},
        {"oidc_client_id", ""},
        {"oidc_client_secret", ""},
        {"oidc_scopes", "openid profile email"},
        {"oidc_issuer_url", ""},
        {"oidc_display_name", "OpenID Connect"},
        {"oauth2_client_id", ""},
        {"oauth2_client_secret", ""},
        {"oauth2_scopes", ""},
        {"oauth2_display_name", "OAuth2"},
        {"oauth2_authorize_url", ""},
        {"oauth2_token_url", ""},
        {"oauth2_userinfo_url", ""},
        {"oauth2_id_claim", "id"},
        {"oauth2_username_claim", "login"},
        {"oauth2_name_claim", "name"},
        {"oauth2_email_claim", "email"},
        {"oauth2_email_verified_claim", ""},
        {"oauth2_avatar_claim", "avatar_url"},
    };
    return keys;
}

federation::FederationOptions federation_options(const Config& config) {
    federation::FederationOptions options;
    options.state_ttl = config.federation.state_ttl;
    options.pending_ttl = config.federation.pending_ttl;
    const auto& values = config.federation.upstream;
    auto value = [&](const std::string& name, const std::string& key) {
        auto it = values.find(name + "_" + key);
        return it == values.end() ? std::string() : it->second;
    };
    for (const auto& name : federation::known_upstreams()) {
        federation::UpstreamSettings s;
        s.client_id = value(name, "client_id");
        s.client_secret = value(name, "client_secret");
        s.scopes = value(name, "scopes");
        s.auth_base_url = value(name, "auth_base_url");
        s.api_base_url = value(name, "api_base_url");
        s.display_name = value(name, "display_name");
        s.issuer = value(name, "issuer_url");
        s.authorize_url = value(name, "authorize_url");
        s.token_url = value(name, "token_url");
        s.userinfo_url = value(name, "userinfo_url");
        s.id_claim = value(name, "id_claim");
        s.username_claim = value(name, "username_claim");
        s.name_claim = value(name, "name_claim");
        s.email_claim = value(name, "email_claim");
        s.email_verified_claim = value(name, "email_verified_claim");
        s.avatar_claim = value(name, "avatar_claim");
        options.upstreams.emplace(name, std::move(s));
    }
    return options;
}

federation::Registry federation_registry_or_throw(const Config& config) {
    auto registry = federation::Registry::open(federation_options(config));
    if (!registry) {
        throw std::runtime_error(registry.error());
    }
    return std::move(*registry);
}

}  // namespace idpd::app
