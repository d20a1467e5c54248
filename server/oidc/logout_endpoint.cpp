#include "oidc/logout_endpoint.h"

#include <algorithm>
#include <array>

#include "jose/jwt.h"
#include "oidc/authorize/authorize_request.h"
#include "oidc/client_auth.h"
#include "oidc/discovery.h"

namespace idpd::oidc {
namespace {

// RP-Initiated Logout 1.0 §2: the parameters a logout request may carry.
constexpr std::array<std::string_view, 6> protocol_params{
    "id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales", "logout_hint"};

// An expired ID token still names its client and session; its age is bounded anyway, since
// only keys we still publish verify it (keys.max_token_lifetime after they retire).
constexpr std::chrono::seconds expired_hint_leeway{std::chrono::hours(24 * 366)};

Error unavailable(const std::string& what) {
    return Error{ErrorCode::temporarily_unavailable, "the signing keys are not available", what};
}

}  // namespace

Result<LogoutEndpoint::Hint> LogoutEndpoint::read_hint(std::string_view token) const {
    auto keys = keys_.verification_keys();
    if (!keys) {
        return std::unexpected(unavailable(keys.error().detail));
    }
    jose::JwtRules rules;
    rules.type = jose::TokenType::jwt;
    rules.issuer = options_.issuer;
    rules.required_claims = {"sub", "aud"};
    rules.leeway = expired_hint_leeway;
    auto verified = jose::verify_jwt(token, *keys, rules, clock_());
    if (!verified) {
        return fail(
            ErrorCode::invalid_request, "id_token_hint is not an ID token from this server",
            std::string(jose::code_name(verified.error().code)) + ": " + verified.error().detail);
    }
    Hint hint;
    const auto& claims = verified->claims;
    if (claims["aud"].is_string()) {
        hint.audience.push_back(claims["aud"].get<std::string>());
    } else if (claims["aud"].is_array()) {
        for (const auto& aud : claims["aud"]) {
            if (aud.is_string()) {
                hint.audience.push_back(aud.get<std::string>());
            }
        }
    }
    if (claims.contains("sid") && claims["sid"].is_string()) {
        hint.sid = claims["sid"].get<std::string>();
    }
    return hint;
}

Result<std::optional<Client>> LogoutEndpoint::find_client(
    const std::optional<std::string>& client_id, const std::optional<Hint>& hint) const {
    std::optional<std::string> id = client_id;
    if (hint) {
        // §2: with both, "the OP MUST verify that [client_id] matches the one used when issuing
        // the ID Token".
        if (id && std::ranges::find(hint->audience, *id) == hint->audience.end()) {
            return fail(ErrorCode::invalid_request,
                        "client_id is not the client the id_token_hint was issued to");
        }
        if (!id && hint->audience.size() == 1) {
            id = hint->audience.front();
        }
    }
    if (!id) {
        return std::optional<Client>();
    }
    auto client = clients_.find(*id);
    if (!client) {
        if (client.error().kind == store::Error::Kind::not_found) {
            return fail(ErrorCode::invalid_request, "the client is not registered",
                        "unknown client_id " + *id);
        }
        return std::unexpected(database_error(client.error()));
    }
    return std::optional<Client>(std::move(*client));
}

Result<LogoutDecision> LogoutEndpoint::decide(const http::HttpRequest& req) const {
    auto request = read_authorize_request(req);
    if (!request) {
        return std::unexpected(request.error());
    }
    if (request->repeated) {
        return fail(ErrorCode::invalid_request, "parameter " + *request->repeated + " is repeated");
    }
    std::optional<Hint> hint;
    if (auto token = request->get("id_token_hint")) {
        auto read = read_hint(*token);
        if (!read) {
            return std::unexpected(read.error());
        }
        hint = std::move(*read);
    }
    auto client = find_client(request->get("client_id"), hint);
    if (!client) {
        return std::unexpected(client.error());
    }
    LogoutDecision decision;
    decision.client = std::move(*client);
    if (auto uri = request->get("post_logout_redirect_uri")) {
        // §3: the OP MUST NOT redirect to a URI it cannot tie to a client's registration.
        if (!decision.client) {
            return fail(ErrorCode::invalid_request,
                        "post_logout_redirect_uri needs client_id or id_token_hint");
        }
        const auto& registered = decision.client->post_logout_redirect_uris;
        if (std::ranges::find(registered, *uri) == registered.end()) {
            return fail(ErrorCode::invalid_request,
                        "post_logout_redirect_uri is not registered for this client",
                        "client " + decision.client->client_id + " presented " + *uri);
        }
        decision.redirect_to = *uri;
        if (auto state = request->get("state")) {
            decision.redirect_to += decision.redirect_to.find('?') == std::string::npos ? '?' : '&';
            decision.redirect_to += "state=" + http::url_encode(*state);
        }
    }
    decision.ui_locales = request->get("ui_locales").value_or("");
    decision.form_action = issuer_path(options_.issuer) + "/logout";
    for (auto name : protocol_params) {
        if (auto value = request->get(name)) {
            decision.carried.emplace_back(std::string(name), *value);
        }
    }
    const auto session = sessions_ ? sessions_(req) : std::nullopt;
    // Nothing to end, or the RP proved it holds this very session's ID token: no question.
    const bool same_session = session && hint && !hint->sid.empty() && hint->sid == session->sid;
    decision.action = !session || same_session ? LogoutDecision::Action::end_session
                                               : LogoutDecision::Action::confirm;
    return decision;
}

http::HttpResponse LogoutEndpoint::handle(const http::HttpRequest& req) const {
    auto decision = decide(req);
    if (!decision) {
        return pages_.refuse(req, decision.error());
    }
    return pages_.respond(req, *decision);
}

}  // namespace idpd::oidc
