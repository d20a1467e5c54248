#include "web/phone_pages.h"

#include <spdlog/spdlog.h>

#include "web/account_layout.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::size_t max_phone_bytes = 40;

}  // namespace

void PhonePages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (PhonePages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/account/phones", bind(&PhonePages::get_phones));
    router.add(Method::post, "/account/phones/code", bind(&PhonePages::post_code));
    router.add(Method::post, "/account/phones/verify", bind(&PhonePages::post_verify));
    router.add(Method::post, "/account/phones/unbind", bind(&PhonePages::post_unbind));
    router.add(Method::get, "/signin/sms", bind(&PhonePages::get_signin));
    router.add(Method::post, "/signin/sms", bind(&PhonePages::post_signin));
    router.add(Method::post, "/signin/sms/verify", bind(&PhonePages::post_signin_verify));
}

std::string PhonePages::number_error(const Visit& visit, phone::NumberProblem problem) const {
    return kit_.text(visit, "phones.errors." + std::string(phone::problem_name(problem)));
}

phone::SmsText PhonePages::sms_text(const Visit& visit) const {
    return [this, &visit](const std::string& code) {
        return kit_.text(visit, "phones.sms_text", {{"code", code}});
    };
}

HttpResponse PhonePages::throttled_page(Visit& visit, std::chrono::seconds wait) {
    const auto minutes =
        std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::minutes>(wait).count());
    auto data = kit_.base_data(visit, kit_.text(visit, "error.title"), !visit.user.has_value());
    data["heading"] = kit_.text(visit, "security.throttle.heading");
    data["message"] = kit_.text(visit, "phones.throttled", {{"minutes", std::to_string(minutes)}});
    auto response = kit_.page(visit, "error", 429, std::move(data));
    response.headers.set("Retry-After", std::to_string(wait.count()));
    return response;
}

HttpResponse PhonePages::phones_page(Visit& visit, int status, const AccountForm& form) {
    phone::PhoneStore phones(kit_.db());
    auto bound = phones.of_user(visit.user->id);
    if (!bound) {
        spdlog::error("phones page: {}", bound.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data =
        account_page_data(kit_, visit, AccountTab::phones, kit_.text(visit, "phones.title"));
    data["has_phone"] = bound->has_value();
    if (*bound) {
        data["number"] = (*bound)->phone;
        data["verified"] = format_time((*bound)->verified_at);
        data["verified_iso"] = iso_time((*bound)->verified_at);
    }
    data["phone"] = form.phone;
    data["code_sent"] = form.code_sent;
    if (form.code_sent) {
        data["sent_to"] = kit_.text(visit, "phones.code_sent", {{"phone", form.phone}});
    }
    data["phone_error"] = form.phone_error;
    data["code_error"] = form.code_error;
    if (!form.form_error.empty()) {
        data["form_error"] = form.form_error;
    }
    if (!form.notice.empty()) {
        data["notice"] = form.notice;
    }
    return kit_.page(visit, "phones", status, std::move(data));
}

HttpResponse PhonePages::get_phones(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fphones");
    }
    AccountForm form;
    const std::string sent = first_query_param(req, "sent");
    if (auto e164 = phone::normalize_e164(sent); !sent.empty() && e164 && *e164 == sent) {
        form.phone = *e164;
        form.code_sent = true;
    }
    if (first_query_param(req, "bound") == "1") {
        form.notice = kit_.text(visit, "phones.bound");
    } else if (first_query_param(req, "unbound") == "1") {
        form.notice = kit_.text(visit, "phones.unbound");
    }
    return phones_page(visit, 200, form);
}

std::optional<HttpResponse> PhonePages::gate(const HttpRequest& req, Visit& visit) {
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fphones");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    return guard_.require(visit, "/account/phones");
}

HttpResponse PhonePages::post_code(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = gate(req, visit)) {
        return std::move(*refused);
    }
    const Form submitted(req);
    AccountForm form;
    form.phone = submitted.get("phone");
    if (check_input(form.phone, max_phone_bytes, false)) {
        form.phone.clear();
        form.phone_error = number_error(visit, phone::NumberProblem::invalid_character);
        return phones_page(visit, 400, form);
    }
    auto e164 = phone::normalize_e164(form.phone);
    if (!e164) {
        form.phone_error = number_error(visit, e164.error());
        return phones_page(visit, 400, form);
    }
    auto started = flows_.start_bind(visit.user->id, *e164, PageKit::client_ip(req),
                                     sms_text(visit), kit_.now());
    if (!started) {
        spdlog::error("phone code: {}", started.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (started->throttled) {
        return throttled_page(visit, started->retry_after);
    }
    return kit_.redirect(visit, with_param("/account/phones", "sent", *e164));
}

HttpResponse PhonePages::post_verify(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = gate(req, visit)) {
        return std::move(*refused);
    }
    const Form submitted(req);
    AccountForm form;
    auto e164 = phone::normalize_e164(submitted.get("phone"));
    if (!e164) {
        return kit_.redirect(visit, "/account/phones");
    }
    form.phone = *e164;
    form.code_sent = true;
    auto bound = flows_.confirm_bind(visit.user->id, *e164, submitted.get("code"), kit_.now());
    if (!bound) {
        spdlog::error("phone bind: {}", bound.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (bound->outcome != phone::BindOutcome::bound) {
        form.code_error = kit_.text(visit, bound->outcome == phone::BindOutcome::taken
                                               ? "phones.errors.taken"
                                               : "phones.errors.wrong_code");
        return phones_page(visit, 400, form);
    }
    auto event = PageKit::audit_event(req, audit::EventType::phone_bound);
    event.user_id = visit.user->id;
    event.identifier = *e164;
    if (bound->previous) {
        event.detail = {{"previous", *bound->previous}};
    }
    kit_.record(event);
    spdlog::info("user {} bound a phone number", visit.user->id);
    return kit_.redirect(visit, "/account/phones?bound=1");
}

HttpResponse PhonePages::post_unbind(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = gate(req, visit)) {
        return std::move(*refused);
    }
    auto outcome = flows_.unbind(visit.user->id);
    if (!outcome) {
        spdlog::error("phone unbind: {}", outcome.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (*outcome == phone::UnbindOutcome::last_recovery) {
        AccountForm form;
        form.form_error = kit_.text(visit, "phones.errors.last_recovery");
        return phones_page(visit, 409, form);
    }
    if (*outcome == phone::UnbindOutcome::unbound) {
        auto event = PageKit::audit_event(req, audit::EventType::phone_unbound);
        event.user_id = visit.user->id;
        kit_.record(event);
    }
    return kit_.redirect(visit, "/account/phones?unbound=1");
}

}  // namespace idpd::web
