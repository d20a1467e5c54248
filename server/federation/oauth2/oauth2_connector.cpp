#include "federation/oauth2/oauth2_connector.h"

#include "federation/upstream_call.h"

namespace idpd::federation::oauth2 {

OAuth2Connector::OAuth2Connector(const UpstreamSettings& settings)
    : settings_(settings), client_(settings.token_url, settings.http) {}

Result<std::string> OAuth2Connector::login_url(const LoginRequest& request) const {
    Fields fields{{"response_type", "code"},
                  {"client_id", settings_.client_id},
                  {"redirect_uri", request.redirect_uri},
                  {"state", request.state},
                  {"code_challenge", request.code_challenge},
                  {"code_challenge_method", "S256"}};
    if (!settings_.scopes.empty()) {
        fields.emplace_back("scope", settings_.scopes);
    }
    return with_query(settings_.authorize_url, fields);
}

Result<UpstreamIdentity> OAuth2Connector::finish_login(const CallbackQuery& query) const {
    if (!query.error.empty()) {
        return std::unexpected(callback_error("oauth2", query));
    }
    // RFC 6749 §4.1.3 with the credentials in the body (§2.3.1) and RFC 7636 §4.5.
    auto token_json = json_object(client_.post_form(settings_.token_url,
                                                    {{"grant_type", "authorization_code"},
                                                     {"code", query.code},
                                                     {"redirect_uri", query.redirect_uri},
                                                     {"client_id", settings_.client_id},
                                                     {"client_secret", settings_.client_secret},
                                                     {"code_verifier", query.code_verifier}},
                                                    {{"Accept", "application/json"}}),
                                  "oauth2 token");
    if (!token_json) {
        return std::unexpected(token_json.error());
    }
    auto token = access_token_of(*token_json, "oauth2 token");
    if (!token) {
        return std::unexpected(token.error());
    }
    auto profile = json_object(
        client_.get(settings_.userinfo_url,
                    {{"Authorization", "Bearer " + *token}, {"Accept", "application/json"}}),
        "oauth2 userinfo");
    if (!profile) {
        return std::unexpected(profile.error());
    }
    UpstreamIdentity identity;
    identity.provider = "oauth2";
    identity.subject = member_text(*profile, settings_.id_claim);
    if (identity.subject.empty()) {
        return fail(Error::Kind::malformed, "oauth2 userinfo: no " + settings_.id_claim);
    }
    identity.username = member_text(*profile, settings_.username_claim);
    identity.display_name = member_text(*profile, settings_.name_claim);
    identity.avatar_url = member_text(*profile, settings_.avatar_claim);
    if (auto email = member_text(*profile, settings_.email_claim); !email.empty()) {
        bool verified = false;
        if (!settings_.email_verified_claim.empty()) {
            auto it = profile->find(settings_.email_verified_claim);
            verified = it != profile->end() && it->is_boolean() && it->get<bool>();
        }
        identity.emails.push_back({email, verified});
    }
    return identity;
}

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings) {
    for (const auto* url : {&settings.authorize_url, &settings.token_url, &settings.userinfo_url}) {
        if (url->empty()) {
            return fail(Error::Kind::rejected,
                        "oauth2_authorize_url, oauth2_token_url and oauth2_userinfo_url are "
                        "required");
        }
    }
    if (settings.client_secret.empty() || settings.id_claim.empty()) {
        return fail(Error::Kind::rejected, "oauth2_client_secret and oauth2_id_claim are required");
    }
    return std::make_unique<OAuth2Connector>(settings);
}

}  // namespace idpd::federation::oauth2
