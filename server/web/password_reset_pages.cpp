#include "web/password_reset_pages.h"

#include <spdlog/spdlog.h>

#include "account/email_token_store.h"
#include "account/user_store.h"
#include "auth/session_store.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/mail.h"
#include "web/notices.h"
#include "web/password_rules.h"

namespace idpd::web {
namespace {

using account::EmailTokenPurpose;
using http::HttpRequest;
using http::HttpResponse;

// Where a reset link goes: the primary address when verified, else the first verified one.
std::optional<std::string> reset_address(const std::vector<account::UserEmail>& emails) {
    std::optional<std::string> chosen;
    for (const auto& e : emails) {
        if (e.is_verified() && (e.is_primary || !chosen)) {
            chosen = e.email;
        }
    }
    return chosen;
}

}  // namespace

void PasswordResetPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (PasswordResetPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/forgot-password", bind(&PasswordResetPages::get_forgot));
    router.add(Method::post, "/forgot-password", bind(&PasswordResetPages::post_forgot));
    router.add(Method::get, "/reset-password", bind(&PasswordResetPages::get_reset));
    router.add(Method::post, "/reset-password", bind(&PasswordResetPages::post_reset));
}

HttpResponse PasswordResetPages::forgot_page(Visit& visit, int status,
                                             const std::string& identifier,
                                             const std::string& error, bool sent,
                                             const std::string& return_to) {
    auto data = kit_.base_data(visit, kit_.text(visit, "forgot.title"), true);
    std::vector<FieldView> views{
        {"identifier", kit_.text(visit, "forgot.identifier"), "text", identifier, "username",
         kit_.text(visit, "forgot.hint"),
         error.empty() ? std::vector<std::string>{} : std::vector<std::string>{error}, false,
         true}};
    focus_first_problem(views);
    data["fields"] = mstch::array{field(views.front())};
    data["current"] = kit_.link(visit, with_return_to("/forgot-password", return_to));
    data["return_to"] = return_to;
    data["back_href"] = kit_.link(visit, with_return_to("/signin", return_to));
    if (sent) {
        data["notice"] = kit_.text(visit, "forgot.sent");
    }
    return kit_.page(visit, "forgot_password", status, std::move(data));
}

HttpResponse PasswordResetPages::get_forgot(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    return forgot_page(visit, 200, "", "", false,
                       checked_return_to(first_query_param(req, "return_to")));
}

store::Result<void> PasswordResetPages::send_link(const Visit& visit, const std::string& identifier,
                                                  audit::Event& event) {
    account::UserStore users(kit_.db());
    auto user = users.find_by_sign_in_identifier(identifier);
    if (!user) {
        event.detail = {{"outcome", "unknown_account"}};
        return user.error().kind == store::Error::Kind::not_found ? store::Result<void>{}
                                                                  : std::unexpected(user.error());
    }
    event.user_id = user->id;
    if (!user->is_active()) {
        event.detail = {{"outcome", "disabled"}};
        return {};
    }
    auto emails = users.emails(user->id);
    if (!emails) {
        return std::unexpected(emails.error());
    }
    auto address = reset_address(*emails);
    if (!address) {
        spdlog::info("password reset for user {}: no verified address", user->id);
        event.detail = {{"outcome", "no_verified_email"}};
        return {};
    }
    account::EmailTokenStore tokens(kit_.db(), kit_.random());
    auto last = tokens.last_issued(EmailTokenPurpose::password_reset, user->id, *address);
    if (!last) {
        return std::unexpected(last.error());
    }
    if (*last && kit_.now() - **last < kit_.options().email_resend_cooldown) {
        event.detail = {{"outcome", "cooldown"}};
        return {};  // one mail per cooldown is enough; the page says the same either way
    }
    event.detail = {{"outcome", "mailed"}};
    const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
    const MailTo to{user->id, user->username, *address};
    spdlog::info("password reset link for user {}", user->id);
    return kit_.db().transaction([&](store::Database& tx) {
        return enqueue_link_mail(tx, kit_.random(), context, EmailTokenPurpose::password_reset, to,
                                 kit_.options().password_reset_ttl, kit_.now());
    });
}

HttpResponse PasswordResetPages::post_forgot(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    std::string identifier = submitted.get("identifier");
    const std::string return_to = checked_return_to(submitted.get("return_to"));
    if (identifier.empty()) {
        return forgot_page(visit, 400, "", kit_.text(visit, "forgot.required"), false, return_to);
    }
    if (auto problem = check_input(identifier, max_identifier_bytes, false)) {
        return forgot_page(visit, 400, "",
                           kit_.text(visit, "errors.input." + std::string(problem_name(*problem))),
                           false, return_to);
    }
    auto event = PageKit::audit_event(req, audit::EventType::password_reset_requested);
    event.identifier = identifier;
    if (auto sent = send_link(visit, identifier, event); !sent) {
        spdlog::error("password reset: {}", sent.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    kit_.record(event);
    // The same answer whether or not an account matched.
    return forgot_page(visit, 200, identifier, "", true, return_to);
}

HttpResponse PasswordResetPages::invalid_link(Visit& visit) {
    auto data = kit_.base_data(visit, kit_.text(visit, "reset.title"), true);
    data["invalid"] = true;
    return kit_.page(visit, "reset_password", 410, std::move(data));
}

HttpResponse PasswordResetPages::reset_page(Visit& visit, int status, const ResetForm& form) {
    auto data = kit_.base_data(visit, kit_.text(visit, "reset.title"), true);
    std::vector<FieldView> views{
        {"password", kit_.text(visit, "reset.password"), "password", "", "new-password",
         password_hint(kit_, visit, policy_), form.password_errors, false, false},
        {"confirm", kit_.text(visit, "reset.confirm"), "password", "", "new-password", "",
         form.confirm_errors, false, false},
    };
    focus_first_problem(views);
    mstch::array fields;
    for (const auto& view : views) {
        fields.push_back(field(view));
    }
    data["fields"] = fields;
    data["token"] = form.token;
    data["current"] = kit_.link(visit, with_param("/reset-password", "token", form.token));
    if (!form.password_errors.empty() || !form.confirm_errors.empty()) {
        data["form_error"] = kit_.text(visit, "form.has_errors");
    }
    return kit_.page(visit, "reset_password", status, std::move(data));
}

HttpResponse PasswordResetPages::get_reset(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    ResetForm form;
    form.token = first_query_param(req, "token");
    if (!account::is_token_shape(form.token)) {
        return invalid_link(visit);
    }
    account::EmailTokenStore tokens(kit_.db(), kit_.random());
    auto pending = tokens.peek(form.token, EmailTokenPurpose::password_reset, kit_.now());
    if (!pending) {
        spdlog::error("reset look-up failed: {}", pending.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!*pending) {
        return invalid_link(visit);
    }
    return reset_page(visit, 200, form);
}

HttpResponse PasswordResetPages::post_reset(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    ResetForm form;
    form.token = submitted.get("token");
    const std::string password = submitted.get("password");
    if (!account::is_token_shape(form.token)) {
        return invalid_link(visit);
    }
    account::EmailTokenStore peek_tokens(kit_.db(), kit_.random());
    auto pending = peek_tokens.peek(form.token, EmailTokenPurpose::password_reset, kit_.now());
    if (!pending) {
        spdlog::error("reset look-up failed: {}", pending.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!*pending) {
        return invalid_link(visit);
    }
    account::UserStore users(kit_.db());
    auto user = users.find_by_id((*pending)->user_id);
    if (!user && user.error().kind != store::Error::Kind::not_found) {
        spdlog::error("reset look-up failed: {}", user.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!user || !user->is_active()) {
        return invalid_link(visit);
    }
    auto password_errors = check_new_password(kit_, visit, policy_, password,
                                              submitted.get("confirm"), user->username);
    form.password_errors = std::move(password_errors.password);
    form.confirm_errors = std::move(password_errors.confirm);
    if (!form.password_errors.empty() || !form.confirm_errors.empty()) {
        return reset_page(visit, 400, form);
    }
    auto hash = hasher_.hash(password);
    if (!hash) {
        spdlog::error("cannot hash a password: {}", hash.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto emails = users.emails(user->id);
    const auto notice_to = emails ? reset_address(*emails) : std::nullopt;
    std::vector<std::int64_t> ended;  // for the back-channel logout of each session
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        account::EmailTokenStore tokens(tx, kit_.random());
        auto redeemed = tokens.redeem(form.token, EmailTokenPurpose::password_reset, kit_.now());
        if (!redeemed) {
            return std::unexpected(redeemed.error());
        }
        account::UserStore tx_users(tx);
        if (auto set = tx_users.set_password_hash(user->id, *hash, kit_.now()); !set) {
            return set;
        }
        // Whoever knew the old password is signed out everywhere.
        auth::SessionStore sessions(tx, kit_.random());
        auto live = sessions.list_live(user->id, kit_.now());
        if (!live) {
            return std::unexpected(live.error());
        }
        ended.clear();
        for (const auto& session : *live) {
            ended.push_back(session.id);
        }
        if (auto revoked = sessions.revoke_all(user->id, 0, kit_.now()); !revoked) {
            return std::unexpected(revoked.error());
        }
        auto event = PageKit::audit_event(req, audit::EventType::password_reset_completed);
        event.user_id = user->id;
        event.detail = {{"sessions_ended", ended.size()}};
        if (auto logged = audit::record(tx, event, kit_.now()); !logged) {
            return logged;
        }
        const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
        auto sent = send_account_notice(
            tx, context, kit_.options().wechat_templates, notify::NoticeEvent::security,
            {user->id, user->username, notice_to.value_or("")}, "password_changed",
            {{"link", kit_.options().issuer + "/account"}}, kit_.now());
        if (!sent) {
            return std::unexpected(sent.error());
        }
        return {};
    });
    if (!done) {
        if (done.error().kind == store::Error::Kind::not_found) {
            return invalid_link(visit);  // redeemed by a second tab a moment ago
        }
        spdlog::error("password reset failed: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} reset their password", user->id);
    kit_.password_changed(user->id);
    for (auto session_id : ended) {
        kit_.session_ended(user->id, session_id);
    }
    visit.set_cookies.push_back(kit_.cookies().clear(session_cookie));
    return kit_.redirect(visit, kit_.link(visit, "/signin?reset=1"));
}

}  // namespace idpd::web
