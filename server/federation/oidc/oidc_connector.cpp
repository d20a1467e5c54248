#include "federation/oidc/oidc_connector.h"

#include <chrono>

#include "federation/upstream_call.h"
#include "jose/jwt.h"

namespace idpd::federation::oidc {

OidcConnector::OidcConnector(const UpstreamSettings& settings)
    : settings_(settings), client_(settings.issuer, settings.http) {}

Result<OidcConnector::Discovery> OidcConnector::discovery() const {
    {
        std::lock_guard lock(mutex_);
        if (discovery_) {
            return *discovery_;
        }
    }
    auto doc = json_object(client_.get("/.well-known/openid-configuration"), "oidc discovery");
    if (!doc) {
        return std::unexpected(doc.error());
    }
    Discovery found{member_text(*doc, "issuer"), member_text(*doc, "authorization_endpoint"),
                    member_text(*doc, "token_endpoint"), member_text(*doc, "jwks_uri")};
    // OpenID Connect Discovery §4.3: the issuer in the document must be the one configured.
    if (found.issuer != settings_.issuer || found.authorization_endpoint.empty() ||
        found.token_endpoint.empty() || found.jwks_uri.empty()) {
        return fail(Error::Kind::malformed,
                    "oidc discovery: issuer mismatch or an endpoint missing (issuer \"" +
                        found.issuer + "\")");
    }
    std::lock_guard lock(mutex_);
    discovery_ = found;
    return found;
}

Result<jose::KeySet> OidcConnector::keys(const Discovery& found, bool refresh) const {
    {
        std::lock_guard lock(mutex_);
        if (keys_ && !refresh) {
            return *keys_;
        }
    }
    auto doc = json_object(client_.get(found.jwks_uri), "oidc jwks");
    if (!doc) {
        return std::unexpected(doc.error());
    }
    auto set = jose::KeySet::from_jwks(*doc);
    if (!set) {
        return fail(Error::Kind::malformed, "oidc jwks: " + set.error().detail);
    }
    std::lock_guard lock(mutex_);
    keys_ = *set;
    return *set;
}

Result<std::string> OidcConnector::login_url(const LoginRequest& request) const {
    auto found = discovery();
    if (!found) {
        return std::unexpected(found.error());
    }
    return with_query(found->authorization_endpoint, {{"response_type", "code"},
                                                      {"client_id", settings_.client_id},
                                                      {"redirect_uri", request.redirect_uri},
                                                      {"scope", settings_.scopes},
                                                      {"state", request.state},
                                                      {"nonce", request.nonce},
                                                      {"code_challenge", request.code_challenge},
                                                      {"code_challenge_method", "S256"}});
}

Result<nlohmann::json> OidcConnector::verified_claims(const Discovery& found,
                                                      const std::string& id_token,
                                                      const std::string& nonce) const {
    jose::JwtRules rules;
    rules.issuer = found.issuer;
    rules.audience = settings_.client_id;
    rules.required_claims = {"sub", "iat"};
    const auto now = std::chrono::system_clock::now();
    auto set = keys(found, false);
    if (!set) {
        return std::unexpected(set.error());
    }
    auto verified = jose::verify_jwt(id_token, *set, rules, now);
    if (!verified && verified.error().code == jose::ErrorCode::unknown_key) {
        set = keys(found, true);  // the provider may have rotated its keys
        if (!set) {
            return std::unexpected(set.error());
        }
        verified = jose::verify_jwt(id_token, *set, rules, now);
    }
    if (!verified) {
        return fail(Error::Kind::malformed, "oidc id_token: " + verified.error().detail);
    }
    // OIDC Core §3.1.3.7 step 11: the nonce must be the one this browser's request sent.
    if (member_text(verified->claims, "nonce") != nonce) {
        return fail(Error::Kind::malformed, "oidc id_token: nonce mismatch");
    }
    return verified->claims;
}

Result<UpstreamIdentity> OidcConnector::finish_login(const CallbackQuery& query) const {
    if (!query.error.empty()) {
        return std::unexpected(callback_error("oidc", query));
    }
    auto found = discovery();
    if (!found) {
        return std::unexpected(found.error());
    }
    auto token_json = json_object(
        client_.post_form(
            found->token_endpoint,
            {{"grant_type", "authorization_code"},
             {"code", query.code},
             {"redirect_uri", query.redirect_uri},
             {"code_verifier", query.code_verifier}},
            {{"Authorization", basic_credentials(settings_.client_id, settings_.client_secret)}}),
        "oidc token");
    if (!token_json) {
        return std::unexpected(token_json.error());
    }
    if (auto error = member_text(*token_json, "error"); !error.empty()) {
        return fail(Error::Kind::rejected, "oidc token: " + error);
    }
    const std::string id_token = member_text(*token_json, "id_token");
    if (id_token.empty()) {
        return fail(Error::Kind::malformed, "oidc token: no id_token");
    }
    auto claims = verified_claims(*found, id_token, query.nonce);
    if (!claims) {
        return std::unexpected(claims.error());
    }
    UpstreamIdentity identity;
    identity.provider = "oidc";
    identity.subject = member_text(*claims, "sub");
    identity.username = member_text(*claims, "preferred_username");
    identity.display_name = member_text(*claims, "name");
    identity.avatar_url = member_text(*claims, "picture");
    if (auto email = member_text(*claims, "email"); !email.empty()) {
        auto verified = claims->find("email_verified");
        identity.emails.push_back(
            {email, verified != claims->end() && verified->is_boolean() && verified->get<bool>()});
    }
    return identity;
}

Result<std::unique_ptr<Connector>> open(const UpstreamSettings& settings) {
    if (settings.issuer.empty() || settings.client_secret.empty()) {
        return fail(Error::Kind::rejected, "oidc_issuer_url and oidc_client_secret are required");
    }
    return std::make_unique<OidcConnector>(settings);
}

}  // namespace idpd::federation::oidc
