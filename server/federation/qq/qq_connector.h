#pragma once

#include <memory>

#include "federation/connector.h"
#include "federation/upstream_settings.h"
#include "outbound/http_client.h"

namespace idpd::federation::qq {

// QQ Connect (QQ互联) website login: graph.qq.com /oauth2.0/authorize, /oauth2.0/token (a
// form-encoded answer, errors as JSONP `callback( {...} );`), /oauth2.0/me?unionid=1 (JSONP)
// and /user/get_user_info. The subject is the unionid when QQ sends one (the openid is then a
// previous subject), the openid otherwise. No PKCE, no nonce.
class QqConnector final : public Connector {
public:
    explicit QqConnector(const UpstreamSettings& settings);

    std::string_view name() const override { return "qq"; }

    std::string label() const override { return "QQ"; }

    Result<std::string> login_url(const LoginRequest& request) const override;
    Result<UpstreamIdentity> finish_login(const CallbackQuery& query) const override;

private:
    Result<std::string> exchange(const CallbackQuery& query) const;

    UpstreamSettings settings_;
    outbound::HttpClient api_;
};

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings);

}  // namespace idpd::federation::qq
