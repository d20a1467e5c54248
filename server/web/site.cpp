#include "web/site.h"

#include <array>
#include <charconv>
#include <ctime>
#include <span>

#include <spdlog/spdlog.h>

#include "account/email_address.h"
#include "account/user_store.h"
#include "account/username_rules.h"
#include "web/csrf.h"
#include "web/form_input.h"
#include "web/return_to.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view session_cookie = "idpd_session";
constexpr std::string_view form_cookie = "idpd_form";
constexpr std::string_view lang_cookie = "idpd_lang";
constexpr std::chrono::seconds lang_cookie_lifetime{std::chrono::hours(24 * 365)};

// Field limits in bytes, before any rule: generous for real input, small enough that nothing
// hostile reaches Argon2id or the database (a username is at most 20 CJK code points = 80 bytes).
constexpr std::size_t max_identifier_bytes = 254;
constexpr std::size_t max_username_bytes = 80;
constexpr std::size_t max_email_bytes = 254;
constexpr std::size_t max_password_bytes = 1024;

std::string format_time(std::chrono::sys_seconds t) {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

std::string iso_time(std::chrono::sys_seconds t) {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string first_query_param(const HttpRequest& req, std::string_view name) {
    for (const auto& [key, value] : req.query_params()) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

// A validated return-to target, or empty.
std::string checked_return_to(std::string_view target) {
    return safe_return_to(target).value_or("");
}

std::string with_return_to(std::string_view path, const std::string& return_to) {
    return return_to.empty() ? std::string(path)
                             : std::string(path) + "?return_to=" + http::url_encode(return_to);
}

// "Chrome", "Windows" from a User-Agent header: enough for a person to recognise a device.
std::pair<std::string, std::string> describe_agent(std::string_view ua) {
    auto has = [&](std::string_view s) {
        return ua.find(s) != std::string_view::npos;
    };
    std::string browser;
    if (has("Edg/")) {
        browser = "Edge";
    } else if (has("OPR/")) {
        browser = "Opera";
    } else if (has("Firefox/")) {
        browser = "Firefox";
    } else if (has("Chrome/") || has("Chromium/")) {
        browser = "Chrome";
    } else if (has("Safari/")) {
        browser = "Safari";
    } else if (has("curl/")) {
        browser = "curl";
    }
    std::string os;
    if (has("Windows")) {
        os = "Windows";
    } else if (has("Android")) {
        os = "Android";
    } else if (has("iPhone") || has("iPad")) {
        os = "iOS";
    } else if (has("CrOS")) {
        os = "ChromeOS";
    } else if (has("Mac OS X") || has("Macintosh")) {
        os = "macOS";
    } else if (has("Linux")) {
        os = "Linux";
    }
    return {browser, os};
}

mstch::array to_array(const std::vector<std::string>& items) {
    mstch::array out;
    for (const auto& item : items) {
        out.emplace_back(item);
    }
    return out;
}

struct FieldView {
    std::string id, label, type, value, autocomplete, hint;
    std::vector<std::string> errors;
    bool autofocus = false;
    bool spellcheck_off = false;
};

// The keyboard starts in the first field with a problem, or in the first field.
void focus_first_problem(std::vector<FieldView>& views) {
    for (auto& view : views) {
        if (!view.errors.empty()) {
            view.autofocus = true;
            return;
        }
    }
    views.front().autofocus = true;
}

mstch::node field(const FieldView& f) {
    return mstch::map{
        {"id", f.id},
        {"name", f.id},
        {"label", f.label},
        {"type", f.type},
        {"value", f.value},
        {"autocomplete", f.autocomplete},
        {"hint", f.hint.empty() ? mstch::node(false) : mstch::node(f.hint)},
        {"errors", to_array(f.errors)},
        {"invalid", !f.errors.empty()},
        {"autofocus", f.autofocus},
        {"spellcheck_off", f.spellcheck_off},
    };
}

}  // namespace

Site::Site(SiteOptions options, store::Database& db, const auth::PasswordHasher& hasher,
           account::PasswordPolicy policy, auth::SessionOptions sessions,
           auth::RandomSource& random, Clock clock)
    : options_(std::move(options)),
      origin_(origin_of(options_.issuer)),
      cookies_{!options_.plain_http_cookies},
      renderer_(options_.templates_dir),
      db_(db),
      hasher_(hasher),
      policy_(policy),
      sessions_(db, random, sessions),
      random_(random),
      clock_(std::move(clock)) {}

void Site::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (Site::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/", [](const HttpRequest&) {
        auto r = HttpResponse::redirect(303, "/account");
        r.headers.set("Cache-Control", "no-store");
        return r;
    });
    router.add(Method::get, "/signin", bind(&Site::get_signin));
    router.add(Method::post, "/signin", bind(&Site::post_signin));
    router.add(Method::get, "/signup", bind(&Site::get_signup));
    router.add(Method::post, "/signup", bind(&Site::post_signup));
    router.add(Method::get, "/terms", bind(&Site::get_terms));
    router.add(Method::post, "/signout", bind(&Site::post_signout));
    router.add(Method::get, "/account", bind(&Site::get_account));
    router.add(Method::post, "/account/sessions/:id/revoke", bind(&Site::post_revoke_session));
    router.add(Method::post, "/lang", bind(&Site::post_lang));
}

std::optional<auth::Session> Site::signed_in_session(const HttpRequest& req) {
    auto token = cookie_value(req, cookies_.name(session_cookie));
    if (!token) {
        return std::nullopt;
    }
    auto session = sessions_.find(*token, now());
    if (!session) {
        if (session.error().kind != store::Error::Kind::not_found) {
            spdlog::warn("session look-up failed: {}", session.error().message);
        }
        return std::nullopt;
    }
    account::UserStore users{db_};
    auto user = users.find_by_id(session->user_id);
    if (!user || !user->is_active()) {
        return std::nullopt;
    }
    return *session;
}

std::chrono::sys_seconds Site::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(clock_());
}

Site::Visit Site::begin(const HttpRequest& req) {
    Visit visit;
    const auto lang = cookie_value(req, cookies_.name(lang_cookie)).value_or("");
    const auto accept = req.headers.get("Accept-Language").value_or("");
    const auto ui_locales = first_query_param(req, "ui_locales");
    visit.locale = negotiate_locale({ui_locales, lang, accept});

    if (auto token = cookie_value(req, cookies_.name(session_cookie))) {
        auto session = sessions_.find(*token, now());
        if (session) {
            account::UserStore users{db_};
            auto user = users.find_by_id(session->user_id);
            if (user && user->is_active()) {
                visit.session = *session;
                visit.session_token = *token;
                visit.user = *user;
            }
        } else if (session.error().kind != store::Error::Kind::not_found) {
            spdlog::warn("session look-up failed: {}", session.error().message);
        }
    }
    if (auto secret = cookie_value(req, cookies_.name(form_cookie));
        secret && secret->size() == 64) {
        visit.form_secret = *secret;
    }
    if (!visit.user && visit.form_secret.empty()) {
        std::array<std::uint8_t, 32> raw{};
        random_.fill(raw);
        visit.form_secret =
            auth::to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
        visit.set_cookies.push_back(
            cookies_.set(form_cookie, visit.form_secret, options_.form_cookie_lifetime));
    }
    std::string current = req.path + (req.query.empty() ? "" : "?" + req.query);
    visit.current = safe_return_to(current).value_or(req.path);
    return visit;
}

std::string Site::csrf_for(const Visit& visit) const {
    return csrf_token(visit.user ? visit.session_token : visit.form_secret);
}

bool Site::csrf_ok(const HttpRequest& req, const Visit& visit, const std::string& token) const {
    if (!same_origin_request(req, origin_)) {
        return false;
    }
    // A form rendered before sign-in carries the pre-session token, one rendered after it the
    // session's: either is accepted, so a second tab does not break.
    return (!visit.session_token.empty() && csrf_token_matches(token, visit.session_token)) ||
           (!visit.form_secret.empty() && csrf_token_matches(token, visit.form_secret));
}

std::string Site::text(const Visit& visit, std::string_view key,
                       const std::map<std::string, std::string>& args) const {
    return renderer_.text(visit.locale, key, args);
}

mstch::map Site::base_data(const Visit& visit, const std::string& title, bool auth_page) const {
    mstch::map data{
        {"title", title},
        {"csrf", csrf_for(visit)},
        {"current", visit.current},
        {"is_zh", visit.locale == Locale::zh_cn},
        {"is_en", visit.locale == Locale::en},
        {"auth_page", auth_page},
    };
    if (visit.user) {
        data["user"] = mstch::map{{"username", visit.user->username}};
    }
    return data;
}

HttpResponse Site::finish(Visit& visit, HttpResponse response) const {
    for (auto& cookie : visit.set_cookies) {
        response.headers.add("Set-Cookie", cookie);
    }
    visit.set_cookies.clear();
    // Pages carry CSRF tokens and personal data: never cache them.
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Vary", "Cookie, Accept-Language");
    // With the default no-referrer policy a browser sends "Origin: null" on a same-origin form
    // POST (Fetch §3.1 "serialize a request origin"), which the Origin check must refuse; other
    // sites still get no referrer.
    response.headers.set("Referrer-Policy", "same-origin");
    return response;
}

HttpResponse Site::page(Visit& visit, std::string_view name, int status, mstch::map data) {
    return finish(visit, HttpResponse::html(status, renderer_.render(name, visit.locale, data)));
}

HttpResponse Site::redirect(Visit& visit, const std::string& location) {
    return finish(visit, HttpResponse::redirect(303, location));
}

HttpResponse Site::error_page(Visit& visit, int status, std::string_view heading_key,
                              std::string_view message_key) {
    auto data = base_data(visit, text(visit, "error.title"), true);
    data["heading"] = text(visit, heading_key);
    data["message"] = text(visit, message_key);
    return page(visit, "error", status, std::move(data));
}

bool Site::sign_in(const HttpRequest& req, Visit& visit, std::int64_t user_id, bool persistent) {
    if (!visit.session_token.empty()) {
        // The old session ends: a session id never survives a sign-in (no fixation).
        if (auto ended = sessions_.revoke(visit.session_token, now()); !ended) {
            spdlog::warn("cannot end the previous session: {}", ended.error().message);
        }
    }
    auth::NewSession s{user_id, req.client_ip.empty() ? req.peer_ip : req.client_ip,
                       req.headers.get("User-Agent").value_or(""), "pwd", persistent};
    auto issued = sessions_.create(s, now());
    if (!issued) {
        spdlog::error("cannot open a session: {}", issued.error().message);
        return false;
    }
    std::optional<std::chrono::seconds> max_age;
    if (persistent) {
        max_age =
            std::chrono::duration_cast<std::chrono::seconds>(issued->session.expires_at - now());
    }
    visit.set_cookies.push_back(cookies_.set(session_cookie, issued->token, max_age));
    visit.set_cookies.push_back(cookies_.clear(form_cookie));
    return true;
}

// ---- sign-in ---------------------------------------------------------------------------------

HttpResponse Site::signin_page(Visit& visit, int status, const SigninForm& form,
                               const std::string& notice) {
    auto data = base_data(visit, text(visit, "signin.title"), true);
    mstch::array fields;
    std::vector<FieldView> views{
        {"identifier", text(visit, "signin.identifier"), "text", form.identifier, "username",
         text(visit, "signin.identifier_hint"), form.identifier_errors, false, true},
        {"password", text(visit, "signin.password"), "password", "", "current-password", "",
         form.password_errors, false, false},
    };
    focus_first_problem(views);
    for (const auto& view : views) {
        fields.push_back(field(view));
    }
    data["fields"] = fields;
    data["remember"] = form.remember;
    data["return_to"] = form.return_to;
    data["signup_href"] = with_return_to("/signup", form.return_to);
    if (!form.form_error.empty()) {
        data["form_error"] = form.form_error;
    }
    if (!notice.empty()) {
        data["notice"] = notice;
    }
    return page(visit, "signin", status, std::move(data));
}

HttpResponse Site::get_signin(const HttpRequest& req) {
    Visit visit = begin(req);
    SigninForm form;
    form.return_to = checked_return_to(first_query_param(req, "return_to"));
    // OIDC Core §3.1.2.1: prompt=login and max_age make a signed-in user sign in again.
    if (visit.user && first_query_param(req, "prompt") != "login") {
        return redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
    }
    // OIDC Core §3.1.2.1 login_hint: only a hint, so it is checked like typed input.
    if (auto hint = first_query_param(req, "login_hint");
        !check_input(hint, max_identifier_bytes, false)) {
        form.identifier = hint;
    }
    std::string notice;
    if (first_query_param(req, "signed_out") == "1") {
        notice = text(visit, "signin.signed_out");
    }
    return signin_page(visit, 200, form, notice);
}

HttpResponse Site::post_signin(const HttpRequest& req) {
    Visit visit = begin(req);
    const Form submitted(req);
    if (!csrf_ok(req, visit, submitted.get("csrf"))) {
        return error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    SigninForm form;
    form.identifier = submitted.get("identifier");
    form.remember = submitted.get("remember") == "1";
    form.return_to = checked_return_to(submitted.get("return_to"));
    const std::string password = submitted.get("password");

    if (auto problem = check_input(form.identifier, max_identifier_bytes, false)) {
        form.identifier_errors.push_back(
            text(visit, "errors.input." + std::string(problem_name(*problem))));
        form.identifier.clear();  // never echo what failed the checks
    }
    if (auto problem = check_input(password, max_password_bytes, true)) {
        form.password_errors.push_back(
            text(visit, "errors.input." + std::string(problem_name(*problem))));
    }
    if (form.identifier_errors.empty() && form.password_errors.empty() &&
        (form.identifier.empty() || password.empty())) {
        form.form_error = text(visit, "errors.signin.required");
    }
    if (!form.identifier_errors.empty() || !form.password_errors.empty() ||
        !form.form_error.empty()) {
        if (form.form_error.empty()) {
            form.form_error = text(visit, "form.has_errors");
        }
        return signin_page(visit, 400, form);
    }

    account::UserStore users{db_};
    auto user = users.find_by_sign_in_identifier(form.identifier);
    if (!user && user.error().kind != store::Error::Kind::not_found) {
        spdlog::error("sign-in look-up failed: {}", user.error().message);
        return error_page(visit, 503, "error.title", "error.unavailable");
    }
    // Unknown account, no password, wrong password, disabled account: the same work (one
    // Argon2id verify) and the same page, so neither timing nor wording tells them apart.
    bool ok = false;
    if (user && user->password_hash) {
        ok = hasher_.verify(password, *user->password_hash);
    } else {
        hasher_.verify_dummy(password);
    }
    if (!ok || !user->is_active()) {
        spdlog::info("sign-in failed from {}", req.client_ip);
        form.form_error = text(visit, "errors.signin.failed");
        return signin_page(visit, 401, form);
    }
    if (hasher_.needs_rehash(*user->password_hash)) {
        if (auto fresh = hasher_.hash(password)) {
            if (auto stored = users.set_password_hash(user->id, *fresh, now()); !stored) {
                spdlog::warn("cannot store the upgraded password hash of user {}: {}", user->id,
                             stored.error().message);
            }
        }
    }
    if (!sign_in(req, visit, user->id, form.remember)) {
        return error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} signed in", user->id);
    return redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
}

// ---- sign-up ---------------------------------------------------------------------------------

HttpResponse Site::signup_page(Visit& visit, int status, const SignupForm& form) {
    auto data = base_data(visit, text(visit, "signup.title"), true);
    const std::map<std::string, std::string> bounds{{"min", std::to_string(policy_.min_length())},
                                                    {"max", std::to_string(policy_.max_length())}};
    mstch::array fields;
    std::vector<FieldView> views{
        {"username", text(visit, "signup.username"), "text", form.username, "username",
         text(visit, "signup.username_hint"), form.username_errors, false, true},
        {"email", text(visit, "signup.email"), "email", form.email, "email",
         text(visit, "signup.email_hint"), form.email_errors, false, true},
        {"password", text(visit, "signup.password"), "password", "", "new-password",
         text(visit, "signup.password_hint", bounds), form.password_errors, false, false},
        {"confirm", text(visit, "signup.confirm"), "password", "", "new-password", "",
         form.confirm_errors, false, false},
    };
    focus_first_problem(views);
    for (const auto& view : views) {
        fields.push_back(field(view));
    }
    data["fields"] = fields;
    data["accept_terms"] = form.accept_terms;
    data["terms_invalid"] = !form.terms_errors.empty();
    data["terms_errors"] = to_array(form.terms_errors);
    data["return_to"] = form.return_to;
    data["signin_href"] = with_return_to("/signin", form.return_to);
    const bool has_errors = !form.username_errors.empty() || !form.email_errors.empty() ||
                            !form.password_errors.empty() || !form.confirm_errors.empty() ||
                            !form.terms_errors.empty();
    if (has_errors) {
        data["form_error"] = text(visit, "form.has_errors");
    }
    return page(visit, "signup", status, std::move(data));
}

HttpResponse Site::get_signup(const HttpRequest& req) {
    Visit visit = begin(req);
    SignupForm form;
    form.return_to = checked_return_to(first_query_param(req, "return_to"));
    if (visit.user) {
        return redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
    }
    return signup_page(visit, 200, form);
}

HttpResponse Site::post_signup(const HttpRequest& req) {
    Visit visit = begin(req);
    const Form submitted(req);
    if (!csrf_ok(req, visit, submitted.get("csrf"))) {
        return error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    SignupForm form;
    form.username = submitted.get("username");
    form.email = submitted.get("email");
    form.accept_terms = submitted.get("accept_terms") == "1";
    form.return_to = checked_return_to(submitted.get("return_to"));
    const std::string password = submitted.get("password");
    const std::string confirm = submitted.get("confirm");

    std::optional<account::Username> username;
    if (form.username.empty()) {
        form.username_errors.push_back(text(visit, "errors.username.required"));
    } else if (auto problem = check_input(form.username, max_username_bytes, false)) {
        form.username_errors.push_back(
            text(visit, "errors.input." + std::string(problem_name(*problem))));
    } else if (auto checked = account::check_username(form.username); !checked) {
        for (auto p : checked.error()) {
            form.username_errors.push_back(
                text(visit, "errors.username." + std::string(account::problem_name(p))));
        }
    } else {
        username = *checked;
    }

    std::optional<account::EmailAddress> email;
    if (form.email.empty()) {
        form.email_errors.push_back(text(visit, "errors.email.required"));
    } else if (auto problem = check_input(form.email, max_email_bytes, false)) {
        form.email_errors.push_back(
            text(visit, "errors.input." + std::string(problem_name(*problem))));
    } else if (auto parsed = account::parse_email_address(form.email); !parsed) {
        form.email_errors.push_back(text(visit, "errors.email.invalid"));
    } else {
        email = *parsed;
    }

    const std::map<std::string, std::string> bounds{{"min", std::to_string(policy_.min_length())},
                                                    {"max", std::to_string(policy_.max_length())}};
    if (password.empty()) {
        form.password_errors.push_back(text(visit, "errors.password.required"));
    } else if (auto problem = check_input(password, max_password_bytes, true)) {
        form.password_errors.push_back(
            text(visit, "errors.input." + std::string(problem_name(*problem))));
    } else {
        for (auto p : policy_.check(password, username ? username->text : form.username)) {
            form.password_errors.push_back(
                text(visit, "errors.password." + std::string(account::problem_name(p)), bounds));
        }
        if (confirm != password) {
            form.confirm_errors.push_back(text(visit, "errors.password.mismatch"));
        }
    }
    if (!form.accept_terms) {
        form.terms_errors.push_back(text(visit, "errors.terms.required"));
    }
    // Never echo a value that failed the input checks.
    if (!username && !form.username_errors.empty() &&
        check_input(form.username, max_username_bytes, false)) {
        form.username.clear();
    }
    if (!email && !form.email_errors.empty() && check_input(form.email, max_email_bytes, false)) {
        form.email.clear();
    }
    if (!username || !email || !form.password_errors.empty() || !form.confirm_errors.empty() ||
        !form.terms_errors.empty()) {
        return signup_page(visit, 400, form);
    }

    auto hash = hasher_.hash(password);
    if (!hash) {
        spdlog::error("cannot hash a password: {}", hash.error().message);
        return error_page(visit, 503, "error.title", "error.unavailable");
    }
    std::int64_t user_id = 0;
    account::UserStore users{db_};
    auto created = users.transaction([&](account::UserStore& tx) -> store::Result<void> {
        auto user = tx.create({*username, username->text, *hash}, now());
        if (!user) {
            return std::unexpected(user.error());
        }
        user_id = user->id;
        auto added = tx.add_email(user->id, *email, now());
        if (!added) {
            return std::unexpected(added.error());
        }
        return {};
    });
    if (!created) {
        if (created.error().kind == store::Error::Kind::conflict) {
            // Taken, also when another sign-up won the race a moment ago: the UNIQUE key decides.
            form.username_errors.push_back(text(visit, "errors.username.taken"));
            return signup_page(visit, 409, form);
        }
        spdlog::error("sign-up failed: {}", created.error().message);
        return error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} signed up", user_id);
    if (!sign_in(req, visit, user_id, false)) {
        return error_page(visit, 503, "error.title", "error.unavailable");
    }
    return redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
}

// ---- terms, sign-out, language ---------------------------------------------------------------

HttpResponse Site::get_terms(const HttpRequest& req) {
    Visit visit = begin(req);
    auto data = base_data(visit, text(visit, "terms.title"), true);
    std::string body =
        options_.terms_text.empty() ? text(visit, "terms.default_text") : options_.terms_text;
    mstch::array paragraphs;
    std::string_view rest = body;
    while (!rest.empty()) {
        auto end = rest.find("\n\n");
        std::string_view p = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
        if (p.find_first_not_of(" \n\t") != std::string_view::npos) {
            paragraphs.emplace_back(std::string(p));
        }
    }
    data["paragraphs"] = paragraphs;
    return page(visit, "terms", 200, std::move(data));
}

HttpResponse Site::post_signout(const HttpRequest& req) {
    Visit visit = begin(req);
    const Form submitted(req);
    if (!csrf_ok(req, visit, submitted.get("csrf"))) {
        return error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (!visit.session_token.empty()) {
        if (auto ended = sessions_.revoke(visit.session_token, now()); !ended) {
            spdlog::error("sign-out failed: {}", ended.error().message);
            return error_page(visit, 503, "error.title", "error.unavailable");
        }
        spdlog::info("user {} signed out", visit.session->user_id);
    }
    visit.set_cookies.push_back(cookies_.clear(session_cookie));
    const std::string target = checked_return_to(submitted.get("return_to"));
    return redirect(visit, target.empty() ? "/signin?signed_out=1" : target);
}

HttpResponse Site::post_lang(const HttpRequest& req) {
    Visit visit = begin(req);
    const Form submitted(req);
    if (!csrf_ok(req, visit, submitted.get("csrf"))) {
        return error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto locale = match_locale(submitted.get("lang"))) {
        visit.set_cookies.push_back(
            cookies_.set(lang_cookie, std::string(locale_tag(*locale)), lang_cookie_lifetime));
    }
    const std::string target = checked_return_to(submitted.get("return_to"));
    return redirect(visit, target.empty() ? "/signin" : target);
}

// ---- the account page ------------------------------------------------------------------------

HttpResponse Site::get_account(const HttpRequest& req) {
    Visit visit = begin(req);
    if (!visit.user) {
        return redirect(visit, "/signin?return_to=%2Faccount");
    }
    const account::User& user = *visit.user;
    account::UserStore users{db_};
    auto emails = users.emails(user.id);
    auto sessions = sessions_.list_live(user.id, now());
    if (!emails || !sessions) {
        spdlog::error("account page: {}",
                      !emails ? emails.error().message : sessions.error().message);
        return error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = base_data(visit, text(visit, "account.title"), false);
    data["welcome"] = text(visit, "account.welcome", {{"name", user.username}});
    data["account"] = mstch::map{
        {"id", std::to_string(user.id)},
        {"username", user.username},
        {"registered", format_time(user.created_at) + " " + text(visit, "time.zone")},
        {"registered_iso", iso_time(user.created_at)},
    };
    mstch::array email_rows;
    for (const auto& e : *emails) {
        email_rows.push_back(mstch::map{
            {"address", e.email}, {"verified", e.is_verified()}, {"primary", e.is_primary}});
    }
    data["has_emails"] = !email_rows.empty();
    data["emails"] = email_rows;
    mstch::array session_rows;
    for (const auto& s : *sessions) {
        auto [browser, os] = describe_agent(s.user_agent);
        std::string device;
        if (!browser.empty() && !os.empty()) {
            device = text(visit, "account.on", {{"browser", browser}, {"os", os}});
        } else if (!browser.empty() || !os.empty()) {
            device = browser + os;
        } else {
            device = text(visit, "account.unknown_device");
        }
        session_rows.push_back(mstch::map{
            {"id", std::to_string(s.id)},
            {"device", device},
            {"ip", s.ip},
            {"created", format_time(s.created_at)},
            {"created_iso", iso_time(s.created_at)},
            {"seen", format_time(s.last_seen_at)},
            {"seen_iso", iso_time(s.last_seen_at)},
            {"current", s.id == visit.session->id},
            {"persistent", s.persistent},
        });
    }
    data["sessions"] = session_rows;
    return page(visit, "account", 200, std::move(data));
}

HttpResponse Site::post_revoke_session(const HttpRequest& req) {
    Visit visit = begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return redirect(visit, "/signin?return_to=%2Faccount");
    }
    if (!csrf_ok(req, visit, submitted.get("csrf"))) {
        return error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    std::int64_t id = 0;
    const std::string text_id = req.path_param("id").value_or("");
    auto [end, ec] = std::from_chars(text_id.data(), text_id.data() + text_id.size(), id);
    if (ec == std::errc{} && end == text_id.data() + text_id.size()) {
        auto revoked = sessions_.revoke_by_id(visit.user->id, id, now());
        if (!revoked && revoked.error().kind != store::Error::Kind::not_found) {
            spdlog::error("session revoke failed: {}", revoked.error().message);
            return error_page(visit, 503, "error.title", "error.unavailable");
        }
        if (revoked) {
            spdlog::info("user {} ended session {}", visit.user->id, id);
        }
    }
    if (id == visit.session->id) {
        visit.set_cookies.push_back(cookies_.clear(session_cookie));
        return redirect(visit, "/signin?signed_out=1");
    }
    return redirect(visit, "/account");
}

}  // namespace idpd::web
