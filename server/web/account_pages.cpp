#include "web/account_pages.h"

#include <spdlog/spdlog.h>

#include "account/avatar_store.h"
#include "account/display_name.h"
#include "account/profile_store.h"
#include "account/user_store.h"
#include "billing/account_store.h"
#include "billing/amount.h"
#include "federation/binding_store.h"
#include "web/account_layout.h"
#include "web/federation_pages.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

std::string signin_redirect(std::string_view path) {
    return "/signin?return_to=" + http::url_encode(path);
}

}  // namespace

void AccountPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (AccountPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/account", bind(&AccountPages::get_account));
    router.add(Method::post, "/account/username", bind(&AccountPages::post_username));
    router.add(Method::post, "/account/name", bind(&AccountPages::post_name));
    router.add(Method::get, "/account/bindings", bind(&AccountPages::get_bindings));
}

HttpResponse AccountPages::get_account(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, signin_redirect("/account"));
    }
    return overview(req, visit, 200, {}, {});
}

HttpResponse AccountPages::overview(const HttpRequest& req, Visit& visit, int status,
                                    const std::vector<std::string>& username_errors,
                                    const std::vector<std::string>& name_errors) {
    const account::User& user = *visit.user;
    auto data = account_page_data(kit_, visit, AccountTab::overview,
                                  kit_.text(visit, "center.overview.heading"));
    data["account"] = mstch::map{
        {"id", std::to_string(user.id)},
        {"username", user.username},
        {"display_name", user.display_name},
        {"registered", format_time(user.created_at) + " " + kit_.text(visit, "time.zone")},
        {"registered_iso", iso_time(user.created_at)},
    };
    account::ProfileStore profiles{kit_.db()};
    auto last = profiles.last_rename(user.id);
    if (!last || !add_billing(visit, data)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (*last && kit_.now() < **last + options_.username_change_cooldown) {
        const auto next = **last + options_.username_change_cooldown;
        data["rename_wait"] =
            kit_.text(visit, "center.overview.rename_wait", {{"date", format_time(next)}});
    }
    data["rename_hint"] =
        kit_.text(visit, "center.overview.rename_hint",
                  {{"days", std::to_string(std::chrono::duration_cast<std::chrono::days>(
                                               options_.username_change_cooldown)
                                               .count())}});
    data["username_errors"] = to_array(username_errors);
    data["username_invalid"] = !username_errors.empty();
    data["name_errors"] = to_array(name_errors);
    data["name_invalid"] = !name_errors.empty();
    if (!username_errors.empty() || !name_errors.empty()) {
        data["form_error"] = kit_.text(visit, "form.has_errors");
    }
    data["notice"] =
        notice_text(kit_, visit, req, {"renamed", "name_saved", "avatar_saved", "avatar_removed"});
    if (!add_avatar(req, visit, data)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.page(visit, "account", status, std::move(data));
}

bool AccountPages::add_avatar(const HttpRequest& req, Visit& visit, mstch::map& data) {
    account::AvatarStore avatars{kit_.db()};
    auto avatar = avatars.find(visit.user->id, false);
    if (!avatar) {
        spdlog::error("overview avatar: {}", avatar.error().message);
        return false;
    }
    if (*avatar && (*avatar)->is_upload()) {
        data["avatar_src"] = account::avatar_location(**avatar);
    } else if (*avatar && (*avatar)->url) {
        data["avatar_url"] = *(*avatar)->url;
    }
    data["has_avatar"] = avatar->has_value();
    const auto& options = kit_.options().account;
    data["avatar_hint"] =
        kit_.text(visit, "center.avatar.hint",
                  {{"kib", std::to_string(options.avatar_max_bytes / 1024)},
                   {"mpx", std::to_string(options.avatar_max_pixels / 1'000'000)}});
    const std::string problem = first_query_param(req, "avatar_error");
    for (std::string_view known :
         {"missing", "too_large", "not_an_image", "too_many_pixels", "corrupt", "bad_url"}) {
        if (problem == known) {
            data["avatar_error"] = kit_.text(visit, "center.avatar.errors." + problem);
            data["form_error"] = kit_.text(visit, "center.avatar.errors." + problem);
        }
    }
    return true;
}

bool AccountPages::add_billing(Visit& visit, mstch::map& data) {
    billing::AccountStore accounts{kit_.db()};
    auto account = accounts.find({billing::OwnerKind::user, visit.user->id});
    if (!account) {
        if (account.error().kind != billing::Error::Kind::not_found) {
            spdlog::error("overview billing: {}", account.error().message);
            return false;
        }
        data["has_billing"] = false;
        return true;
    }
    data["has_billing"] = true;
    data["billing"] = mstch::map{{"plan", account->plan},
                                 {"balance", billing::format_yuan(account->balance_fen)}};
    return true;
}

HttpResponse AccountPages::post_username(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, signin_redirect("/account"));
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string wanted = submitted.get("username");
    std::vector<std::string> errors;
    if (auto problem = check_input(wanted, max_username_bytes, false)) {
        errors.push_back(kit_.text(visit, "errors.input." + std::string(problem_name(*problem))));
        return overview(req, visit, 400, errors, {});
    }
    auto name = account::check_username(wanted);
    if (!name) {
        for (auto p : name.error()) {
            errors.push_back(
                kit_.text(visit, "errors.username." + std::string(account::problem_name(p))));
        }
        return overview(req, visit, 400, errors, {});
    }
    account::ProfileStore profiles{kit_.db()};
    auto outcome =
        profiles.rename(visit.user->id, *name, options_.username_change_cooldown, kit_.now());
    if (!outcome) {
        spdlog::error("rename failed: {}", outcome.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    using Kind = account::RenameOutcome::Kind;
    switch (outcome->kind) {
        case Kind::unchanged:
            return kit_.redirect(visit, "/account");
        case Kind::taken:
            errors.push_back(kit_.text(visit, "errors.username.taken"));
            return overview(req, visit, 409, errors, {});
        case Kind::too_soon:
            errors.push_back(kit_.text(visit, "center.overview.rename_wait",
                                       {{"date", format_time(*outcome->allowed_at)}}));
            return overview(req, visit, 429, errors, {});
        case Kind::renamed:
            break;
    }
    auto event = PageKit::audit_event(req, audit::EventType::username_changed);
    event.user_id = visit.user->id;
    event.detail = {{"from", outcome->old_username}, {"to", name->text}};
    kit_.record(event);
    spdlog::info("user {} renamed", visit.user->id);
    return kit_.redirect(visit, "/account?notice=renamed");
}

HttpResponse AccountPages::post_name(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, signin_redirect("/account"));
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    auto name = account::check_display_name(submitted.get("display_name"));
    if (!name) {
        return overview(
            req, visit, 400, {},
            {kit_.text(visit, "errors.input." + std::string(account::problem_name(name.error())))});
    }
    account::ProfileStore profiles{kit_.db()};
    if (auto set = profiles.set_display_name(visit.user->id, *name, kit_.now()); !set) {
        spdlog::error("display name change failed: {}", set.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto event = PageKit::audit_event(req, audit::EventType::display_name_changed);
    event.user_id = visit.user->id;
    kit_.record(event);
    return kit_.redirect(visit, "/account?notice=name_saved");
}

HttpResponse AccountPages::get_bindings(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, signin_redirect("/account/bindings"));
    }
    auto data = account_page_data(kit_, visit, AccountTab::bindings,
                                  kit_.text(visit, "federation.bindings.heading"));
    if (!add_bindings(visit, data)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (const auto bound = first_query_param(req, "bound"); upstreams_.find(bound) != nullptr) {
        data["notice"] = kit_.text(visit, "federation.bindings.bound",
                                   {{"provider", upstreams_.find(bound)->label()}});
    } else if (first_query_param(req, "unbound") == "1") {
        data["notice"] = kit_.text(visit, "federation.bindings.unbound");
    }
    return kit_.page(visit, "account_bindings", 200, std::move(data));
}

bool AccountPages::add_bindings(Visit& visit, mstch::map& data) {
    federation::BindingStore store{kit_.db()};
    auto bindings = store.list(visit.user->id);
    if (!bindings) {
        spdlog::error("account page bindings: {}", bindings.error().message);
        return false;
    }
    mstch::array rows;
    std::vector<std::string> bound;
    for (const auto& b : *bindings) {
        const auto* connector = upstreams_.find(b.provider);
        rows.push_back(mstch::map{
            {"id", std::to_string(b.id)},
            {"provider", b.provider},
            {"label", connector != nullptr ? connector->label() : b.provider},
            {"name", b.display_name.empty() ? b.username : b.display_name},
            {"bound", format_time(b.created_at)},
            {"bound_iso", iso_time(b.created_at)},
        });
        bound.push_back(b.provider);
    }
    data["has_bindings"] = !rows.empty();
    data["bindings"] = rows;
    auto buttons = upstream_buttons(kit_, visit, upstreams_, "bind", "/account/bindings", bound);
    data["has_upstreams"] = !buttons.empty();
    data["upstreams"] = buttons;
    return true;
}

}  // namespace idpd::web
