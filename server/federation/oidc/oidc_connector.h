#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "federation/connector.h"
#include "federation/upstream_settings.h"
#include "jose/jwks.h"
#include "outbound/http_client.h"

namespace idpd::federation::oidc {

// Any OpenID Connect provider (GitLab, Google, a parent company's login): its endpoints from
// discovery (OpenID Connect Discovery §4, read on first use and kept), the code flow with PKCE
// S256 and a nonce, client_secret_basic at the token endpoint, and the ID token verified
// against the provider's JWKS (OIDC Core §3.1.3.7: signature, iss = the discovered issuer,
// aud = our client_id, exp, and the nonce we sent). The JWKS is read again once when a token
// names a kid we do not hold (key rotation). The subject is the ID token's sub.
class OidcConnector final : public Connector {
public:
    explicit OidcConnector(const UpstreamSettings& settings);

    std::string_view name() const override { return "oidc"; }

    std::string label() const override { return settings_.display_name; }

    Result<std::string> login_url(const LoginRequest& request) const override;
    Result<UpstreamIdentity> finish_login(const CallbackQuery& query) const override;

private:
    struct Discovery {
        std::string issuer, authorization_endpoint, token_endpoint, jwks_uri;
    };

    Result<Discovery> discovery() const;
    Result<jose::KeySet> keys(const Discovery& found, bool refresh) const;
    Result<nlohmann::json> verified_claims(const Discovery& found, const std::string& id_token,
                                           const std::string& nonce) const;

    UpstreamSettings settings_;
    outbound::HttpClient client_;
    mutable std::mutex mutex_;  // guards the two caches below
    mutable std::optional<Discovery> discovery_;
    mutable std::optional<jose::KeySet> keys_;
};

// Errors: oidc_issuer_url or the client secret is missing.
Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings);

}  // namespace idpd::federation::oidc
