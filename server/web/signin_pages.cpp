#include "web/signin_pages.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "account/email_address.h"
#include "account/user_store.h"
#include "account/username_rules.h"
#include "web/federation_pages.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/signin_history.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

namespace {

// The per-account throttle key: the identifier in the form look-ups compare, so "Alice" and
// "alice" count as one, whether or not such an account exists.
std::string throttle_key(const std::string& identifier) {
    if (identifier.find('@') != std::string::npos) {
        if (auto email = account::parse_email_address(identifier)) {
            return "email:" + email->canonical;
        }
        return "email:" + identifier;
    }
    return "name:" + account::canonical_username(identifier);
}

}  // namespace

void SigninPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (SigninPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/signin", bind(&SigninPages::get_signin));
    router.add(Method::post, "/signin", bind(&SigninPages::post_signin));
    router.add(Method::post, "/signout", bind(&SigninPages::post_signout));
}

HttpResponse SigninPages::signin_page(Visit& visit, int status, const SigninForm& form,
                                      const std::string& notice) {
    auto data = kit_.base_data(visit, kit_.text(visit, "signin.title"), true);
    mstch::array fields;
    std::vector<FieldView> views{
        {"identifier", kit_.text(visit, "signin.identifier"), "text", form.identifier, "username",
         kit_.text(visit, "signin.identifier_hint"), form.identifier_errors, false, true},
        {"password", kit_.text(visit, "signin.password"), "password", "", "current-password", "",
         form.password_errors, false, false},
    };
    focus_first_problem(views);
    for (const auto& view : views) {
        fields.push_back(field(view));
    }
    data["fields"] = fields;
    data["remember"] = form.remember;
    data["return_to"] = form.return_to;
    data["signup_href"] = kit_.link(visit, with_return_to("/signup", form.return_to));
    data["forgot_href"] = kit_.link(visit, with_return_to("/forgot-password", form.return_to));
    data["sms_href"] = kit_.link(visit, with_return_to("/signin/sms", form.return_to));
    // A re-rendered form's language switch comes back to this form, with its way onwards.
    data["current"] = kit_.link(visit, with_return_to("/signin", form.return_to));
    data["upstreams"] = upstream_buttons(kit_, visit, upstreams_, "sign_in", form.return_to);
    data["has_upstreams"] = !upstreams_.connectors().empty();
    if (!form.form_error.empty()) {
        data["form_error"] = form.form_error;
    }
    if (!notice.empty()) {
        data["notice"] = notice;
    }
    return kit_.page(visit, "signin", status, std::move(data));
}

HttpResponse SigninPages::get_signin(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    SigninForm form;
    form.return_to = checked_return_to(first_query_param(req, "return_to"));
    // OIDC Core §3.1.2.1: prompt=login and max_age make a signed-in user sign in again.
    if (visit.user && first_query_param(req, "prompt") != "login") {
        return kit_.redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
    }
    // OIDC Core §3.1.2.1 login_hint: only a hint, so it is checked like typed input.
    if (auto hint = first_query_param(req, "login_hint");
        !check_input(hint, max_identifier_bytes, false)) {
        form.identifier = hint;
    }
    std::string notice;
    if (first_query_param(req, "signed_out") == "1") {
        notice = kit_.text(visit, "signin.signed_out");
    } else if (first_query_param(req, "reset") == "1") {
        notice = kit_.text(visit, "reset.done");
    } else if (first_query_param(req, "second_step") == "expired") {
        notice = kit_.text(visit, "totp.second_step.expired");
    }
    return signin_page(visit, 200, form, notice);
}

HttpResponse SigninPages::post_signin(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    SigninForm form;
    form.identifier = submitted.get("identifier");
    form.remember = submitted.get("remember") == "1";
    form.return_to = checked_return_to(submitted.get("return_to"));
    const std::string password = submitted.get("password");

    if (auto problem = check_input(form.identifier, max_identifier_bytes, false)) {
        form.identifier_errors.push_back(
            kit_.text(visit, "errors.input." + std::string(problem_name(*problem))));
        form.identifier.clear();  // never echo what failed the checks
    }
    if (auto problem = check_input(password, max_password_bytes, true)) {
        form.password_errors.push_back(
            kit_.text(visit, "errors.input." + std::string(problem_name(*problem))));
    }
    if (form.identifier_errors.empty() && form.password_errors.empty() &&
        (form.identifier.empty() || password.empty())) {
        form.form_error = kit_.text(visit, "errors.signin.required");
    }
    if (!form.identifier_errors.empty() || !form.password_errors.empty() ||
        !form.form_error.empty()) {
        if (form.form_error.empty()) {
            form.form_error = kit_.text(visit, "form.has_errors");
        }
        return signin_page(visit, 400, form);
    }

    return sign_in(req, visit, form, password);
}

void SigninPages::record_failure(const HttpRequest& req, const SigninForm& form,
                                 const std::vector<auth::ThrottleSubject>& subjects,
                                 std::optional<std::int64_t> user_id, std::string_view reason) {
    if (throttle_.options().enabled) {
        for (const auto& subject : subjects) {
            if (auto counted = throttle_.record_failure(subject, kit_.precise_now()); !counted) {
                spdlog::error("cannot count a sign-in failure: {}", counted.error().message);
            }
        }
    }
    if (user_id) {
        record_signin(kit_, req, *user_id, "password", false);
    }
    auto event = PageKit::audit_event(req, audit::EventType::sign_in_failure);
    event.user_id = user_id;
    event.identifier = form.identifier;
    event.detail = {{"reason", reason}};
    kit_.record(event);
}

std::optional<HttpResponse> SigninPages::check_ip(const HttpRequest& req, Visit& visit,
                                                  const SigninForm& form) {
    const std::vector<auth::ThrottleSubject> by_ip{
        auth::ThrottleSubject::ip(PageKit::client_ip(req))};
    auto wait = throttle_.wait(by_ip, kit_.precise_now());
    if (!wait) {
        spdlog::error("sign-in throttle: {}", wait.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (wait->count() <= 0) {
        return std::nullopt;
    }
    auto event = PageKit::audit_event(req, audit::EventType::sign_in_throttled);
    event.identifier = form.identifier;
    event.detail = {{"scope", "ip"},
                    {"wait_s", std::chrono::ceil<std::chrono::seconds>(*wait).count()}};
    kit_.record(event);
    const auto minutes =
        std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::minutes>(*wait).count());
    auto data = kit_.base_data(visit, kit_.text(visit, "error.title"), true);
    data["heading"] = kit_.text(visit, "security.throttle.heading");
    data["message"] =
        kit_.text(visit, "security.throttle.ip", {{"minutes", std::to_string(minutes)}});
    auto response = kit_.page(visit, "error", 429, std::move(data));
    response.headers.set("Retry-After",
                         std::to_string(std::chrono::ceil<std::chrono::seconds>(*wait).count()));
    return response;
}

HttpResponse SigninPages::signed_in(const HttpRequest& req, Visit& visit, const SigninForm& form,
                                    const std::string& password, const account::User& user,
                                    const std::vector<auth::ThrottleSubject>& subjects) {
    for (const auto& subject : subjects) {
        if (auto cleared = throttle_.clear(subject); !cleared) {
            spdlog::warn("cannot reset the sign-in failures of user {}: {}", user.id,
                         cleared.error().message);
        }
    }
    if (hasher_.needs_rehash(*user.password_hash)) {
        account::UserStore users{kit_.db()};
        if (auto fresh = hasher_.hash(password)) {
            if (auto stored = users.set_password_hash(user.id, *fresh, kit_.now()); !stored) {
                spdlog::warn("cannot store the upgraded password hash of user {}: {}", user.id,
                             stored.error().message);
            }
        }
    }
    auto event = PageKit::audit_event(req, audit::EventType::sign_in_success);
    event.user_id = user.id;
    event.detail = {{"remember", form.remember}};
    kit_.record(event);
    spdlog::info("user {} passed the password", user.id);
    // The session opens there, or after the second step when the account has one.
    return second_step_.begin(
        req, visit, FirstFactor{user.id, "pwd", form.return_to, form.remember, "password"});
}

HttpResponse SigninPages::sign_in(const HttpRequest& req, Visit& visit, SigninForm& form,
                                  const std::string& password) {
    if (auto refused = check_ip(req, visit, form)) {
        return std::move(*refused);
    }
    account::UserStore users{kit_.db()};
    auto user = users.find_by_sign_in_identifier(form.identifier);
    if (!user && user.error().kind != store::Error::Kind::not_found) {
        spdlog::error("sign-in look-up failed: {}", user.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    std::optional<std::int64_t> user_id;
    std::vector<auth::ThrottleSubject> subjects{
        auth::ThrottleSubject::account(throttle_key(form.identifier))};
    if (user) {
        user_id = user->id;
        subjects.push_back(auth::ThrottleSubject::user(user->id));
    }
    auto account_wait = throttle_.wait(subjects, kit_.precise_now());
    if (!account_wait) {
        spdlog::error("sign-in throttle: {}", account_wait.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    // Unknown account, no password, wrong password, disabled or locked account: the same work
    // (one Argon2id verify) and the same page, so neither timing nor wording tells them apart.
    const bool locked = account_wait->count() > 0;
    bool ok = false;
    if (!locked && user && user->password_hash) {
        ok = hasher_.verify(password, *user->password_hash);
    } else {
        hasher_.verify_dummy(password);
    }
    if (locked) {
        auto event = PageKit::audit_event(req, audit::EventType::sign_in_throttled);
        event.user_id = user_id;
        event.identifier = form.identifier;
        event.detail = {{"scope", "account"},
                        {"wait_s", std::chrono::ceil<std::chrono::seconds>(*account_wait).count()}};
        kit_.record(event);
    }
    if (!locked && (!ok || !user->is_active())) {
        subjects.push_back(auth::ThrottleSubject::ip(PageKit::client_ip(req)));
        record_failure(req, form, subjects, user_id,
                       !user                  ? "unknown_account"
                       : !user->password_hash ? "no_password"
                       : !ok                  ? "wrong_password"
                                              : "disabled");
    }
    if (locked || !ok || !user->is_active()) {
        spdlog::info("sign-in failed from {}", req.client_ip);
        form.form_error = kit_.text(visit, "errors.signin.failed");
        return signin_page(visit, 401, form);
    }
    return signed_in(req, visit, form, password, *user, subjects);
}

HttpResponse SigninPages::post_signout(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (!visit.session_token.empty()) {
        auto event = PageKit::audit_event(req, audit::EventType::sign_out);
        event.user_id = visit.session->user_id;
        kit_.record(event);
    }
    if (!kit_.end_session(visit)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const std::string target = checked_return_to(submitted.get("return_to"));
    return kit_.redirect(visit, target.empty() ? kit_.link(visit, "/signin?signed_out=1") : target);
}

}  // namespace idpd::web
