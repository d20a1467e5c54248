#pragma once

#include <memory>

#include "federation/connector.h"
#include "federation/upstream_settings.h"
#include "outbound/http_client.h"

namespace idpd::federation::oauth2 {

// Any OAuth2 upstream with a JSON profile endpoint (Coding and similar): the configured
// authorize, token and userinfo URLs, the code flow with PKCE S256 and client_secret_post,
// and a claim mapping (settings' *_claim) from profile members to the identity. An email is
// taken as verified only when email_verified_claim names a member that is true.
class OAuth2Connector final : public Connector {
public:
    explicit OAuth2Connector(const UpstreamSettings& settings);

    std::string_view name() const override { return "oauth2"; }

    std::string label() const override { return settings_.display_name; }

    Result<std::string> login_url(const LoginRequest& request) const override;
    Result<UpstreamIdentity> finish_login(const CallbackQuery& query) const override;

private:
    UpstreamSettings settings_;
    outbound::HttpClient client_;  // every URL is absolute
};

// Errors: an endpoint URL or the client secret or the id claim is missing.
Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings);

}  // namespace idpd::federation::oauth2
