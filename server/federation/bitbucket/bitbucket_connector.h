#pragma once

#include <memory>

#include "federation/connector.h"
#include "federation/upstream_settings.h"
#include "outbound/http_client.h"

namespace idpd::federation::bitbucket {

// A Bitbucket Cloud OAuth 2.0 consumer: bitbucket.org /site/oauth2/authorize and
// /site/oauth2/access_token (client credentials in HTTP Basic, PKCE S256), then
// api.bitbucket.org /2.0/user and /2.0/user/emails. The subject is the account's uuid, which
// never changes (a username can).
class BitbucketConnector final : public Connector {
public:
    explicit BitbucketConnector(const UpstreamSettings& settings);

    std::string_view name() const override { return "bitbucket"; }

    std::string label() const override { return "Bitbucket"; }

    Result<std::string> login_url(const LoginRequest& request) const override;
    Result<UpstreamIdentity> finish_login(const CallbackQuery& query) const override;

private:
    UpstreamSettings settings_;
    outbound::HttpClient web_;
    outbound::HttpClient api_;
};

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings);

}  // namespace idpd::federation::bitbucket
