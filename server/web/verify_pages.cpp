#include "web/verify_pages.h"

#include <chrono>
#include <vector>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "auth/acr.h"
#include "auth/step_up_code_store.h"
#include "web/account_mail.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

namespace {

constexpr std::size_t max_code_bytes = 32;

// A mailed step-up code: long enough to reach a mailbox, short enough to be worth little.
constexpr std::chrono::seconds step_up_code_ttl{std::chrono::minutes(10)};

std::string target_or_account(const std::string& return_to) {
    return return_to.empty() ? "/account" : return_to;
}

}  // namespace

void VerifyPages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, "/account/verify",
               [this](const HttpRequest& req) { return get_verify(req); });
    router.add(Method::post, "/account/verify",
               [this](const HttpRequest& req) { return post_verify(req); });
    router.add(Method::post, "/account/verify/email-code",
               [this](const HttpRequest& req) { return post_email_code(req); });
}

HttpResponse VerifyPages::form_page(Visit& visit, int status, bool enrolled,
                                    const std::string& return_to, const std::string& error,
                                    const std::string& notice) {
    auto data = kit_.base_data(visit, kit_.text(visit, "totp.verify.title"), true);
    data["form_error"] = error;
    data["notice"] = notice;
    data["return_to"] = return_to;
    data["enrolled"] = enrolled;
    // No password to ask: a code by email (the password field is not shown).
    data["email_code"] = !enrolled && !visit.user->has_password();
    return kit_.page(visit, "verify", status, std::move(data));
}

HttpResponse VerifyPages::get_verify(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const std::string return_to = checked_return_to(first_query_param(req, "return_to"));
    if (!visit.user) {
        return kit_.redirect(visit, with_return_to("/signin", visit.current));
    }
    auto enrolled = two_step_.is_enrolled(visit.user->id);
    if (!enrolled) {
        spdlog::error("verify page: {}", enrolled.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!*enrolled && first_query_param(req, "level") == "mfa") {
        // A relying party asked for two factors and the operator offers enrollment.
        return kit_.redirect(visit, with_return_to("/account/security/totp", return_to));
    }
    std::string notice;
    if (const auto sent = first_query_param(req, "code"); sent == "sent") {
        notice = kit_.text(visit, "center.verify.code_sent");
    } else if (sent == "wait") {
        notice = kit_.text(visit, "center.verify.code_wait");
    } else if (sent == "no_address") {
        notice = kit_.text(visit, "center.verify.no_address");
    }
    return form_page(visit, 200, *enrolled, return_to, {}, notice);
}

HttpResponse VerifyPages::post_verify(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string return_to = checked_return_to(submitted.get("return_to"));
    auto enrolled = two_step_.is_enrolled(visit.user->id);
    if (!enrolled) {
        spdlog::error("verify page: {}", enrolled.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (*enrolled) {
        return verify_code(req, visit, return_to, submitted.get("code"));
    }
    if (!visit.user->has_password()) {
        return verify_email_code(visit, return_to, submitted.get("email_code"));
    }
    return verify_password(visit, return_to, submitted.get("password"));
}

HttpResponse VerifyPages::verify_code(const HttpRequest& req, Visit& visit,
                                      const std::string& return_to, const std::string& code) {
    if (code.empty() || check_input(code, max_code_bytes, false)) {
        return form_page(visit, 400, true, return_to, kit_.text(visit, "totp.errors.missing_code"));
    }
    auto checked = two_step_.check(req, visit, visit.user->id, code);
    if (!checked) {
        spdlog::error("verify page: {}", checked.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (checked->outcome != auth::CodeOutcome::accepted) {
        const int status = checked->outcome == auth::CodeOutcome::throttled ? 429 : 401;
        return form_page(visit, status, true, return_to, two_step_.refusal(visit, *checked));
    }
    // The step-up: the same session, now at the MFA level; no new password.
    const std::string amr = auth::with_second_factor(visit.session->amr, is_totp_code(code));
    if (auto raised = kit_.sessions().record_second_factor(visit.session->id, amr, kit_.now());
        !raised) {
        spdlog::error("cannot record the step-up of session {}: {}", visit.session->id,
                      raised.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} stepped up session {}", visit.user->id, visit.session->id);
    return kit_.redirect(visit, target_or_account(return_to));
}

HttpResponse VerifyPages::verify_password(Visit& visit, const std::string& return_to,
                                          const std::string& password) {
    const std::vector<auth::ThrottleSubject> subjects{auth::ThrottleSubject::user(visit.user->id)};
    auto wait = throttle_.wait(subjects, kit_.precise_now());
    if (!wait) {
        spdlog::error("cannot read the password throttle: {}", wait.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (wait->count() > 0) {
        const auto minutes = std::chrono::ceil<std::chrono::minutes>(*wait).count();
        return form_page(visit, 429, false, return_to,
                         kit_.text(visit, "totp.errors.password_throttled",
                                   {{"minutes", std::to_string(minutes)}}));
    }
    const auto& hash = visit.user->password_hash;
    if (password.empty() || password.size() > max_password_bytes || !hash ||
        !hasher_.verify(password, *hash)) {
        if (!hash || password.empty()) {
            hasher_.verify_dummy(password);
        }
        if (throttle_.options().enabled) {
            auto counted = throttle_.record_failure(subjects.front(), kit_.precise_now());
            if (!counted) {
                spdlog::error("cannot count a wrong password: {}", counted.error().message);
            }
        }
        return form_page(visit, 401, false, return_to,
                         kit_.text(visit, "totp.errors.wrong_password"));
    }
    if (auto done = kit_.sessions().record_reauth(visit.session->id, kit_.now()); !done) {
        spdlog::error("cannot record the password check of session {}: {}", visit.session->id,
                      done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.redirect(visit, target_or_account(return_to));
}

HttpResponse VerifyPages::post_email_code(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string return_to = checked_return_to(submitted.get("return_to"));
    const std::string back = with_return_to("/account/verify", return_to);
    auto separator = back.find('?') == std::string::npos ? "?" : "&";
    account::UserStore users{kit_.db()};
    auto emails = users.emails(visit.user->id);
    if (!emails) {
        spdlog::error("step-up code: {}", emails.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    std::optional<std::string> address;
    for (const auto& e : *emails) {
        if (e.is_verified() && (e.is_primary || !address)) {
            address = e.email;
        }
    }
    if (!address) {
        return kit_.redirect(visit, back + separator + "code=no_address");
    }
    const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
    bool throttled = false;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auth::StepUpCodeStore codes{tx, kit_.random()};
        auto code = codes.issue(visit.user->id, step_up_code_ttl, kit_.now());
        if (!code) {
            return std::unexpected(code.error());
        }
        throttled = !code->has_value();
        if (throttled) {
            return {};
        }
        return enqueue_step_up_code_mail(tx, context,
                                         {visit.user->id, visit.user->username, *address}, **code,
                                         step_up_code_ttl, kit_.now());
    });
    if (!done) {
        spdlog::error("step-up code: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!throttled) {
        auto event = PageKit::audit_event(req, audit::EventType::email_code_sent);
        event.user_id = visit.user->id;
        kit_.record(event);
    }
    return kit_.redirect(visit, back + separator + (throttled ? "code=wait" : "code=sent"));
}

HttpResponse VerifyPages::verify_email_code(Visit& visit, const std::string& return_to,
                                            const std::string& code) {
    if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) {
        return form_page(visit, 400, false, return_to,
                         kit_.text(visit, "center.verify.wrong_code"));
    }
    auth::StepUpCodeStore codes{kit_.db(), kit_.random()};
    auto redeemed = codes.redeem(visit.user->id, code, kit_.now());
    if (!redeemed) {
        spdlog::error("step-up code: {}", redeemed.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!*redeemed) {
        return form_page(visit, 401, false, return_to,
                         kit_.text(visit, "center.verify.wrong_code"));
    }
    if (auto done = kit_.sessions().record_reauth(visit.session->id, kit_.now()); !done) {
        spdlog::error("cannot record the code check of session {}: {}", visit.session->id,
                      done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.redirect(visit, target_or_account(return_to));
}

}  // namespace idpd::web
