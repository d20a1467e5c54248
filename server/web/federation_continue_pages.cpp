#include "web/federation_continue_pages.h"

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "federation/binding_store.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/mail.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

void FederationContinuePages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, "/federation/continue",
               [this](const HttpRequest& req) { return get_continue(req); });
    router.add(Method::post, "/federation/continue",
               [this](const HttpRequest& req) { return post_continue(req); });
}

std::string FederationContinuePages::label_of(const federation::UpstreamIdentity& id) const {
    const auto* connector = upstreams_.find(id.provider);
    return connector != nullptr ? connector->label() : id.provider;
}

std::optional<federation::PendingIdentity> FederationContinuePages::pending_of(
    const HttpRequest& req, std::string& token) {
    token = cookie_value(req, kit_.cookies().name(upstream_pending_cookie)).value_or("");
    federation::PendingIdentityStore store{kit_.db(), kit_.random(),
                                           upstreams_.options().pending_ttl};
    auto found = store.find(token, kit_.now());
    if (!found) {
        if (found.error().kind != store::Error::Kind::not_found) {
            spdlog::error("pending identity look-up failed: {}", found.error().message);
        }
        return std::nullopt;
    }
    return std::move(*found);
}

HttpResponse FederationContinuePages::continue_page(Visit& visit, int status,
                                                    const federation::PendingIdentity& pending,
                                                    const ContinueForm& form) {
    const auto& id = pending.identity;
    auto data = kit_.base_data(visit, kit_.text(visit, "federation.continue.title"), true);
    const std::string shown = id.display_name.empty() ? id.username : id.display_name;
    data["intro"] = kit_.text(visit, "federation.continue.intro",
                              {{"provider", label_of(id)}, {"name", shown}});
    data["return_to"] = pending.return_to;
    if (visit.user) {
        data["link_text"] =
            kit_.text(visit, "federation.continue.link_to",
                      {{"provider", label_of(id)}, {"account", visit.user->username}});
        return kit_.page(visit, "federation_continue", status, std::move(data));
    }
    std::vector<FieldView> views{
        {"username", kit_.text(visit, "signup.username"), "text", form.username, "username",
         kit_.text(visit, "signup.username_hint"), form.username_errors, false, true},
        {"email", kit_.text(visit, "signup.email"), "email", form.email, "email",
         kit_.text(visit, "federation.continue.email_hint", {{"provider", label_of(id)}}),
         form.email_errors, false, true},
    };
    focus_first_problem(views);
    mstch::array fields;
    for (const auto& view : views) {
        fields.push_back(field(view));
    }
    data["create"] = true;
    data["fields"] = fields;
    data["accept_terms"] = form.accept_terms;
    data["terms_invalid"] = !form.terms_errors.empty();
    data["terms_errors"] = to_array(form.terms_errors);
    data["signin_href"] = "/signin?return_to=%2Ffederation%2Fcontinue";
    if (!form.username_errors.empty() || !form.email_errors.empty() || !form.terms_errors.empty()) {
        data["form_error"] = kit_.text(visit, "form.has_errors");
    }
    return kit_.page(visit, "federation_continue", status, std::move(data));
}

HttpResponse FederationContinuePages::get_continue(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    std::string token;
    auto pending = pending_of(req, token);
    if (!pending) {
        return kit_.error_page(visit, 400, "federation.error.heading", "federation.error.pending");
    }
    ContinueForm form;
    // Prefilled from upstream; the user may change both, and the rules are checked on submit.
    if (!check_input(pending->identity.username, max_username_bytes, false)) {
        form.username = pending->identity.username;
    }
    if (!pending->identity.emails.empty() &&
        !check_input(pending->identity.emails.front().address, max_email_bytes, false)) {
        form.email = pending->identity.emails.front().address;
    }
    return continue_page(visit, 200, *pending, form);
}

HttpResponse FederationContinuePages::post_continue(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    std::string token;
    auto pending = pending_of(req, token);
    if (!pending) {
        return kit_.error_page(visit, 400, "federation.error.heading", "federation.error.pending");
    }
    if (submitted.get("action") == "link") {
        if (!visit.user) {
            return kit_.redirect(visit, "/signin?return_to=%2Ffederation%2Fcontinue");
        }
        return link(visit, token, *pending);
    }
    if (visit.user) {
        return continue_page(visit, 400, *pending, {});
    }
    ContinueForm form;
    form.username = submitted.get("username");
    form.email = submitted.get("email");
    form.accept_terms = submitted.get("accept_terms") == "1";
    return create(req, visit, token, *pending, form);
}

HttpResponse FederationContinuePages::link(Visit& visit, const std::string& token,
                                           const federation::PendingIdentity& pending) {
    auto outcome = federation::BindOutcome::bound;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto used = federation::PendingIdentityStore::consume(tx, token, kit_.now());
        if (!used) {
            return used;
        }
        auto bound = federation::BindingStore{tx, federation_.bonus_grant()}.bind(
            visit.user->id, pending.identity, kit_.now());
        if (!bound) {
            return std::unexpected(bound.error());
        }
        outcome = *bound;
        return {};
    });
    if (!done) {
        if (done.error().kind == store::Error::Kind::not_found) {
            return kit_.error_page(visit, 400, "federation.error.heading",
                                   "federation.error.pending");
        }
        spdlog::error("link failed: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    visit.set_cookies.push_back(kit_.cookies().clear(upstream_pending_cookie));
    if (outcome != federation::BindOutcome::bound) {
        return kit_.error_page(visit, 409, "federation.error.heading",
                               outcome == federation::BindOutcome::identity_taken
                                   ? "federation.error.identity_taken"
                                   : "federation.error.provider_taken");
    }
    spdlog::info("user {} linked a {} identity", visit.user->id, pending.identity.provider);
    return kit_.redirect(visit, pending.return_to.empty()
                                    ? "/account/bindings?bound=" + pending.identity.provider
                                    : pending.return_to);
}

}  // namespace idpd::web

namespace idpd::web {
namespace {

// The upstream vouches for this address: it lists it and marks it verified.
bool upstream_verified(const federation::UpstreamIdentity& id, const account::EmailAddress& email) {
    for (const auto& e : id.emails) {
        auto parsed = account::parse_email_address(e.address);
        if (e.verified && parsed && parsed->canonical == email.canonical) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<account::Username> FederationContinuePages::read_username(Visit& visit,
                                                                        ContinueForm& form) {
    std::optional<account::Username> username;
    if (auto problem = check_input(form.username, max_username_bytes, false)) {
        form.username_errors.push_back(
            kit_.text(visit, "errors.input." + std::string(problem_name(*problem))));
        form.username.clear();
    } else if (auto checked = account::check_username(form.username); !checked) {
        for (auto p : checked.error()) {
            form.username_errors.push_back(
                kit_.text(visit, "errors.username." + std::string(account::problem_name(p))));
        }
    } else {
        username = *checked;
    }
    return username;
}

std::optional<account::EmailAddress> FederationContinuePages::read_email(Visit& visit,
                                                                         ContinueForm& form) {
    std::optional<account::EmailAddress> email;
    if (auto problem = check_input(form.email, max_email_bytes, false)) {
        form.email_errors.push_back(
            kit_.text(visit, "errors.input." + std::string(problem_name(*problem))));
        form.email.clear();
    } else if (email = account::parse_email_address(form.email); !email) {
        form.email_errors.push_back(kit_.text(
            visit, form.email.empty() ? "errors.email.required" : "errors.email.invalid"));
    }
    return email;
}

HttpResponse FederationContinuePages::create(const HttpRequest& req, Visit& visit,
                                             const std::string& token,
                                             const federation::PendingIdentity& pending,
                                             ContinueForm& form) {
    const auto username = read_username(visit, form);
    const auto email = read_email(visit, form);
    if (!form.accept_terms) {
        form.terms_errors.push_back(kit_.text(visit, "errors.terms.required"));
    }
    if (!username || !email || !form.terms_errors.empty()) {
        return continue_page(visit, 400, pending, form);
    }
    const auto& id = pending.identity;
    const bool verified = upstream_verified(id, *email);
    const MailContext mail{kit_.renderer(), visit.locale, kit_.options().issuer};
    std::optional<account::User> created;
    auto bind_outcome = federation::BindOutcome::bound;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        if (auto used = federation::PendingIdentityStore::consume(tx, token, kit_.now()); !used) {
            return used;
        }
        account::UserStore users{tx};
        const std::string display = id.display_name.empty() ? username->text : id.display_name;
        auto user = users.create({*username, display.substr(0, 190), std::nullopt}, kit_.now());
        if (!user) {
            return std::unexpected(user.error());
        }
        created = *user;
        auto added = users.add_email(user->id, *email, kit_.now());
        if (!added) {
            return std::unexpected(added.error());
        }
        auto bound =
            federation::BindingStore{tx, federation_.bonus_grant()}.bind(user->id, id, kit_.now());
        if (!bound || *bound != federation::BindOutcome::bound) {
            bind_outcome = bound ? *bound : bind_outcome;
            // Rolls the account back: it would have no way to sign in.
            return bound ? store::fail(store::Error::Kind::invalid, "identity taken")
                         : std::unexpected(bound.error());
        }
        auto event = PageKit::audit_event(req, audit::EventType::sign_up);
        event.user_id = user->id;
        event.detail = {{"username", username->text}, {"provider", id.provider}};
        if (auto logged = audit::record(tx, event, kit_.now()); !logged) {
            return std::unexpected(logged.error());
        }
        if (verified) {
            return users.mark_email_verified(user->id, *email, kit_.now());
        }
        return enqueue_link_mail(tx, kit_.random(), mail, account::EmailTokenPurpose::verify_email,
                                 {user->id, user->username, added->email},
                                 kit_.options().verify_email_ttl, kit_.now());
    });
    if (!done) {
        if (bind_outcome != federation::BindOutcome::bound) {
            return kit_.error_page(visit, 409, "federation.error.heading",
                                   "federation.error.identity_taken");
        }
        if (done.error().kind == store::Error::Kind::not_found) {
            return kit_.error_page(visit, 400, "federation.error.heading",
                                   "federation.error.pending");
        }
        if (done.error().kind == store::Error::Kind::conflict) {
            form.username_errors.push_back(kit_.text(visit, "errors.username.taken"));
            return continue_page(visit, 409, pending, form);
        }
        spdlog::error("upstream sign-up failed: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} signed up with {}", created->id, id.provider);
    visit.set_cookies.push_back(kit_.cookies().clear(upstream_pending_cookie));
    return federation_.open_upstream_session(req, visit, *created, id.provider, pending.return_to);
}

}  // namespace idpd::web
