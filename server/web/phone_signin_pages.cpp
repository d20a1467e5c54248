// PhonePages, part two: signing in with a text message (/signin/sms).
#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/phone_pages.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::size_t max_phone_bytes = 40;

// The number's throttle subject: counted whether or not an account holds it.
auth::ThrottleSubject number_subject(const std::string& e164) {
    return auth::ThrottleSubject::account("phone:" + e164);
}

}  // namespace

HttpResponse PhonePages::signin_page(Visit& visit, int status, const SigninForm& form) {
    auto data = kit_.base_data(visit, kit_.text(visit, "phones.signin.title"), true);
    data["phone"] = form.phone;
    data["return_to"] = form.return_to;
    data["remember"] = form.remember;
    data["code_step"] = form.code_step;
    data["phone_error"] = form.phone_error;
    if (form.code_step) {
        data["intro"] = kit_.text(visit, "phones.signin.code_intro", {{"phone", form.phone}});
    }
    if (!form.form_error.empty()) {
        data["form_error"] = form.form_error;
    }
    data["password_href"] = kit_.link(visit, with_return_to("/signin", form.return_to));
    data["current"] = kit_.link(visit, with_return_to("/signin/sms", form.return_to));
    return kit_.page(visit, "signin_sms", status, std::move(data));
}

HttpResponse PhonePages::get_signin(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    SigninForm form;
    form.return_to = checked_return_to(first_query_param(req, "return_to"));
    if (visit.user) {
        return kit_.redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
    }
    return signin_page(visit, 200, form);
}

HttpResponse PhonePages::post_signin(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    SigninForm form;
    form.phone = submitted.get("phone");
    form.return_to = checked_return_to(submitted.get("return_to"));
    form.remember = submitted.get("remember") == "1";
    if (check_input(form.phone, max_phone_bytes, false)) {
        form.phone.clear();
        form.phone_error = number_error(visit, phone::NumberProblem::invalid_character);
        return signin_page(visit, 400, form);
    }
    auto e164 = phone::normalize_e164(form.phone);
    if (!e164) {
        form.phone_error = number_error(visit, e164.error());
        return signin_page(visit, 400, form);
    }
    auto started =
        flows_.start_sign_in(*e164, PageKit::client_ip(req), sms_text(visit), kit_.now());
    if (!started) {
        spdlog::error("sign-in code: {}", started.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (started->throttled) {
        return throttled_page(visit, started->retry_after);
    }
    // The same page whether or not a code went out.
    form.phone = *e164;
    form.code_step = true;
    return signin_page(visit, 200, form);
}

HttpResponse PhonePages::post_signin_verify(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    SigninForm form;
    form.return_to = checked_return_to(submitted.get("return_to"));
    form.remember = submitted.get("remember") == "1";
    auto e164 = phone::normalize_e164(submitted.get("phone"));
    if (!e164) {
        return signin_page(visit, 400, form);
    }
    form.phone = *e164;
    form.code_step = true;
    std::vector<auth::ThrottleSubject> subjects{number_subject(*e164),
                                                auth::ThrottleSubject::ip(PageKit::client_ip(req))};
    auto wait = throttle_.wait(subjects, kit_.precise_now());
    if (!wait) {
        spdlog::error("sms sign-in throttle: {}", wait.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (wait->count() > 0) {
        return throttled_page(visit, std::chrono::ceil<std::chrono::seconds>(*wait));
    }
    auto user_id = flows_.finish_sign_in(*e164, submitted.get("code"), kit_.now());
    std::optional<account::User> user;
    if (user_id && *user_id) {
        account::UserStore users(kit_.db());
        if (auto found = users.find_by_id(**user_id); found && found->is_active()) {
            user = *found;
        }
    }
    if (!user_id) {
        spdlog::error("sms sign-in: {}", user_id.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!user) {
        for (const auto& subject : subjects) {
            if (auto counted = throttle_.record_failure(subject, kit_.precise_now()); !counted) {
                spdlog::error("cannot count a sign-in failure: {}", counted.error().message);
            }
        }
        auto event = PageKit::audit_event(req, audit::EventType::sign_in_failure);
        event.identifier = *e164;
        event.detail = {{"reason", "wrong_sms_code"}};
        kit_.record(event);
        form.form_error = kit_.text(visit, "phones.errors.wrong_code");
        return signin_page(visit, 401, form);
    }
    (void)throttle_.clear(subjects.front());
    auto event = PageKit::audit_event(req, audit::EventType::sign_in_success);
    event.user_id = user->id;
    event.detail = {{"method", "sms"}, {"remember", form.remember}};
    kit_.record(event);
    return second_step_.begin(req, visit,
                              FirstFactor{user->id, "sms", form.return_to, form.remember});
}

}  // namespace idpd::web
