#include "federation/bitbucket/bitbucket_connector.h"

#include "federation/upstream_call.h"

namespace idpd::federation::bitbucket {

BitbucketConnector::BitbucketConnector(const UpstreamSettings& settings)
    : settings_(settings),
      web_(settings.auth_base_url, settings.http),
      api_(settings.api_base_url, settings.http) {}

Result<std::string> BitbucketConnector::login_url(const LoginRequest& request) const {
    return with_query(settings_.auth_base_url + "/site/oauth2/authorize",
                      {{"client_id", settings_.client_id},
                       {"response_type", "code"},
                       {"redirect_uri", request.redirect_uri},
                       {"state", request.state},
                       {"code_challenge", request.code_challenge},
                       {"code_challenge_method", "S256"}});
}

Result<UpstreamIdentity> BitbucketConnector::finish_login(const CallbackQuery& query) const {
    if (!query.error.empty()) {
        return std::unexpected(callback_error("bitbucket", query));
    }
    auto token_json = json_object(
        web_.post_form(
            "/site/oauth2/access_token",
            {{"grant_type", "authorization_code"},
             {"code", query.code},
             {"redirect_uri", query.redirect_uri},
             {"code_verifier", query.code_verifier}},
            {{"Authorization", basic_credentials(settings_.client_id, settings_.client_secret)}}),
        "bitbucket access_token");
    if (!token_json) {
        return std::unexpected(token_json.error());
    }
    auto token = access_token_of(*token_json, "bitbucket access_token");
    if (!token) {
        return std::unexpected(token.error());
    }
    const outbound::Headers auth{{"Authorization", "Bearer " + *token}};
    auto user = json_object(api_.get("/2.0/user", auth), "bitbucket /2.0/user");
    if (!user) {
        return std::unexpected(user.error());
    }
    UpstreamIdentity identity;
    identity.provider = "bitbucket";
    identity.subject = member_text(*user, "uuid");
    identity.username = member_text(*user, "username");
    identity.display_name = member_text(*user, "display_name");
    if (auto links = user->find("links"); links != user->end() && links->is_object() &&
                                          links->contains("avatar") &&
                                          (*links)["avatar"].is_object()) {
        identity.avatar_url = member_text((*links)["avatar"], "href");
    }
    if (identity.subject.empty()) {
        return fail(Error::Kind::malformed, "bitbucket /2.0/user: no uuid");
    }
    auto emails = json_object(api_.get("/2.0/user/emails", auth), "bitbucket /2.0/user/emails");
    if (!emails) {
        return std::unexpected(emails.error());
    }
    add_emails(identity, emails->value("values", nlohmann::json::array()), "is_confirmed",
               "is_primary");
    return identity;
}

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings) {
    if (settings.client_secret.empty()) {
        return fail(Error::Kind::rejected, "bitbucket_client_secret is empty");
    }
    return std::make_unique<BitbucketConnector>(settings);
}

}  // namespace idpd::federation::bitbucket
