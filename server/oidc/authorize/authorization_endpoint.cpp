#include "oidc/authorize/authorization_endpoint.h"

#include <charconv>

#include "jose/base64url.h"
#include "oidc/authorize/authorization_response.h"
#include "oidc/authorize/consent_check.h"
#include "oidc/authorize/session_check.h"
#include "oidc/client_auth.h"
#include "oidc/discovery.h"
#include "oidc/scope.h"

namespace idpd::oidc {
namespace {

// Our own parameter on the /authorize URL the browser returns to after a forced sign-in: the
// time it was sent, so only a sign-in made after it answers the request (prompt=login and
// max_age would otherwise send it round again). A client that sends it only asks for more.
constexpr std::string_view auth_after_param = "idpd_auth_after";
// Ours too: when /authorize sent the browser to the consent page, and what the page answered.
constexpr std::string_view consent_after_param = "idpd_consent_after";
constexpr std::string_view consent_param = "idpd_consent";

std::optional<std::int64_t> parse_seconds(const std::optional<std::string>& text) {
    if (!text) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

// The consent page, with a way back here that records when it was asked.
http::HttpResponse consent_redirect(const Options& options, const AuthorizeRequest& request,
                                    const std::vector<std::string>& scopes, std::int64_t now) {
    AuthorizeRequest again = request;
    again.params.erase(std::string(consent_after_param));
    again.params.erase(std::string(consent_param));
    const std::string return_to =
        issuer_path(options.issuer) + "/authorize?" +
        to_query(again, {}, {{std::string(consent_after_param), std::to_string(now)}});
    std::string location =
        "/consent?client_id=" + http::url_encode(request.get("client_id").value_or("")) +
        "&scope=" + http::url_encode(join_scope(scopes)) +
        "&return_to=" + http::url_encode(return_to);
    if (auto locales = request.get("ui_locales")) {
        location += "&ui_locales=" + http::url_encode(*locales);
    }
    auto response = http::HttpResponse::redirect(303, std::move(location));
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace

http::HttpResponse AuthorizationEndpoint::handle(const http::HttpRequest& req) const {
    auto request = read_authorize_request(req);
    if (!request) {
        return authorize_error_page(req, request.error());
    }
    // RFC 6749 §4.1.2.1: until client and redirect_uri are trusted, errors go on a page.
    auto client = check_client(clients_, *request);
    if (!client) {
        return authorize_error_page(req, client.error());
    }
    auto redirect_uri = check_redirect_uri(*client, *request);
    if (!redirect_uri) {
        return authorize_error_page(req, redirect_uri.error());
    }
    const std::string repeated = request->repeated.value_or("");
    if (repeated == "client_id" || repeated == "redirect_uri") {
        // Which value was meant is unknown, so the target is not trusted either.
        return authorize_error_page(req, check_no_repeats(*request).error());
    }
    auto mode = check_response_mode(*request);
    const ResponseMode response_mode = mode ? *mode : ResponseMode::query;
    const auto state = request->get("state");
    // RFC 9207 §2: iss on every authorization response, error or not; state echoed (§4.1.2).
    auto respond = [&](ResponseParams params) {
        if (state) {
            params.emplace_back("state", *state);
        }
        params.emplace_back("iss", options_.issuer);
        return authorization_response(response_mode, *redirect_uri, params);
    };
    auto refuse = [&](const Error& error) {
        if (error.code == ErrorCode::server_error ||
            error.code == ErrorCode::temporarily_unavailable) {
            return authorize_error_page(req, error);
        }
        ResponseParams params{{"error", std::string(wire_name(error.code))}};
        if (!error.description.empty()) {
            params.emplace_back("error_description", sanitize_description(error.description));
        }
        return respond(std::move(params));
    };
    if (!mode) {
        return refuse(mode.error());
    }
    if (auto ok = check_no_repeats(*request); !ok) {
        return refuse(ok.error());
    }
    if (auto ok = check_response_type(*request); !ok) {
        return refuse(ok.error());
    }
    if (auto ok = check_client_grant(*client); !ok) {
        return refuse(ok.error());
    }
    if (auto ok = check_pkce(*request); !ok) {
        return refuse(ok.error());
    }
    auto scopes = check_scope(*client, *request);
    if (!scopes) {
        return refuse(scopes.error());
    }
    auto prompt = check_prompt(*request);
    if (!prompt) {
        return refuse(prompt.error());
    }
    auto max_age = check_max_age(*request);
    if (!max_age) {
        return refuse(max_age.error());
    }

    const std::int64_t now = unix_seconds(clock_);
    const auto session = sessions_ ? sessions_(req) : std::nullopt;
    const auto auth_after = parse_seconds(request->get(std::string(auth_after_param)));
    switch (check_session(session, *prompt, *max_age, auth_after, now)) {
        case SessionCheck::login_required:
            return refuse(Error{ErrorCode::login_required, "the end-user is not signed in", {}});
        case SessionCheck::sign_in: {
            // Back here after signing in, as a GET (a POST's form becomes the query), without
            // what forced the sign-in and with the time it was forced.
            AuthorizeRequest again = *request;
            if (prompt->login) {
                std::vector<std::string> kept;
                for (const auto& value : split_scope(again.get("prompt").value_or(""))) {
                    if (value != "login") {
                        kept.push_back(value);
                    }
                }
                again.params.erase("prompt");
                if (!kept.empty()) {
                    again.params.emplace("prompt", join_scope(kept));
                }
            }
            again.params.erase("max_age");
            again.params.erase(std::string(auth_after_param));
            const std::string return_to =
                issuer_path(options_.issuer) + "/authorize?" +
                to_query(again, {}, {{std::string(auth_after_param), std::to_string(now)}});
            std::string location = "/signin?return_to=" + http::url_encode(return_to);
            if (session) {
                location += "&prompt=login";  // the page must ask even though signed in
            }
            if (auto hint = request->get("login_hint")) {
                location += "&login_hint=" + http::url_encode(*hint);
            }
            if (auto locales = request->get("ui_locales")) {
                location += "&ui_locales=" + http::url_encode(*locales);
            }
            auto response = http::HttpResponse::redirect(303, std::move(location));
            response.headers.set("Cache-Control", "no-store");
            return response;
        }
        case SessionCheck::proceed:
            break;
    }
    if (!session) {
        // check_session proceeds only with a session; kept so no path reads an empty one.
        return authorize_error_page(req, Error{ErrorCode::server_error, "no session", {}});
    }
    auto granted = consents_.find(session->user_id, client->client_id);
    if (!granted) {
        return authorize_error_page(req, database_error(granted.error()));
    }
    const ConsentAnswer answer{parse_seconds(request->get(std::string(consent_after_param))),
                               request->get(std::string(consent_param)) == "denied"};
    switch (check_consent(*client, *scopes, *prompt, *granted, answer)) {
        case ConsentCheck::ask:
            return consent_redirect(options_, *request, *scopes, now);
        case ConsentCheck::consent_required:
            return refuse(
                Error{ErrorCode::consent_required, "the end-user has not given consent", {}});
        case ConsentCheck::denied:
            return refuse(Error{ErrorCode::access_denied, "the end-user denied the request", {}});
        case ConsentCheck::proceed:
            break;
    }

    // RFC 6749 §10.10: 256 random bits; only the SHA-256 is stored.
    const std::string code_value = jose::base64url_encode(random_(32));
    AuthorizationCode code;
    code.client_id = client->client_id;
    code.redirect_uri = *redirect_uri;
    code.scope = join_scope(*scopes);
    code.nonce = request->get("nonce");
    code.code_challenge = request->get("code_challenge").value_or("");  // check_pkce: present
    code.user_id = session->user_id;
    code.sid = session->sid;
    code.auth_time = session->auth_time;
    code.amr = session->amr;
    code.created_at = now;
    // RFC 6749 §4.1.2: the code MUST expire shortly after it is issued.
    code.expires_at = now + options_.authorization_code_ttl.count();
    if (auto added = codes_.add(code_value, code); !added) {
        return authorize_error_page(req, database_error(added.error()));
    }
    return respond({{"code", code_value}});
}

}  // namespace idpd::oidc
