#include "oidc/userinfo_endpoint.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "oidc/dpop.h"
#include "oidc/scope.h"
#include "oidc/token_claims.h"

namespace idpd::oidc {
namespace {

// RFC 6750 §3: the challenge names the error; the body stays empty for a missing token (§3.1:
// "SHOULD NOT include an error code" when the request lacks authentication).
http::HttpResponse bearer_error(int status, std::string_view error, std::string_view description) {
    auto response = http::HttpResponse::json(
        status, error.empty()
                    ? "{}"
                    : nlohmann::json{{"error", error}, {"error_description", description}}.dump());
    std::string challenge = "Bearer realm=\"idpd\"";
    if (!error.empty()) {
        challenge += ", error=\"" + std::string(error) + "\", error_description=\"" +
                     sanitize_description(description) + "\"";
    }
    response.headers.set("WWW-Authenticate", challenge);
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    return response;
}

// RFC 9449 §7.1: the DPoP challenge, naming the algs we accept.
http::HttpResponse dpop_error(std::string_view error, std::string_view description) {
    auto response = http::HttpResponse::json(
        401, nlohmann::json{{"error", error}, {"error_description", description}}.dump());
    std::string algs;
    for (const auto& alg : DpopVerifier::algs()) {
        algs += (algs.empty() ? "" : " ") + alg;
    }
    response.headers.set("WWW-Authenticate", "DPoP algs=\"" + algs + "\", error=\"" +
                                                 std::string(error) + "\", error_description=\"" +
                                                 sanitize_description(description) + "\"");
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    return response;
}

bool is_form(const http::HttpRequest& req) {
    std::string type = req.headers.get("Content-Type").value_or("");
    type = type.substr(0, type.find(';'));
    std::ranges::transform(type, type.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    return type == "application/x-www-form-urlencoded";
}

struct Presented {
    std::optional<std::string> token;
    bool dpop = false;    // sent as Authorization: DPoP (RFC 9449 §7.1)
    std::string problem;  // non-empty: invalid_request
};

// RFC 6750 §2: one method only; the header's scheme is case-insensitive.
Presented presented_token(const http::HttpRequest& req) {
    Presented out;
    std::optional<std::string> from_form;
    if (req.method == http::Method::post && is_form(req)) {
        int seen = 0;
        for (auto& [name, value] : req.form_params()) {
            if (name == "access_token") {
                ++seen;
                from_form = value;
            }
        }
        if (seen > 1) {
            out.problem = "access_token is repeated";
            return out;
        }
    }
    auto header = req.headers.get("Authorization");
    if (header) {
        if (from_form) {
            out.problem = "use one way to send the access token";
            return out;
        }
        const auto space = header->find(' ');
        std::string scheme = header->substr(0, space);
        std::ranges::transform(scheme, scheme.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if ((scheme != "bearer" && scheme != "dpop") || space == std::string::npos ||
            space + 1 >= header->size()) {
            out.problem = "the Authorization header must be Bearer or DPoP";
            return out;
        }
        out.dpop = scheme == "dpop";
        out.token = header->substr(space + 1);
        return out;
    }
    if (from_form && !from_form->empty()) {
        out.token = from_form;
    }
    return out;
}

}  // namespace

std::optional<http::HttpResponse> UserinfoEndpoint::check_binding(
    const http::HttpRequest& req, bool dpop_scheme, const ActiveAccessToken& token,
    const std::string& token_value) const {
    if (!dpop_scheme) {
        // RFC 9449 §7.2: a DPoP-bound token is worthless without its key.
        if (!token.jkt.empty()) {
            return dpop_error("invalid_token", "this access token is DPoP-bound: use DPoP");
        }
        return std::nullopt;
    }
    auto proof = dpop_.verify(req, url_, token_value);
    if (!proof) {
        if (proof.error().code != ErrorCode::invalid_dpop_proof) {
            return error_response(req, proof.error());
        }
        return dpop_error("invalid_dpop_proof", proof.error().description);
    }
    if (!*proof) {
        return dpop_error("invalid_dpop_proof", "a DPoP proof is required");
    }
    if (token.jkt.empty()) {
        return dpop_error("invalid_token", "the access token is not DPoP-bound: use Bearer");
    }
    if ((*proof)->jkt != token.jkt) {
        return dpop_error("invalid_dpop_proof", "the DPoP proof's key is not the token's");
    }
    return std::nullopt;
}

http::HttpResponse UserinfoEndpoint::handle(const http::HttpRequest& req) const {
    const Presented presented = presented_token(req);
    if (!presented.problem.empty()) {
        return bearer_error(400, "invalid_request", presented.problem);
    }
    const std::optional<std::string> presented_token_value = presented.token;
    if (!presented_token_value) {
        return bearer_error(401, "", "");
    }
    auto active = reader_.read(*presented_token_value);
    if (!active) {
        return error_response(req, active.error());
    }
    const std::optional<ActiveAccessToken> token = std::move(*active);
    if (!token) {
        return presented.dpop
                   ? dpop_error("invalid_token", "the access token is invalid or has expired")
                   : bearer_error(401, "invalid_token",
                                  "the access token is invalid or has expired");
    }
    if (auto refused = check_binding(req, presented.dpop, *token, *presented_token_value)) {
        return std::move(*refused);
    }
    const auto scopes = split_scope(token->scope);
    auto has = [&scopes](std::string_view scope) {
        return std::ranges::find(scopes, scope) != scopes.end();
    };
    // OIDC Core §5.3: the token must come from an OpenID Connect request. The client
    // credentials grant never grants openid, so such a token always names a user.
    if (!has("openid")) {
        return bearer_error(403, "insufficient_scope", "the access token lacks the openid scope");
    }
    // The sub is what the client saw (OIDC Core §8): the claims answer with the same one.
    const std::string& sub = token->subject;
    auto user_id = subjects_.user_of(sub);
    if (!user_id) {
        return error_response(req, user_id.error());
    }
    if (!*user_id) {
        return bearer_error(401, "invalid_token", "the access token does not name a user");
    }
    auto looked_up = users_ ? users_(**user_id) : Result<std::optional<UserProfile>>();
    if (!looked_up) {
        return error_response(req, looked_up.error());
    }
    const std::optional<UserProfile> profile = std::move(*looked_up);
    if (!profile) {
        // Deleted or disabled since: the token no longer speaks for anyone.
        return bearer_error(401, "invalid_token", "the access token is invalid or has expired");
    }
    nlohmann::json claims{{"sub", sub}};
    if (has("profile")) {
        claims["preferred_username"] = profile->preferred_username;
        claims["name"] = profile->name;
        claims["updated_at"] = profile->updated_at;
        if (profile->picture) {
            claims["picture"] = *profile->picture;
        }
    }
    if (has("email") && profile->email) {
        claims["email"] = *profile->email;
        claims["email_verified"] = profile->email_verified;
    }
    if (has("phone") && profile->phone_number) {  // OIDC Core §5.4
        claims["phone_number"] = *profile->phone_number;
        claims["phone_number_verified"] = profile->phone_number_verified;
    }
    // Extra scopes' claims; none at all for an organization the user has left since.
    auto extra =
        claims_.extra(**user_id, scopes, ClaimTarget::userinfo, TokenClaims::OrgGone::omit);
    if (!extra) {
        return error_response(req, extra.error());
    }
    merge_claims(claims, *extra);
    // The sign-in behind the token: auth_time, acr, amr as in its ID token.
    add_authentication_claims(claims, token->authn);
    auto response = http::HttpResponse::json(200, claims.dump());
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    return response;
}

}  // namespace idpd::oidc
