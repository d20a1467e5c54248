#include "federation/github/github_connector.h"

#include "federation/upstream_call.h"

namespace idpd::federation::github {
namespace {

// GitHub REST API version header (docs.github.com/en/rest/about-the-rest-api/api-versions).
const outbound::Headers api_headers(const std::string& token) {
    return {{"Authorization", "Bearer " + token},
            {"Accept", "application/vnd.github+json"},
            {"X-GitHub-Api-Version", "2022-11-28"}};
}

}  // namespace

GitHubConnector::GitHubConnector(const UpstreamSettings& settings)
    : settings_(settings),
      web_(settings.auth_base_url, settings.http),
      api_(settings.api_base_url, settings.http) {}

Result<std::string> GitHubConnector::login_url(const LoginRequest& request) const {
    return with_query(settings_.auth_base_url + "/login/oauth/authorize",
                      {{"client_id", settings_.client_id},
                       {"redirect_uri", request.redirect_uri},
                       {"scope", settings_.scopes},
                       {"state", request.state},
                       {"code_challenge", request.code_challenge},
                       {"code_challenge_method", "S256"},
                       {"allow_signup", "true"}});
}

Result<UpstreamIdentity> GitHubConnector::finish_login(const CallbackQuery& query) const {
    if (!query.error.empty()) {
        return std::unexpected(callback_error("github", query));
    }
    auto token_answer = web_.post_form("/login/oauth/access_token",
                                       {{"client_id", settings_.client_id},
                                        {"client_secret", settings_.client_secret},
                                        {"code", query.code},
                                        {"redirect_uri", query.redirect_uri},
                                        {"code_verifier", query.code_verifier}},
                                       {{"Accept", "application/json"}});
    auto token_json = json_object(token_answer, "github access_token");
    if (!token_json) {
        return std::unexpected(token_json.error());
    }
    auto token = access_token_of(*token_json, "github access_token");
    if (!token) {
        return std::unexpected(token.error());
    }
    auto user = json_object(api_.get("/user", api_headers(*token)), "github /user");
    if (!user) {
        return std::unexpected(user.error());
    }
    UpstreamIdentity identity;
    identity.provider = "github";
    identity.subject = member_text(*user, "id");
    identity.username = member_text(*user, "login");
    identity.display_name = member_text(*user, "name");
    identity.avatar_url = member_text(*user, "avatar_url");
    if (identity.subject.empty()) {
        return fail(Error::Kind::malformed, "github /user: no id");
    }
    // /user/emails is an array, so json_object() does not fit; the user:email scope grants it.
    auto emails = api_.get("/user/emails", api_headers(*token));
    if (!emails || emails->status != 200) {
        return fail(emails ? Error::Kind::rejected : Error::Kind::unavailable,
                    "github /user/emails: " +
                        (emails ? std::to_string(emails->status) : emails.error().detail));
    }
    auto list = nlohmann::json::parse(emails->body, nullptr, false);
    if (!list.is_array()) {
        return fail(Error::Kind::malformed, "github /user/emails: not an array");
    }
    add_emails(identity, list, "verified", "primary");
    return identity;
}

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings) {
    if (settings.client_secret.empty()) {
        return fail(Error::Kind::rejected, "federation.github_client_secret is empty");
    }
    return std::make_unique<GitHubConnector>(settings);
}

}  // namespace idpd::federation::github
