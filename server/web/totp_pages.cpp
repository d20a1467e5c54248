#include "web/totp_pages.h"

#include <spdlog/spdlog.h>

#include "auth/acr.h"
#include "auth/qr_svg.h"
#include "auth/totp.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

namespace {

constexpr std::size_t max_code_bytes = 32;
constexpr std::string_view home = "/account/security/totp";

// The base32 secret in groups of four, as authenticator apps show it for typing.
std::string grouped(const std::string& base32) {
    std::string out;
    for (std::size_t i = 0; i < base32.size(); ++i) {
        if (i > 0 && i % 4 == 0) {
            out.push_back(' ');
        }
        out.push_back(base32[i]);
    }
    return out;
}

}  // namespace

void TotpPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (TotpPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    const std::string base(home);
    router.add(Method::get, base, bind(&TotpPages::get_status));
    router.add(Method::post, base + "/start", bind(&TotpPages::post_start));
    router.add(Method::get, base + "/setup", bind(&TotpPages::get_setup));
    router.add(Method::get, base + "/qr.svg", bind(&TotpPages::get_qr));
    router.add(Method::post, base + "/activate", bind(&TotpPages::post_activate));
    router.add(Method::post, base + "/disable", bind(&TotpPages::post_disable));
    router.add(Method::post, base + "/recovery-codes", bind(&TotpPages::post_recovery_codes));
}

std::optional<HttpResponse> TotpPages::refuse(const HttpRequest& req, Visit& visit, bool post) {
    if (!visit.user) {
        return kit_.redirect(visit, with_return_to("/signin", std::string(home)));
    }
    if (post && !kit_.csrf_ok(req, visit, Form(req).get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    return std::nullopt;
}

std::string TotpPages::account_label(const Visit& visit) const {
    return visit.user ? visit.user->username : std::string();
}

HttpResponse TotpPages::get_status(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse(req, visit, false)) {
        return std::move(*refused);
    }
    auto status = two_step_.totp().status(visit.user->id);
    if (!status) {
        spdlog::error("totp page: {}", status.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "totp.title"), false);
    const bool active = status->state == auth::TotpState::active;
    data["active"] = active;
    data["show_status"] = true;
    data["return_to"] = checked_return_to(first_query_param(req, "return_to"));
    data["codes_left"] = kit_.text(visit, "totp.status.codes_left",
                                   {{"count", std::to_string(status->recovery_codes_left)}});
    if (active && status->activated_at) {
        data["since"] = format_time(*status->activated_at);
    }
    if (first_query_param(req, "disabled") == "1") {
        data["notice"] = kit_.text(visit, "totp.status.disabled_notice");
    }
    return kit_.page(visit, "totp", 200, std::move(data));
}

HttpResponse TotpPages::post_start(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse(req, visit, true)) {
        return std::move(*refused);
    }
    const std::string return_to = checked_return_to(Form(req).get("return_to"));
    auto secret = two_step_.totp().enroll(visit.user->id, kit_.now());
    if (!secret) {
        if (secret.error().kind == store::Error::Kind::conflict) {
            return kit_.redirect(visit, std::string(home));  // already on: nothing to start
        }
        spdlog::error("totp enroll: {}", secret.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.redirect(visit, with_return_to(std::string(home) + "/setup", return_to));
}

HttpResponse TotpPages::setup_page(Visit& visit, int status, const std::string& return_to,
                                   const std::string& error) {
    auto secret = two_step_.totp().pending_secret(visit.user->id);
    if (!secret) {
        if (secret.error().kind == store::Error::Kind::not_found) {
            return kit_.redirect(visit, std::string(home));  // nothing pending (or already on)
        }
        spdlog::error("totp setup: {}", secret.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "totp.title"), false);
    data["show_setup"] = true;
    data["secret"] = grouped(auth::base32_encode(*secret));
    data["return_to"] = return_to;
    data["form_error"] = error;
    return kit_.page(visit, "totp", status, std::move(data));
}

HttpResponse TotpPages::get_setup(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse(req, visit, false)) {
        return std::move(*refused);
    }
    return setup_page(visit, 200, checked_return_to(first_query_param(req, "return_to")), {});
}

HttpResponse TotpPages::get_qr(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.finish(visit, HttpResponse::text(404, "not found\n"));
    }
    auto secret = two_step_.totp().pending_secret(visit.user->id);
    if (!secret) {
        return kit_.finish(visit, HttpResponse::text(404, "not found\n"));
    }
    const std::string uri =
        auth::otpauth_uri(two_step_.options().issuer_name, account_label(visit), *secret);
    auto svg = auth::qr_svg(uri);
    if (!svg) {
        spdlog::error("cannot draw the enrollment QR code: {}", svg.error().message);
        return kit_.finish(visit, HttpResponse::text(500, "cannot draw the QR code\n"));
    }
    HttpResponse response = HttpResponse::text(200, std::move(*svg));
    response.headers.set("Content-Type", "image/svg+xml");
    response.headers.set("X-Content-Type-Options", "nosniff");
    return kit_.finish(visit, std::move(response));
}

HttpResponse TotpPages::codes_page(Visit& visit, const std::vector<std::string>& codes,
                                   const std::string& return_to) {
    auto data = kit_.base_data(visit, kit_.text(visit, "totp.title"), false);
    data["show_codes"] = true;
    data["codes"] = to_array(codes);
    data["continue_href"] = return_to.empty() ? std::string(home) : return_to;
    return kit_.page(visit, "totp", 200, std::move(data));
}

HttpResponse TotpPages::post_activate(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse(req, visit, true)) {
        return std::move(*refused);
    }
    const Form submitted(req);
    const std::string return_to = checked_return_to(submitted.get("return_to"));
    const std::string code = without_spaces(submitted.get("code"));
    if (!is_totp_code(code)) {
        return setup_page(visit, 400, return_to, kit_.text(visit, "totp.errors.six_digits"));
    }
    auto checked = two_step_.totp().activate(visit.user->id, code, kit_.now());
    if (!checked) {
        spdlog::error("totp activate: {}", checked.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (checked->outcome == auth::CodeOutcome::not_enrolled) {
        return kit_.redirect(visit, std::string(home));
    }
    if (checked->outcome != auth::CodeOutcome::accepted) {
        return setup_page(visit, checked->outcome == auth::CodeOutcome::throttled ? 429 : 401,
                          return_to, two_step_.refusal(visit, *checked));
    }
    auto codes = two_step_.totp().regenerate_recovery_codes(visit.user->id, kit_.now());
    if (!codes) {
        spdlog::error("totp recovery codes: {}", codes.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    // The code just typed is a second factor: this session is at the MFA level from now.
    const std::string amr = auth::with_second_factor(visit.session->amr, true);
    if (auto raised = kit_.sessions().record_second_factor(visit.session->id, amr, kit_.now());
        !raised) {
        spdlog::warn("cannot raise session {}: {}", visit.session->id, raised.error().message);
    }
    auto event = PageKit::audit_event(req, audit::EventType::totp_enabled);
    event.user_id = visit.user->id;
    kit_.record(event);
    spdlog::info("user {} turned two-step verification on", visit.user->id);
    return codes_page(visit, *codes, return_to);
}

HttpResponse TotpPages::post_disable(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse(req, visit, true)) {
        return std::move(*refused);
    }
    // A current code (or recovery code) in the form is the check itself: it is fresher than
    // the guard's window, and TotpStore::disable takes only the proof such a check makes.
    const std::string code = Form(req).get("code");
    auto data = kit_.base_data(visit, kit_.text(visit, "totp.title"), false);
    data["show_status"] = true;
    data["active"] = true;
    if (code.empty() || check_input(code, max_code_bytes, false)) {
        data["form_error"] = kit_.text(visit, "totp.errors.missing_code");
        return kit_.page(visit, "totp", 400, std::move(data));
    }
    auto checked = two_step_.check(req, visit, visit.user->id, code);
    if (!checked) {
        spdlog::error("totp disable: {}", checked.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (checked->outcome != auth::CodeOutcome::accepted || !checked->proof) {
        data["form_error"] = two_step_.refusal(visit, *checked);
        return kit_.page(visit, "totp", 401, std::move(data));
    }
    if (auto off = two_step_.totp().disable(*checked->proof, kit_.now()); !off) {
        spdlog::error("totp disable: {}", off.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    second_step_.forget_trusted_browsers(visit.user->id);
    auto event = PageKit::audit_event(req, audit::EventType::totp_disabled);
    event.user_id = visit.user->id;
    kit_.record(event);
    spdlog::info("user {} turned two-step verification off", visit.user->id);
    return kit_.redirect(visit, std::string(home) + "?disabled=1");
}

HttpResponse TotpPages::post_recovery_codes(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse(req, visit, true)) {
        return std::move(*refused);
    }
    if (auto gate = guard_.require(visit, std::string(home))) {
        return std::move(*gate);
    }
    auto codes = two_step_.totp().regenerate_recovery_codes(visit.user->id, kit_.now());
    if (!codes) {
        if (codes.error().kind == store::Error::Kind::not_found) {
            return kit_.redirect(visit, std::string(home));
        }
        spdlog::error("totp recovery codes: {}", codes.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto event = PageKit::audit_event(req, audit::EventType::recovery_codes_regenerated);
    event.user_id = visit.user->id;
    kit_.record(event);
    return codes_page(visit, *codes, {});
}

}  // namespace idpd::web
