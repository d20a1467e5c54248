#include "web/second_step_pages.h"

#include <spdlog/spdlog.h>

#include "auth/acr.h"
#include "web/cookies.h"
#include "web/deletion_pages.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/signin_history.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

namespace {

constexpr std::size_t max_code_bytes = 32;

}  // namespace

void SecondStepPages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, "/signin/second-step",
               [this](const HttpRequest& req) { return get_second_step(req); });
    router.add(Method::post, "/signin/second-step",
               [this](const HttpRequest& req) { return post_second_step(req); });
}

bool SecondStepPages::is_trusted_browser(const HttpRequest& req, std::int64_t user_id) {
    if (two_step_.options().trust_browser_days <= 0) {
        return false;
    }
    auto token = cookie_value(req, kit_.cookies().name(trusted_cookie));
    if (!token) {
        return false;
    }
    auto trusted = trusted_.is_trusted(*token, user_id, kit_.now());
    if (!trusted) {
        spdlog::warn("trusted browser look-up failed: {}", trusted.error().message);
        return false;
    }
    return *trusted;
}

HttpResponse SecondStepPages::begin(const HttpRequest& req, Visit& visit,
                                    const FirstFactor& first) {
    auto enrolled = two_step_.is_enrolled(first.user_id);
    if (!enrolled) {
        spdlog::error("second step: {}", enrolled.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const std::string target = first.return_to.empty() ? "/account" : first.return_to;
    if (!*enrolled || is_trusted_browser(req, first.user_id)) {
        if (!kit_.open_session(req, visit, first.user_id, first.persistent, first.amr)) {
            return kit_.error_page(visit, 503, "error.title", "error.unavailable");
        }
        record_signin(kit_, req, first.user_id, first.method, true);
        return kit_.redirect(visit, after_sign_in(kit_, first.user_id, target));
    }
    auth::PendingLogin login{first.user_id, first.amr, first.return_to, first.persistent, {}, {}};
    auto token = pending_.create(login, kit_.now(), two_step_.options().pending_login_ttl);
    if (!token) {
        spdlog::error("cannot store a pending login: {}", token.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    // A browser-session cookie; the row's own expiry is what counts.
    visit.set_cookies.push_back(kit_.cookies().set(pending_cookie, *token, std::nullopt));
    return kit_.redirect(visit, "/signin/second-step");
}

void SecondStepPages::forget_trusted_browsers(std::int64_t user_id) {
    if (auto forgotten = trusted_.forget_all(user_id); !forgotten) {
        spdlog::error("cannot forget the trusted browsers of user {}: {}", user_id,
                      forgotten.error().message);
    }
}

HttpResponse SecondStepPages::form_page(Visit& visit, int status, const std::string& error) {
    auto data = kit_.base_data(visit, kit_.text(visit, "totp.second_step.title"), true);
    data["form_error"] = error;
    data["trust_offered"] = two_step_.options().trust_browser_days > 0;
    data["trust_label"] =
        kit_.text(visit, "totp.second_step.trust",
                  {{"days", std::to_string(two_step_.options().trust_browser_days)}});
    return kit_.page(visit, "second_step", status, std::move(data));
}

HttpResponse SecondStepPages::get_second_step(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    auto token = cookie_value(req, kit_.cookies().name(pending_cookie));
    if (!token || !pending_.find(*token, kit_.now())) {
        return kit_.redirect(visit, "/signin?second_step=expired");
    }
    return form_page(visit, 200, {});
}

HttpResponse SecondStepPages::post_second_step(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string token =
        cookie_value(req, kit_.cookies().name(pending_cookie)).value_or(std::string());
    auto login = pending_.find(token, kit_.now());
    if (!login) {
        if (login.error().kind != store::Error::Kind::not_found) {
            spdlog::error("pending login look-up failed: {}", login.error().message);
            return kit_.error_page(visit, 503, "error.title", "error.unavailable");
        }
        visit.set_cookies.push_back(kit_.cookies().clear(pending_cookie));
        return kit_.redirect(visit, "/signin?second_step=expired");
    }
    const std::string code = submitted.get("code");
    if (code.empty() || check_input(code, max_code_bytes, false)) {
        return form_page(visit, 400, kit_.text(visit, "totp.errors.missing_code"));
    }
    auto checked = two_step_.check(req, visit, login->user_id, code);
    if (!checked) {
        spdlog::error("second step check failed: {}", checked.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (checked->outcome != auth::CodeOutcome::accepted) {
        const int status = checked->outcome == auth::CodeOutcome::throttled ? 429 : 401;
        record_signin(kit_, req, login->user_id, "totp", false);
        return form_page(visit, status, two_step_.refusal(visit, *checked));
    }
    return passed(req, visit, token, *login, is_totp_code(code), submitted.get("trust") == "1");
}

HttpResponse SecondStepPages::passed(const HttpRequest& req, Visit& visit, const std::string& token,
                                     const auth::PendingLogin& login, bool totp_code, bool trust) {
    auto finished = pending_.finish(token, kit_.now());
    if (!finished) {
        spdlog::error("cannot finish a pending login: {}", finished.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    visit.set_cookies.push_back(kit_.cookies().clear(pending_cookie));
    if (!*finished) {
        // Another tab (or a replayed form) finished it first: it opens one session only.
        return kit_.redirect(visit, "/signin?second_step=expired");
    }
    const std::string amr = auth::with_second_factor(login.amr, totp_code);
    if (!kit_.open_session(req, visit, login.user_id, login.persistent, amr, true)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    // The pending login keeps the amr, not the upstream's name: "pwd" was the password form.
    const bool password = (" " + login.amr + " ").find(" pwd ") != std::string::npos;
    const std::string first = password ? "password" : "upstream";
    record_signin(kit_, req, login.user_id, first + (totp_code ? "+totp" : "+recovery_code"), true);
    const int days = two_step_.options().trust_browser_days;
    if (trust && days > 0) {
        const std::chrono::seconds lifetime{std::chrono::hours(24) * days};
        if (auto trusted = trusted_.trust(login.user_id, kit_.now(), lifetime)) {
            visit.set_cookies.push_back(kit_.cookies().set(trusted_cookie, *trusted, lifetime));
        } else {
            spdlog::warn("cannot trust a browser of user {}: {}", login.user_id,
                         trusted.error().message);
        }
    }
    spdlog::info("user {} passed the second step", login.user_id);
    return kit_.redirect(
        visit,
        after_sign_in(kit_, login.user_id, login.return_to.empty() ? "/account" : login.return_to));
}

}  // namespace idpd::web
