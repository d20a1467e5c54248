#pragma once

#include <memory>

#include "federation/connector.h"
#include "federation/upstream_settings.h"
#include "outbound/http_client.h"

namespace idpd::federation::github {

// A GitHub OAuth app: github.com/login/oauth/authorize (with PKCE S256), access_token, then
// api.github.com /user and /user/emails. The subject is the numeric user id (a login can be
// renamed). Defaults: auth_base_url https://github.com, api_base_url https://api.github.com.
class GitHubConnector final : public Connector {
public:
    explicit GitHubConnector(const UpstreamSettings& settings);

    std::string_view name() const override { return "github"; }

    std::string label() const override { return "GitHub"; }

    Result<std::string> login_url(const LoginRequest& request) const override;
    Result<UpstreamIdentity> finish_login(const CallbackQuery& query) const override;

private:
    UpstreamSettings settings_;
    outbound::HttpClient web_;
    outbound::HttpClient api_;
};

// Errors: none yet beyond a missing client secret.
Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings);

}  // namespace idpd::federation::github
