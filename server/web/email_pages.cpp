#include "web/email_pages.h"

#include <spdlog/spdlog.h>

#include "account/email_address.h"
#include "account/email_token_store.h"
#include "account/user_store.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/mail.h"

namespace idpd::web {
namespace {

using account::EmailTokenPurpose;
using http::HttpRequest;
using http::HttpResponse;

}  // namespace

void EmailPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (EmailPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/verify-email", bind(&EmailPages::get_verify));
    router.add(Method::post, "/verify-email", bind(&EmailPages::post_verify));
    router.add(Method::post, "/account/emails/resend", bind(&EmailPages::post_resend));
}

HttpResponse EmailPages::result_page(Visit& visit, int status, bool ok,
                                     const std::string& message) {
    auto data = kit_.base_data(visit, kit_.text(visit, "verify.title"), true);
    data["ok"] = ok;
    data["message"] = message;
    data["signed_in"] = visit.user.has_value();
    return kit_.page(visit, "verify_email", status, std::move(data));
}

HttpResponse EmailPages::get_verify(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const std::string token = first_query_param(req, "token");
    std::optional<account::RedeemedEmailToken> pending;
    if (account::is_token_shape(token)) {
        account::EmailTokenStore tokens(kit_.db(), kit_.random());
        auto found = tokens.peek(token, EmailTokenPurpose::verify_email, kit_.now());
        if (!found) {
            spdlog::error("verification look-up failed: {}", found.error().message);
            return kit_.error_page(visit, 503, "error.title", "error.unavailable");
        }
        pending = *found;
    }
    if (!pending) {
        return result_page(visit, 410, false, kit_.text(visit, "verify.invalid"));
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "verify.title"), true);
    data["confirm"] = true;
    data["token"] = token;
    data["message"] = kit_.text(visit, "verify.confirm_text", {{"email", pending->email}});
    data["signed_in"] = visit.user.has_value();
    return kit_.page(visit, "verify_email", 200, std::move(data));
}

HttpResponse EmailPages::post_verify(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string token = submitted.get("token");
    if (!account::is_token_shape(token)) {
        return result_page(visit, 410, false, kit_.text(visit, "verify.invalid"));
    }
    std::string email;
    std::int64_t user_id = 0;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        account::EmailTokenStore tokens(tx, kit_.random());
        auto redeemed = tokens.redeem(token, EmailTokenPurpose::verify_email, kit_.now());
        if (!redeemed) {
            return std::unexpected(redeemed.error());
        }
        email = redeemed->email;
        user_id = redeemed->user_id;
        auto address = account::parse_email_address(redeemed->email);
        if (!address) {
            return store::fail(store::Error::Kind::not_found, "address no longer valid");
        }
        account::UserStore users(tx);
        if (auto marked = users.mark_email_verified(redeemed->user_id, *address, kit_.now());
            !marked) {
            return marked;
        }
        auto event = PageKit::audit_event(req, audit::EventType::email_verified);
        event.user_id = redeemed->user_id;
        event.identifier = address->canonical;
        return audit::record(tx, event, kit_.now());
    });
    if (!done) {
        if (done.error().kind == store::Error::Kind::not_found) {
            // Used, expired, or the address was removed from the account meanwhile.
            return result_page(visit, 410, false, kit_.text(visit, "verify.invalid"));
        }
        spdlog::error("verification failed: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} verified an email address", user_id);
    return result_page(visit, 200, true, kit_.text(visit, "verify.done", {{"email", email}}));
}

HttpResponse EmailPages::post_resend(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string wanted = submitted.get("email");
    account::UserStore users(kit_.db());
    auto emails = users.emails(visit.user->id);
    if (!emails) {
        spdlog::error("resend: {}", emails.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const account::UserEmail* target = nullptr;
    for (const auto& e : *emails) {
        if (e.email == wanted && !e.is_verified()) {
            target = &e;
        }
    }
    if (!target) {
        return kit_.redirect(visit, "/account/emails");
    }
    account::EmailTokenStore tokens(kit_.db(), kit_.random());
    auto last = tokens.last_issued(EmailTokenPurpose::verify_email, visit.user->id, target->email);
    if (!last) {
        spdlog::error("resend: {}", last.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (*last && kit_.now() - **last < kit_.options().email_resend_cooldown) {
        return kit_.redirect(visit, "/account/emails?notice=resend_wait");
    }
    const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
    const MailTo to{visit.user->id, visit.user->username, target->email};
    auto sent = kit_.db().transaction([&](store::Database& tx) {
        return enqueue_link_mail(tx, kit_.random(), context, EmailTokenPurpose::verify_email, to,
                                 kit_.options().verify_email_ttl, kit_.now());
    });
    if (!sent) {
        spdlog::error("resend: {}", sent.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.redirect(visit, "/account/emails?notice=resent");
}

}  // namespace idpd::web
