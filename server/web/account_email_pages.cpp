#include "web/account_email_pages.h"

#include <spdlog/spdlog.h>

#include "account/email_address.h"
#include "account/profile_store.h"
#include "account/user_store.h"
#include "web/account_layout.h"
#include "web/account_mail.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/mail.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

// Enough for every real need (work, home, a few aliases); bounds what one account can mail.
constexpr std::size_t max_emails = 10;

constexpr std::string_view page_path = "/account/emails";

}  // namespace

void AccountEmailPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (AccountEmailPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/account/emails", bind(&AccountEmailPages::get_emails));
    router.add(Method::post, "/account/emails/add", bind(&AccountEmailPages::post_add));
    router.add(Method::post, "/account/emails/remove", bind(&AccountEmailPages::post_remove));
    router.add(Method::post, "/account/emails/primary", bind(&AccountEmailPages::post_primary));
}

std::optional<HttpResponse> AccountEmailPages::refuse(const HttpRequest& req, Visit& visit,
                                                      const std::string& csrf) {
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Femails");
    }
    if (!kit_.csrf_ok(req, visit, csrf)) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    return guard_.require(visit, std::string(page_path));
}

HttpResponse AccountEmailPages::get_emails(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Femails");
    }
    return emails_page(req, visit, 200, {}, {});
}

HttpResponse AccountEmailPages::emails_page(const HttpRequest& req, Visit& visit, int status,
                                            const std::string& typed,
                                            const std::vector<std::string>& errors) {
    account::UserStore users{kit_.db()};
    auto emails = users.emails(visit.user->id);
    if (!emails) {
        spdlog::error("emails tab: {}", emails.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = account_page_data(kit_, visit, AccountTab::emails,
                                  kit_.text(visit, "center.emails.heading"));
    mstch::array rows;
    for (const auto& e : *emails) {
        rows.push_back(mstch::map{{"address", e.email},
                                  {"verified", e.is_verified()},
                                  {"primary", e.is_primary},
                                  {"can_make_primary", e.is_verified() && !e.is_primary}});
    }
    data["has_emails"] = !rows.empty();
    data["emails"] = rows;
    data["typed"] = typed;
    data["add_errors"] = to_array(errors);
    data["add_invalid"] = !errors.empty();
    data["ttl_hint"] =
        kit_.text(visit, "center.emails.add_hint",
                  {{"minutes", std::to_string(std::chrono::duration_cast<std::chrono::minutes>(
                                                  kit_.options().verify_email_ttl)
                                                  .count())}});
    if (!errors.empty()) {
        data["form_error"] = kit_.text(visit, "form.has_errors");
    }
    data["notice"] = notice_text(
        kit_, visit, req,
        {"sent", "resent", "resend_wait", "removed", "primary", "last_recovery", "unverified"});
    return kit_.page(visit, "account_emails", status, std::move(data));
}

HttpResponse AccountEmailPages::post_add(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (auto refused = refuse(req, visit, submitted.get("csrf"))) {
        return std::move(*refused);
    }
    const std::string typed = submitted.get("email");
    if (auto problem = check_input(typed, max_email_bytes, false)) {
        return emails_page(
            req, visit, 400, {},
            {kit_.text(visit, "errors.input." + std::string(problem_name(*problem)))});
    }
    auto address = account::parse_email_address(typed);
    if (!address) {
        return emails_page(req, visit, 400, typed, {kit_.text(visit, "errors.email.invalid")});
    }
    account::UserStore users{kit_.db()};
    auto emails = users.emails(visit.user->id);
    account::ProfileStore profiles{kit_.db()};
    auto elsewhere = profiles.is_verified_elsewhere(visit.user->id, *address);
    if (!emails || !elsewhere) {
        spdlog::error("add email: {}",
                      !emails ? emails.error().message : elsewhere.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    for (const auto& e : *emails) {
        if (e.canonical == address->canonical) {
            return emails_page(req, visit, 409, typed,
                               {kit_.text(visit, "center.emails.already_yours")});
        }
    }
    if (emails->size() >= max_emails) {
        return emails_page(
            req, visit, 409, typed,
            {kit_.text(visit, "center.emails.too_many", {{"max", std::to_string(max_emails)}})});
    }
    const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
    const std::int64_t user_id = visit.user->id;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto event = PageKit::audit_event(req, audit::EventType::email_added);
        event.user_id = user_id;
        event.identifier = address->canonical;
        event.detail = {{"held_elsewhere", *elsewhere}};
        if (auto logged = audit::record(tx, event, kit_.now()); !logged) {
            return logged;
        }
        if (*elsewhere) {
            return enqueue_address_in_use_mail(tx, context, address->text, kit_.now());
        }
        account::UserStore tx_users{tx};
        auto added = tx_users.add_email(user_id, *address, kit_.now());
        if (!added) {
            return std::unexpected(added.error());
        }
        return enqueue_link_mail(tx, kit_.random(), context,
                                 account::EmailTokenPurpose::verify_email,
                                 {user_id, visit.user->username, added->email},
                                 kit_.options().verify_email_ttl, kit_.now());
    });
    if (!done) {
        if (done.error().kind == store::Error::Kind::conflict) {
            return emails_page(req, visit, 409, typed,
                               {kit_.text(visit, "center.emails.already_yours")});
        }
        spdlog::error("add email: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} added an email address", user_id);
    return kit_.redirect(visit, "/account/emails?notice=sent");
}

HttpResponse AccountEmailPages::post_remove(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (auto refused = refuse(req, visit, submitted.get("csrf"))) {
        return std::move(*refused);
    }
    auto address = account::parse_email_address(submitted.get("email"));
    if (!address) {
        return kit_.redirect(visit, std::string(page_path));
    }
    auto phone =
        has_verified_phone_ ? has_verified_phone_(visit.user->id) : store::Result<bool>(false);
    if (!phone) {
        spdlog::error("remove email: {}", phone.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    account::ProfileStore profiles{kit_.db()};
    auto removed = profiles.remove_email(visit.user->id, *address, *phone);
    if (!removed) {
        spdlog::error("remove email: {}", removed.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    switch (*removed) {
        case account::EmailRemoval::not_found:
            return kit_.redirect(visit, std::string(page_path));
        case account::EmailRemoval::last_recovery:
            return kit_.redirect(visit, "/account/emails?notice=last_recovery");
        case account::EmailRemoval::removed:
            break;
    }
    auto event = PageKit::audit_event(req, audit::EventType::email_removed);
    event.user_id = visit.user->id;
    event.identifier = address->canonical;
    kit_.record(event);
    return kit_.redirect(visit, "/account/emails?notice=removed");
}

HttpResponse AccountEmailPages::post_primary(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (auto refused = refuse(req, visit, submitted.get("csrf"))) {
        return std::move(*refused);
    }
    auto address = account::parse_email_address(submitted.get("email"));
    if (!address) {
        return kit_.redirect(visit, std::string(page_path));
    }
    account::ProfileStore profiles{kit_.db()};
    auto changed = profiles.set_primary_email(visit.user->id, *address);
    if (!changed) {
        spdlog::error("primary email: {}", changed.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    switch (*changed) {
        case account::PrimaryChange::not_found:
            return kit_.redirect(visit, std::string(page_path));
        case account::PrimaryChange::unverified:
            return kit_.redirect(visit, "/account/emails?notice=unverified");
        case account::PrimaryChange::changed:
            break;
    }
    auto event = PageKit::audit_event(req, audit::EventType::email_primary_changed);
    event.user_id = visit.user->id;
    event.identifier = address->canonical;
    kit_.record(event);
    return kit_.redirect(visit, "/account/emails?notice=primary");
}

}  // namespace idpd::web
