#include "oidc/authorize/authorization_endpoint.h"

#include <charconv>

#include "jose/base64url.h"
#include "oidc/authorize/authorization_response.h"
#include "oidc/authorize/consent_check.h"
#include "oidc/authorize/session_check.h"
#include "oidc/authorize/step_up_check.h"
#include "oidc/client_auth.h"
#include "oidc/discovery.h"
#include "oidc/par_endpoint.h"
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

// The request as it stands once the browser has signed in after `auth_after`: prompt=login and
// max_age are answered by that sign-in, so they are dropped (the auth_after check replaces them).
void answered_by_sign_in(AuthorizeRequest& request) {
    std::vector<std::string> kept;
    for (const auto& value : split_scope(request.get("prompt").value_or(""))) {
        if (value != "login") {
            kept.push_back(value);
        }
    }
    request.params.erase("prompt");
    if (!kept.empty()) {
        request.params.emplace("prompt", join_scope(kept));
    }
    request.params.erase("max_age");
}

http::HttpResponse no_store(http::HttpResponse response) {
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace

Result<std::optional<std::string>> AuthorizationEndpoint::use_pushed(AuthorizeRequest& request,
                                                                     std::int64_t now) const {
    auto request_uri = request.get("request_uri");
    if (!request_uri) {
        return std::optional<std::string>();
    }
    if (request.repeated == "request_uri" || request.repeated == "client_id") {
        return fail(ErrorCode::invalid_request, "parameter " + *request.repeated + " is repeated");
    }
    // RFC 9126 §4: client_id is required with request_uri and must be the pushing client.
    auto client_id = request.get("client_id");
    if (!client_id) {
        return fail(ErrorCode::invalid_request, "client_id is missing");
    }
    const auto reference = request_uri_reference(*request_uri);
    if (!reference) {
        return fail(ErrorCode::invalid_request_uri, "request_uri was not issued by this server");
    }
    auto pushed = pushed_.find(*reference);
    if (!pushed) {
        if (pushed.error().kind == store::Error::Kind::not_found) {
            return fail(ErrorCode::invalid_request_uri,
                        "request_uri is unknown, expired or already used");
        }
        return std::unexpected(database_error(pushed.error()));
    }
    // RFC 9126 §4: "An expired request_uri MUST be rejected as invalid."
    if (pushed->expires_at <= now) {
        return fail(ErrorCode::invalid_request_uri,
                    "request_uri is unknown, expired or already used");
    }
    if (pushed->client_id != *client_id) {
        return fail(ErrorCode::invalid_request_uri,
                    "request_uri is unknown, expired or already used",
                    "request_uri of " + pushed->client_id + " presented by " + *client_id);
    }
    // Only the pushed parameters count (RFC 9126 §4, RFC 9101 §6.3): the front channel can
    // change nothing, except our own sign-in time, and that only when it is later than the
    // push, so an edited link cannot skip the pushed prompt=login or max_age.
    const auto auth_after = parse_seconds(request.get(auth_after_param));
    AuthorizeRequest stored;
    stored.params = std::move(pushed->params);
    if (auth_after && *auth_after >= pushed->created_at) {
        answered_by_sign_in(stored);
        stored.params.insert_or_assign(std::string(auth_after_param), std::to_string(*auth_after));
    }
    // Likewise the consent page's answer, only when given after the push.
    const auto consent_after = parse_seconds(request.get(consent_after_param));
    if (consent_after && *consent_after >= pushed->created_at) {
        stored.params.insert_or_assign(std::string(consent_after_param),
                                       std::to_string(*consent_after));
        if (auto answer = request.get(consent_param)) {
            stored.params.insert_or_assign(std::string(consent_param), *answer);
        }
    }
    request = std::move(stored);
    return std::optional<std::string>(*reference);
}

http::HttpResponse AuthorizationEndpoint::handle(const http::HttpRequest& req) const {
    auto read = read_authorize_request(req);
    if (!read) {
        return authorize_error_page(req, read.error(), refusal_page_);
    }
    const std::int64_t now = unix_seconds(clock_);
    Trusted trusted;
    trusted.request = std::move(*read);
    auto pushed = use_pushed(trusted.request, now);
    if (!pushed) {
        return authorize_error_page(req, pushed.error(), refusal_page_);
    }
    trusted.pushed = *pushed;
    const AuthorizeRequest& request = trusted.request;
    // RFC 6749 §4.1.2.1: until client and redirect_uri are trusted, errors go on a page.
    auto client = check_client(clients_, request);
    if (!client) {
        return authorize_error_page(req, client.error(), refusal_page_);
    }
    trusted.client = std::move(*client);
    auto redirect_uri = check_redirect_uri(trusted.client, request);
    if (!redirect_uri) {
        return authorize_error_page(req, redirect_uri.error(), refusal_page_);
    }
    trusted.redirect_uri = *redirect_uri;
    const std::string repeated = request.repeated.value_or("");
    if (repeated == "client_id" || repeated == "redirect_uri") {
        // Which value was meant is unknown, so the target is not trusted either.
        return authorize_error_page(req, check_no_repeats(request).error(), refusal_page_);
    }
    auto mode = check_response_mode(request);
    const ResponseMode response_mode = mode ? *mode : ResponseMode::query;
    const auto state = request.get("state");
    // RFC 9207 §2: iss on every authorization response, error or not; state echoed (§4.1.2).
    auto respond = [&](ResponseParams params) {
        if (state) {
            params.emplace_back("state", *state);
        }
        params.emplace_back("iss", options_.issuer);
        return authorization_response(response_mode, trusted.redirect_uri, params);
    };
    auto refuse = [&](const Error& error) {
        if (error.code == ErrorCode::server_error ||
            error.code == ErrorCode::temporarily_unavailable) {
            return authorize_error_page(req, error, refusal_page_);
        }
        ResponseParams params{{"error", std::string(wire_name(error.code))}};
        if (!error.description.empty()) {
            params.emplace_back("error_description", sanitize_description(error.description));
        }
        return respond(std::move(params));
    };
    auto checked = check_request(trusted.client, request);
    if (!checked) {
        return refuse(checked.error());
    }

    const auto session = sessions_ ? sessions_(req) : std::nullopt;
    const auto auth_after = parse_seconds(request.get(auth_after_param));
    switch (check_session(session, checked->prompt, checked->max_age, auth_after, now)) {
        case SessionCheck::login_required:
            return refuse(Error{ErrorCode::login_required, "the end-user is not signed in", {}});
        case SessionCheck::sign_in:
            return send_to_sign_in(req, trusted, *checked, session.has_value(), now);
        case SessionCheck::proceed:
            break;
    }
    if (!session) {
        // check_session proceeds only with a session; kept so no path reads an empty one.
        return authorize_error_page(req, Error{ErrorCode::server_error, "no session", {}},
                                    refusal_page_);
    }
    switch (check_step_up(checked->acr, *session, checked->prompt, options_.offer_mfa_enrollment)) {
        case StepUpCheck::unmet:
            return refuse(Error{ErrorCode::unmet_authentication_requirements,
                                "the end-user has no second factor for the required acr",
                                {}});
        case StepUpCheck::interaction_required:
            return refuse(Error{ErrorCode::interaction_required,
                                "the required acr needs the end-user's second factor",
                                {}});
        case StepUpCheck::step_up:
        case StepUpCheck::enroll:
            return send_to_step_up(req, trusted, now);
        case StepUpCheck::proceed:
            break;
    }
    auto member = check_org_member(*checked, session->user_id);
    if (!member) {
        return authorize_error_page(req, member.error(), refusal_page_);
    }
    if (*member) {
        return refuse(**member);
    }
    auto granted = consents_.find(session->user_id, trusted.client.client_id);
    if (!granted) {
        return authorize_error_page(req, database_error(granted.error()), refusal_page_);
    }
    const ConsentAnswer answer{parse_seconds(request.get(consent_after_param)),
                               request.get(consent_param) == "denied"};
    switch (check_consent(trusted.client, checked->scopes, checked->prompt, *granted, answer)) {
        case ConsentCheck::ask:
            return send_to_consent(req, trusted, *checked, now);
        case ConsentCheck::consent_required:
            return refuse(
                Error{ErrorCode::consent_required, "the end-user has not given consent", {}});
        case ConsentCheck::denied:
            return refuse(Error{ErrorCode::access_denied, "the end-user denied the request", {}});
        case ConsentCheck::proceed:
            break;
    }
    auto code = issue_code(trusted, *checked, *session, now);
    if (!code) {
        return authorize_error_page(req, code.error(), refusal_page_);
    }
    return respond({{"code", *code}});
}

Result<std::optional<Error>> AuthorizationEndpoint::check_org_member(const CheckedRequest& checked,
                                                                     std::int64_t user_id) const {
    for (std::int64_t org : org_scope_ids(checked.scopes)) {
        auto role = claims_.role_in(user_id, org);
        if (!role) {
            return std::unexpected(role.error());
        }
        if (!*role) {
            return std::optional(
                Error{ErrorCode::access_denied,
                      "the end-user is not a member of organization " + std::to_string(org),
                      {}});
        }
    }
    return std::optional<Error>();
}

Result<void> AuthorizationEndpoint::keep_pushed_for_interaction(const std::string& reference,
                                                                std::int64_t now) const {
    // RFC 9126 §4: the pushed request must outlive the sign-in or consent page, which may take
    // longer than the push's own short lifetime; it stays single-use.
    auto extended = pushed_.extend(reference, now, now + options_.par_interaction_ttl.count());
    if (!extended) {
        return std::unexpected(database_error(extended.error()));
    }
    if (!*extended) {
        return fail(ErrorCode::invalid_request_uri,
                    "request_uri is unknown, expired or already used");
    }
    return {};
}

http::HttpResponse AuthorizationEndpoint::send_to_consent(const http::HttpRequest& req,
                                                          const Trusted& trusted,
                                                          const CheckedRequest& checked,
                                                          std::int64_t now) const {
    std::string query;
    const std::pair<std::string, std::string> asked{std::string(consent_after_param),
                                                    std::to_string(now)};
    if (trusted.pushed) {
        if (auto kept = keep_pushed_for_interaction(*trusted.pushed, now); !kept) {
            return authorize_error_page(req, kept.error(), refusal_page_);
        }
        AuthorizeRequest outer;
        outer.params.emplace("client_id", trusted.client.client_id);
        outer.params.emplace("request_uri", std::string(par_urn_prefix) + *trusted.pushed);
        if (auto after = trusted.request.get(auth_after_param)) {
            outer.params.emplace(std::string(auth_after_param), *after);
        }
        query = to_query(outer, {}, {asked});
    } else {
        query = to_query(trusted.request,
                         {std::string(consent_after_param), std::string(consent_param)}, {asked});
    }
    const std::string return_to = issuer_path(options_.issuer) + "/authorize?" + query;
    std::string location = "/consent?client_id=" + http::url_encode(trusted.client.client_id) +
                           "&scope=" + http::url_encode(join_scope(checked.scopes)) +
                           "&return_to=" + http::url_encode(return_to);
    if (auto locales = trusted.request.get("ui_locales")) {
        location += "&ui_locales=" + http::url_encode(*locales);
    }
    return no_store(http::HttpResponse::redirect(303, std::move(location)));
}

http::HttpResponse AuthorizationEndpoint::send_to_step_up(const http::HttpRequest& req,
                                                          const Trusted& trusted,
                                                          std::int64_t now) const {
    // Back here unchanged: the raised session then answers the request.
    std::string query;
    if (trusted.pushed) {
        if (auto kept = keep_pushed_for_interaction(*trusted.pushed, now); !kept) {
            return authorize_error_page(req, kept.error());
        }
        AuthorizeRequest outer;
        outer.params.emplace("client_id", trusted.client.client_id);
        outer.params.emplace("request_uri", std::string(par_urn_prefix) + *trusted.pushed);
        for (auto param : {auth_after_param, consent_after_param, consent_param}) {
            if (auto value = trusted.request.get(param)) {
                outer.params.emplace(std::string(param), *value);
            }
        }
        query = to_query(outer, {}, {});
    } else {
        query = to_query(trusted.request, {}, {});
    }
    const std::string return_to = issuer_path(options_.issuer) + "/authorize?" + query;
    std::string location = "/account/verify?level=mfa&return_to=" + http::url_encode(return_to);
    if (auto locales = trusted.request.get("ui_locales")) {
        location += "&ui_locales=" + http::url_encode(*locales);
    }
    return no_store(http::HttpResponse::redirect(303, std::move(location)));
}

http::HttpResponse AuthorizationEndpoint::send_to_sign_in(const http::HttpRequest& req,
                                                          const Trusted& trusted,
                                                          const CheckedRequest& checked,
                                                          bool signed_in, std::int64_t now) const {
    // Back here after signing in, as a GET (a POST's form becomes the query), without what
    // forced the sign-in and with the time it was forced.
    const std::pair<std::string, std::string> after{std::string(auth_after_param),
                                                    std::to_string(now)};
    std::string query;
    if (trusted.pushed) {
        if (auto kept = keep_pushed_for_interaction(*trusted.pushed, now); !kept) {
            return authorize_error_page(req, kept.error(), refusal_page_);
        }
        AuthorizeRequest outer;
        outer.params.emplace("client_id", trusted.client.client_id);
        outer.params.emplace("request_uri", std::string(par_urn_prefix) + *trusted.pushed);
        query = to_query(outer, {}, {after});
    } else {
        AuthorizeRequest again = trusted.request;
        if (checked.prompt.login || checked.max_age) {
            answered_by_sign_in(again);
        }
        query = to_query(again, {std::string(auth_after_param)}, {after});
    }
    const std::string return_to = issuer_path(options_.issuer) + "/authorize?" + query;
    std::string location = "/signin?return_to=" + http::url_encode(return_to);
    if (signed_in) {
        location += "&prompt=login";  // the page must ask even though signed in
    }
    if (auto hint = trusted.request.get("login_hint")) {
        location += "&login_hint=" + http::url_encode(*hint);
    }
    if (auto locales = trusted.request.get("ui_locales")) {
        location += "&ui_locales=" + http::url_encode(*locales);
    }
    return no_store(http::HttpResponse::redirect(303, std::move(location)));
}

Result<std::string> AuthorizationEndpoint::issue_code(const Trusted& trusted,
                                                      const CheckedRequest& checked,
                                                      const BrowserSession& session,
                                                      std::int64_t now) const {
    if (trusted.pushed) {
        // RFC 9126 §4: a request_uri is used once; one DELETE decides between racing uses.
        auto consumed = pushed_.consume(*trusted.pushed);
        if (!consumed) {
            return std::unexpected(database_error(consumed.error()));
        }
        if (!*consumed) {
            return fail(ErrorCode::invalid_request_uri,
                        "request_uri is unknown, expired or already used");
        }
    }
    // RFC 6749 §10.10: 256 random bits; only the SHA-256 is stored.
    const std::string code_value = jose::base64url_encode(random_(32));
    AuthorizationCode code;
    code.client_id = trusted.client.client_id;
    code.redirect_uri = trusted.redirect_uri;
    code.scope = join_scope(checked.scopes);
    code.nonce = trusted.request.get("nonce");
    code.code_challenge = trusted.request.get("code_challenge").value_or("");  // checked
    code.user_id = session.user_id;
    code.sid = session.sid;
    code.auth_time = session.auth_time;
    code.amr = session.amr;
    code.acr = session.acr;
    code.id_token_claims = checked.id_token_claims;
    code.created_at = now;
    // RFC 6749 §4.1.2: the code MUST expire shortly after it is issued.
    code.expires_at = now + options_.authorization_code_ttl.count();
    if (auto added = codes_.add(code_value, code); !added) {
        return std::unexpected(database_error(added.error()));
    }
    return code_value;
}

}  // namespace idpd::oidc
