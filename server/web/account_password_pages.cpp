#include "web/account_password_pages.h"

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "web/account_layout.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/mail.h"
#include "web/notices.h"
#include "web/password_rules.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view page_path = "/account/password";

}  // namespace

void AccountPasswordPages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, std::string(page_path),
               [this](const HttpRequest& req) { return get_password(req); });
    router.add(Method::post, std::string(page_path),
               [this](const HttpRequest& req) { return post_password(req); });
}

std::optional<HttpResponse> AccountPasswordPages::gate(Visit& visit) {
    auto enrolled = two_step_.is_enrolled(visit.user->id);
    if (!enrolled) {
        spdlog::error("password tab: {}", enrolled.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    // With a password and no TOTP, the old password is the proof; asking it twice adds nothing.
    if (!*enrolled && visit.user->has_password()) {
        return std::nullopt;
    }
    return guard_.require(visit, std::string(page_path));
}

HttpResponse AccountPasswordPages::get_password(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fpassword");
    }
    if (auto gated = gate(visit)) {
        return std::move(*gated);
    }
    return form_page(req, visit, 200, {});
}

HttpResponse AccountPasswordPages::form_page(const HttpRequest& req, Visit& visit, int status,
                                             const Problems& problems) {
    auto data = account_page_data(kit_, visit, AccountTab::password,
                                  kit_.text(visit, "center.password.heading"));
    const bool has_password = visit.user->has_password();
    std::vector<FieldView> views;
    if (has_password) {
        views.push_back({"old_password", kit_.text(visit, "center.password.old"), "password", "",
                         "current-password", "", problems.old_password, false, false});
    }
    views.push_back({"password", kit_.text(visit, "center.password.new"), "password", "",
                     "new-password", password_hint(kit_, visit, policy_), problems.password, false,
                     false});
    views.push_back({"confirm", kit_.text(visit, "center.password.confirm"), "password", "",
                     "new-password", "", problems.confirm, false, false});
    mstch::array fields;
    for (const auto& view : views) {
        fields.push_back(field(view));
    }
    data["fields"] = fields;
    data["has_password"] = has_password;
    if (!problems.old_password.empty() || !problems.password.empty() || !problems.confirm.empty()) {
        data["form_error"] = kit_.text(visit, "form.has_errors");
    }
    data["notice"] = notice_text(kit_, visit, req, {"changed", "set"});
    return kit_.page(visit, "account_password", status, std::move(data));
}

std::expected<bool, HttpResponse> AccountPasswordPages::old_password_ok(Visit& visit,
                                                                        const std::string& typed,
                                                                        Problems& problems) {
    const std::vector<auth::ThrottleSubject> subjects{auth::ThrottleSubject::user(visit.user->id)};
    auto wait = throttle_.wait(subjects, kit_.precise_now());
    if (!wait) {
        spdlog::error("password tab throttle: {}", wait.error().message);
        return std::unexpected(kit_.error_page(visit, 503, "error.title", "error.unavailable"));
    }
    if (wait->count() > 0) {
        const auto minutes = std::chrono::ceil<std::chrono::minutes>(*wait).count();
        problems.old_password.push_back(kit_.text(visit, "totp.errors.password_throttled",
                                                  {{"minutes", std::to_string(minutes)}}));
        return false;
    }
    if (!typed.empty() && typed.size() <= max_password_bytes &&
        hasher_.verify(typed, *visit.user->password_hash)) {
        return true;
    }
    if (throttle_.options().enabled) {
        if (auto counted = throttle_.record_failure(subjects.front(), kit_.precise_now());
            !counted) {
            spdlog::error("cannot count a wrong password: {}", counted.error().message);
        }
    }
    problems.old_password.push_back(kit_.text(visit, "center.password.wrong_old"));
    return false;
}

HttpResponse AccountPasswordPages::post_password(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fpassword");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto gated = gate(visit)) {
        return std::move(*gated);
    }
    Problems problems;
    const std::string password = submitted.get("password");
    auto errors = check_new_password(kit_, visit, policy_, password, submitted.get("confirm"),
                                     visit.user->username);
    problems.password = std::move(errors.password);
    problems.confirm = std::move(errors.confirm);
    if (visit.user->has_password()) {
        auto ok = old_password_ok(visit, submitted.get("old_password"), problems);
        if (!ok) {
            return std::move(ok.error());
        }
        if (*ok && password == submitted.get("old_password")) {
            problems.password.push_back(kit_.text(visit, "center.password.same_as_old"));
        }
    }
    if (!problems.old_password.empty() || !problems.password.empty() || !problems.confirm.empty()) {
        return form_page(req, visit, problems.old_password.empty() ? 400 : 401, problems);
    }
    auto hash = hasher_.hash(password);
    if (!hash) {
        spdlog::error("cannot hash a password: {}", hash.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return store_password(req, visit, *hash);
}

HttpResponse AccountPasswordPages::store_password(const HttpRequest& req, Visit& visit,
                                                  const std::string& hash) {
    const account::User& user = *visit.user;
    const bool first = !user.has_password();
    account::UserStore users{kit_.db()};
    auto emails = users.emails(user.id);
    const auto notice_to = emails ? notice_address(*emails) : std::nullopt;
    std::vector<std::int64_t> ended;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        account::UserStore tx_users(tx);
        if (auto set = tx_users.set_password_hash(user.id, hash, kit_.now()); !set) {
            return set;
        }
        // Whoever knew the old password is signed out everywhere but here.
        auth::SessionStore sessions(tx, kit_.random());
        auto live = sessions.list_live(user.id, kit_.now());
        if (!live) {
            return std::unexpected(live.error());
        }
        ended.clear();
        for (const auto& session : *live) {
            if (session.id != visit.session->id) {
                ended.push_back(session.id);
            }
        }
        if (auto revoked = sessions.revoke_all(user.id, visit.session->id, kit_.now()); !revoked) {
            return std::unexpected(revoked.error());
        }
        auto event = PageKit::audit_event(
            req, first ? audit::EventType::password_set : audit::EventType::password_changed);
        event.user_id = user.id;
        event.detail = {{"sessions_ended", ended.size()}};
        if (auto logged = audit::record(tx, event, kit_.now()); !logged) {
            return logged;
        }
        const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
        auto sent = send_account_notice(
            tx, context, kit_.options().wechat_templates, notify::NoticeEvent::security,
            {user.id, user.username, notice_to.value_or("")}, "password_changed",
            {{"link", kit_.options().issuer + "/account"}}, kit_.now());
        if (!sent) {
            return std::unexpected(sent.error());
        }
        return {};
    });
    if (!done) {
        spdlog::error("password change failed: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} {} their password", user.id, first ? "set" : "changed");
    kit_.password_changed(user.id);
    for (auto session_id : ended) {
        kit_.session_ended(user.id, session_id);
    }
    return kit_.redirect(
        visit, first ? "/account/password?notice=set" : "/account/password?notice=changed");
}

}  // namespace idpd::web
