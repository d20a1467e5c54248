#include "web/deletion_pages.h"

#include <spdlog/spdlog.h>

#include "account/deletion_store.h"
#include "account/user_store.h"
#include "account/username_rules.h"
#include "web/account_layout.h"
#include "web/deletion_mail.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view page_path = "/account/delete";

// Whether `typed` names the account: the same canonical form (case and normalisation aside).
bool names_account(const std::string& typed, const account::User& user) {
    const std::string canonical = account::canonical_username(typed);
    return !canonical.empty() && canonical == account::canonical_username(user.username);
}

// The organizations the user owns; an owner must transfer them before deleting.
store::Result<std::vector<org::Membership>> owned_orgs(const org::MembershipLookup& lookup,
                                                       std::int64_t user_id) {
    std::vector<org::Membership> owned;
    if (!lookup) {
        return owned;
    }
    auto all = lookup(user_id);
    if (!all) {
        return std::unexpected(all.error());
    }
    for (auto& m : *all) {
        if (m.role == org::Role::owner) {
            owned.push_back(std::move(m));
        }
    }
    return owned;
}

// The page's notice after a POST (?notice=…), from the deletion.notices section.
std::string notice(const PageKit& kit, const Visit& visit, const HttpRequest& req) {
    const std::string value = first_query_param(req, "notice");
    if (value == "scheduled" || value == "cancelled" || value == "not_scheduled") {
        return kit.text(visit, "deletion.notices." + value);
    }
    return {};
}

}  // namespace

void DeletionPages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, std::string(page_path),
               [this](const HttpRequest& req) { return get_delete(req); });
    router.add(Method::post, std::string(page_path),
               [this](const HttpRequest& req) { return post_delete(req); });
    router.add(Method::post, "/account/delete/cancel",
               [this](const HttpRequest& req) { return post_cancel(req); });
    router.add(Method::get, "/account/delete/scheduled",
               [this](const HttpRequest& req) { return get_scheduled(req); });
}

HttpResponse DeletionPages::get_delete(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fdelete");
    }
    // The scheduled state only offers Cancel, which needs no step-up.
    if (!visit.user->deletion_scheduled_at) {
        if (auto gate = guard_.require(visit, std::string(page_path))) {
            return std::move(*gate);
        }
    }
    return form_page(req, visit, 200, {});
}

HttpResponse DeletionPages::form_page(const HttpRequest& req, Visit& visit, int status,
                                      const std::string& error) {
    auto data = account_page_data(kit_, visit, AccountTab::delete_account,
                                  kit_.text(visit, "deletion.heading"));
    data["notice"] = notice(kit_, visit, req);
    if (visit.user->deletion_scheduled_at) {
        data["scheduled"] = true;
        data["scheduled_text"] =
            kit_.text(visit, "deletion.scheduled_text",
                      {{"date", format_time(*visit.user->deletion_scheduled_at)}});
        return kit_.page(visit, "account_delete", status, std::move(data));
    }
    const auto days = kit_.options().account.deletion_grace.count();
    data["grace_text"] = kit_.text(visit, "deletion.grace", {{"days", std::to_string(days)}});
    auto owned = owned_orgs(memberships_, visit.user->id);
    if (!owned) {
        spdlog::error("delete tab: {}", owned.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    mstch::array orgs;
    for (const auto& m : *owned) {
        orgs.push_back(mstch::map{{"href", "/account/orgs/" + std::to_string(m.org_id)},
                                  {"name", m.name},
                                  {"display_name", m.display_name}});
    }
    data["has_owned_orgs"] = !owned->empty();
    data["owned_orgs"] = orgs;
    std::vector<std::string> errors;
    if (!error.empty()) {
        errors.push_back(error);
        data["form_error"] = error;
    }
    FieldView confirm{
        "username",
        kit_.text(visit, "deletion.confirm_label", {{"username", visit.user->username}}),
        "text",
        "",
        "off",
        "",
        errors,
        false,
        true};
    data["fields"] = mstch::array{field(confirm)};
    return kit_.page(visit, "account_delete", status, std::move(data));
}

HttpResponse DeletionPages::post_delete(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fdelete");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto gate = guard_.require(visit, std::string(page_path))) {
        return std::move(*gate);
    }
    if (visit.user->deletion_scheduled_at) {
        return kit_.redirect(visit, std::string(page_path));
    }
    const std::string typed = submitted.get("username");
    if (typed.size() > max_username_bytes || !names_account(typed, *visit.user)) {
        return form_page(req, visit, 400, kit_.text(visit, "deletion.username_mismatch"));
    }
    auto owned = owned_orgs(memberships_, visit.user->id);
    if (!owned) {
        spdlog::error("delete account: {}", owned.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!owned->empty()) {
        return form_page(req, visit, 409, {});
    }
    return schedule(req, visit);
}

HttpResponse DeletionPages::schedule(const HttpRequest& req, Visit& visit) {
    const account::User& user = *visit.user;
    const auto now = kit_.now();
    const auto at = now + std::chrono::duration_cast<std::chrono::seconds>(
                              kit_.options().account.deletion_grace);
    std::vector<std::int64_t> ended;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        if (auto set = account::DeletionStore(tx).schedule(user.id, at, now); !set) {
            return set;
        }
        // Whoever else is signed in (perhaps the reason for deleting) is signed out now.
        auth::SessionStore sessions(tx, kit_.random());
        auto live = sessions.list_live(user.id, now);
        if (!live) {
            return std::unexpected(live.error());
        }
        ended.clear();
        for (const auto& session : *live) {
            if (session.id != visit.session->id) {
                ended.push_back(session.id);
            }
        }
        if (auto revoked = sessions.revoke_all(user.id, visit.session->id, now); !revoked) {
            return std::unexpected(revoked.error());
        }
        auto event = PageKit::audit_event(req, audit::EventType::account_deletion_scheduled);
        event.user_id = user.id;
        event.detail = {{"at", at.time_since_epoch().count()}, {"sessions_ended", ended.size()}};
        if (auto logged = audit::record(tx, event, now); !logged) {
            return logged;
        }
        auto emails = account::UserStore(tx).emails(user.id);
        if (!emails) {
            return std::unexpected(emails.error());
        }
        const auto to = notice_address(*emails);
        if (!to) {
            return {};
        }
        const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
        return enqueue_deletion_mail(tx, context, DeletionMail::scheduled,
                                     {user.id, user.username, *to}, format_time(at), now);
    });
    if (!done) {
        spdlog::error("cannot schedule the deletion of user {}: {}", user.id, done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} scheduled the deletion of their account", user.id);
    for (auto session_id : ended) {
        kit_.session_ended(user.id, session_id);
    }
    return kit_.redirect(visit, "/account/delete?notice=scheduled");
}

HttpResponse DeletionPages::post_cancel(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fdelete");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const account::User& user = *visit.user;
    bool cancelled = false;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto changed = account::DeletionStore(tx).cancel(user.id, kit_.now());
        if (!changed) {
            return std::unexpected(changed.error());
        }
        cancelled = *changed;
        if (!cancelled) {
            return {};
        }
        auto event = PageKit::audit_event(req, audit::EventType::account_deletion_cancelled);
        event.user_id = user.id;
        event.detail = {{"by", "user"}};
        if (auto logged = audit::record(tx, event, kit_.now()); !logged) {
            return logged;
        }
        auto emails = account::UserStore(tx).emails(user.id);
        if (!emails) {
            return std::unexpected(emails.error());
        }
        const auto to = notice_address(*emails);
        if (!to) {
            return {};
        }
        const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
        return enqueue_deletion_mail(tx, context, DeletionMail::cancelled,
                                     {user.id, user.username, *to}, "", kit_.now());
    });
    if (!done) {
        spdlog::error("cannot cancel the deletion of user {}: {}", user.id, done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const std::string notice_value = cancelled ? "cancelled" : "not_scheduled";
    const std::string target = checked_return_to(submitted.get("return_to"));
    // From the sign-in page the flow goes on (an authorization, say); from the tabs, the Delete
    // tab says what happened.
    if (target.empty() || target.starts_with("/account")) {
        return kit_.redirect(visit, "/account/delete?notice=" + notice_value);
    }
    return kit_.redirect(visit, target);
}

HttpResponse DeletionPages::get_scheduled(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin");
    }
    std::string target = checked_return_to(first_query_param(req, "return_to"));
    if (target.empty()) {
        target = "/account";
    }
    if (!visit.user->deletion_scheduled_at) {
        return kit_.redirect(visit, target);
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "deletion.scheduled_heading"), false);
    data["scheduled_text"] = kit_.text(visit, "deletion.scheduled_text",
                                       {{"date", format_time(*visit.user->deletion_scheduled_at)}});
    data["return_to"] = target;
    return kit_.page(visit, "account_delete_scheduled", 200, std::move(data));
}

std::string after_sign_in(PageKit& kit, std::int64_t user_id, const std::string& target) {
    auto user = account::UserStore(kit.db()).find_by_id(user_id);
    if (!user) {
        spdlog::warn("after sign-in: {}", user.error().message);
        return target;
    }
    if (!user->deletion_scheduled_at) {
        return target;
    }
    return "/account/delete/scheduled?return_to=" + http::url_encode(target);
}

}  // namespace idpd::web
