#include "federation/qq/qq_connector.h"

#include "federation/upstream_call.h"
#include "http/request.h"

namespace idpd::federation::qq {
namespace {

// The body of a 2xx answer, or the error of a failed call.
Result<std::string> body_of(const outbound::Result<outbound::Response>& answer,
                            std::string_view what) {
    if (!answer) {
        return fail(Error::Kind::unavailable, std::string(what) + ": " + answer.error().detail);
    }
    if (answer->status < 200 || answer->status >= 300) {
        return fail(answer->status >= 500 ? Error::Kind::unavailable : Error::Kind::rejected,
                    std::string(what) + ": HTTP " + std::to_string(answer->status));
    }
    return answer->body;
}

// QQ's JSONP error: callback( {"error":100020,"error_description":"code is reused error"} );
std::optional<Error> jsonp_error(const nlohmann::json& body, std::string_view what) {
    if (body.is_object() && body.contains("error")) {
        return Error{Error::Kind::rejected, std::string(what) + ": " + member_text(body, "error") +
                                                " " + member_text(body, "error_description")};
    }
    return std::nullopt;
}

}  // namespace

QqConnector::QqConnector(const UpstreamSettings& settings)
    : settings_(settings), api_(settings.api_base_url, settings.http) {}

Result<std::string> QqConnector::login_url(const LoginRequest& request) const {
    return with_query(settings_.auth_base_url + "/oauth2.0/authorize",
                      {{"response_type", "code"},
                       {"client_id", settings_.client_id},
                       {"redirect_uri", request.redirect_uri},
                       {"state", request.state},
                       {"scope", settings_.scopes}});
}

Result<std::string> QqConnector::exchange(const CallbackQuery& query) const {
    auto body =
        body_of(api_.get(with_query("/oauth2.0/token", {{"grant_type", "authorization_code"},
                                                        {"client_id", settings_.client_id},
                                                        {"client_secret", settings_.client_secret},
                                                        {"code", query.code},
                                                        {"redirect_uri", query.redirect_uri}})),
                "qq token");
    if (!body) {
        return std::unexpected(body.error());
    }
    // Success is form-encoded (access_token=…&expires_in=…), failure is JSONP.
    if (body->find("callback") != std::string::npos || body->starts_with("{")) {
        auto json = jsonp_object(*body);
        if (auto error = jsonp_error(json, "qq token")) {
            return std::unexpected(*error);
        }
        return fail(Error::Kind::malformed, "qq token: " + body->substr(0, 200));
    }
    for (const auto& [name, value] : http::parse_urlencoded(*body)) {
        if (name == "access_token" && !value.empty()) {
            return value;
        }
    }
    return fail(Error::Kind::malformed, "qq token: no access_token");
}

Result<UpstreamIdentity> QqConnector::finish_login(const CallbackQuery& query) const {
    if (!query.error.empty()) {
        return std::unexpected(callback_error("qq", query));
    }
    auto token = exchange(query);
    if (!token) {
        return std::unexpected(token.error());
    }
    auto me_body =
        body_of(api_.get(with_query("/oauth2.0/me", {{"access_token", *token}, {"unionid", "1"}})),
                "qq me");
    if (!me_body) {
        return std::unexpected(me_body.error());
    }
    auto me = jsonp_object(*me_body);
    if (auto error = jsonp_error(me, "qq me")) {
        return std::unexpected(*error);
    }
    const std::string openid = me.is_object() ? member_text(me, "openid") : "";
    if (openid.empty() || member_text(me, "client_id") != settings_.client_id) {
        return fail(Error::Kind::malformed, "qq me: no openid for our client_id");
    }
    auto info = json_object(
        api_.get(with_query("/user/get_user_info", {{"access_token", *token},
                                                    {"oauth_consumer_key", settings_.client_id},
                                                    {"openid", openid}})),
        "qq get_user_info");
    if (!info) {
        return std::unexpected(info.error());
    }
    if (auto ret = info->find("ret");
        ret == info->end() || !ret->is_number_integer() || ret->get<std::int64_t>() != 0) {
        return fail(Error::Kind::rejected, "qq get_user_info: ret " + member_text(*info, "ret") +
                                               " " + member_text(*info, "msg"));
    }
    const std::string unionid = member_text(me, "unionid");
    UpstreamIdentity identity;
    identity.provider = "qq";
    identity.subject = unionid.empty() ? openid : unionid;
    if (!unionid.empty()) {
        identity.previous_subjects.push_back(openid);
    }
    identity.username = member_text(*info, "nickname");
    identity.display_name = identity.username;
    identity.avatar_url = member_text(*info, "figureurl_qq_2");
    if (identity.avatar_url.empty()) {
        identity.avatar_url = member_text(*info, "figureurl_qq_1");
    }
    return identity;
}

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings) {
    if (settings.client_secret.empty()) {
        return fail(Error::Kind::rejected, "qq_client_secret (APP Key) is empty");
    }
    return std::make_unique<QqConnector>(settings);
}

}  // namespace idpd::federation::qq
