#pragma once

#include <memory>

#include "federation/connector.h"
#include "federation/upstream_settings.h"
#include "outbound/http_client.h"

namespace idpd::federation::wechat {

// WeChat Open Platform website login (网站应用微信登录): the QR page open.weixin.qq.com
// /connect/qrconnect, then api.weixin.qq.com /sns/oauth2/access_token and /sns/userinfo.
// The subject is the unionid when WeChat sends one, the openid otherwise; with a unionid the
// openid is a previous subject, so an account first bound by openid is found again. WeChat
// supports neither PKCE nor a nonce; its errors are HTTP 200 {"errcode","errmsg"}.
class WeChatConnector final : public Connector {
public:
    explicit WeChatConnector(const UpstreamSettings& settings);

    std::string_view name() const override { return "wechat"; }

    std::string label() const override { return "微信"; }

    Result<std::string> login_url(const LoginRequest& request) const override;
    Result<UpstreamIdentity> finish_login(const CallbackQuery& query) const override;

private:
    UpstreamSettings settings_;
    outbound::HttpClient api_;
};

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings);

}  // namespace idpd::federation::wechat
