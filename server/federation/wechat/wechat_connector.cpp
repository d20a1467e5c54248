#include "federation/wechat/wechat_connector.h"

#include "federation/upstream_call.h"

namespace idpd::federation::wechat {
namespace {

// WeChat answers errors with HTTP 200 and a non-zero errcode; -1 is "system busy".
Result<nlohmann::json> wechat_json(const outbound::Result<outbound::Response>& answer,
                                   std::string_view what) {
    auto body = json_object(answer, what);
    if (!body) {
        return body;
    }
    if (auto it = body->find("errcode");
        it != body->end() && it->is_number_integer() && it->get<std::int64_t>() != 0) {
        const auto code = it->get<std::int64_t>();
        return fail(code == -1 ? Error::Kind::unavailable : Error::Kind::rejected,
                    std::string(what) + ": errcode " + std::to_string(code) + " " +
                        member_text(*body, "errmsg"));
    }
    return body;
}

}  // namespace

WeChatConnector::WeChatConnector(const UpstreamSettings& settings)
    : settings_(settings), api_(settings.api_base_url, settings.http) {}

Result<std::string> WeChatConnector::login_url(const LoginRequest& request) const {
    // The fragment is part of WeChat's documented URL.
    return with_query(settings_.auth_base_url + "/connect/qrconnect",
                      {{"appid", settings_.client_id},
                       {"redirect_uri", request.redirect_uri},
                       {"response_type", "code"},
                       {"scope", settings_.scopes},
                       {"state", request.state}}) +
           "#wechat_redirect";
}

Result<UpstreamIdentity> WeChatConnector::finish_login(const CallbackQuery& query) const {
    if (!query.error.empty()) {
        return std::unexpected(callback_error("wechat", query));
    }
    auto token = wechat_json(
        api_.get(with_query("/sns/oauth2/access_token", {{"appid", settings_.client_id},
                                                         {"secret", settings_.client_secret},
                                                         {"code", query.code},
                                                         {"grant_type", "authorization_code"}})),
        "wechat access_token");
    if (!token) {
        return std::unexpected(token.error());
    }
    const std::string access_token = member_text(*token, "access_token");
    const std::string openid = member_text(*token, "openid");
    if (access_token.empty() || openid.empty()) {
        return fail(Error::Kind::malformed, "wechat access_token: no access_token or openid");
    }
    auto user = wechat_json(api_.get(with_query("/sns/userinfo", {{"access_token", access_token},
                                                                  {"openid", openid},
                                                                  {"lang", "zh_CN"}})),
                            "wechat userinfo");
    if (!user) {
        return std::unexpected(user.error());
    }
    if (member_text(*user, "openid") != openid) {
        return fail(Error::Kind::malformed, "wechat userinfo: another openid");
    }
    std::string unionid = member_text(*user, "unionid");
    if (unionid.empty()) {
        unionid = member_text(*token, "unionid");
    }
    UpstreamIdentity identity;
    identity.provider = "wechat";
    identity.subject = unionid.empty() ? openid : unionid;
    if (!unionid.empty()) {
        identity.previous_subjects.push_back(openid);
    }
    identity.username = member_text(*user, "nickname");
    identity.display_name = identity.username;
    identity.avatar_url = member_text(*user, "headimgurl");
    return identity;
}

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings) {
    if (settings.client_secret.empty()) {
        return fail(Error::Kind::rejected, "wechat_client_secret (AppSecret) is empty");
    }
    return std::make_unique<WeChatConnector>(settings);
}

}  // namespace idpd::federation::wechat
