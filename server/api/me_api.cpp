#include "api/me_api.h"

#include <spdlog/spdlog.h>

#include "account/avatar_store.h"
#include "account/display_name.h"
#include "account/profile_store.h"
#include "account/user_store.h"
#include "api/reply.h"
#include "audit/audit_log.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "auth/signin_history_store.h"

namespace idpd::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

HttpResponse unavailable(const store::Error& e) {
    spdlog::error("account API: {}", e.message);
    auto response = error(503, "temporarily_unavailable", "the account service is unavailable");
    response.headers.set("Retry-After", "1");
    return response;
}

audit::Event event_of(const HttpRequest& req, audit::EventType type, std::int64_t user_id) {
    audit::Event event;
    event.type = type;
    event.user_id = user_id;
    event.ip = req.client_ip.empty() ? req.peer_ip : req.client_ip;
    event.user_agent = req.headers.get("User-Agent").value_or("");
    event.detail = {{"via", "api"}};
    return event;
}

}  // namespace

void MeApi::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (MeApi::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/api/v1/me", bind(&MeApi::get_me));
    router.add(Method::patch, "/api/v1/me", bind(&MeApi::patch_me));
    router.add(Method::get, "/api/v1/me/emails", bind(&MeApi::get_emails));
    router.add(Method::get, "/api/v1/me/sessions", bind(&MeApi::get_sessions));
    router.add(Method::get, "/api/v1/me/signins", bind(&MeApi::get_signins));
}

std::chrono::sys_seconds MeApi::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(clock_());
}

HttpResponse MeApi::get_me(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    account::UserStore users{db_};
    auto user = users.find_by_id(*caller->user_id);
    if (!user) {
        if (user.error().kind == store::Error::Kind::not_found) {
            return error(404, "not_found", "the account no longer exists");
        }
        return unavailable(user.error());
    }
    auto emails = users.emails(user->id);
    if (!emails) {
        return unavailable(emails.error());
    }
    account::AvatarStore avatars{db_};
    auto avatar = avatars.find(user->id, false);
    if (!avatar) {
        return unavailable(avatar.error());
    }
    nlohmann::json body{{"id", user->id},
                        {"username", user->username},
                        {"name", user->display_name},
                        {"picture", nullptr},
                        {"email", nullptr},
                        {"email_verified", false},
                        {"created_at", epoch(user->created_at)}};
    if (*avatar) {
        body["picture"] = (*avatar)->is_upload() ? issuer_ + account::avatar_location(**avatar)
                                                 : account::avatar_location(**avatar);
    }
    for (const auto& e : *emails) {
        if (e.is_primary) {
            body["email"] = e.email;
            body["email_verified"] = e.is_verified();
        }
    }
    return json(200, body);
}

std::optional<HttpResponse> MeApi::rename(const HttpRequest& req, std::int64_t user_id,
                                          const nlohmann::json& value) {
    if (!value.is_string()) {
        return error(400, "invalid_request", "username must be a string");
    }
    auto name = account::check_username(value.get<std::string>());
    if (!name) {
        return error(400, "invalid_request",
                     "username breaks the rule " +
                         std::string(account::problem_name(name.error().front())) +
                         " (4 to 20 CJK characters, letters, digits, '-' or '_'; not all "
                         "digits)");
    }
    account::ProfileStore profiles{db_};
    auto outcome = profiles.rename(user_id, *name, rename_cooldown_, now());
    if (!outcome) {
        return unavailable(outcome.error());
    }
    using Kind = account::RenameOutcome::Kind;
    switch (outcome->kind) {
        case Kind::taken:
            return error(409, "conflict", "this username is taken");
        case Kind::too_soon:
            return error(409, "conflict",
                         "the username was changed recently; it can change again at " +
                             std::to_string(epoch(*outcome->allowed_at)));
        case Kind::unchanged:
            return std::nullopt;
        case Kind::renamed:
            break;
    }
    auto event = event_of(req, audit::EventType::username_changed, user_id);
    event.detail["from"] = outcome->old_username;
    event.detail["to"] = name->text;
    if (auto logged = audit::record(db_, event, now()); !logged) {
        spdlog::error("cannot record a rename: {}", logged.error().message);
    }
    return std::nullopt;
}

HttpResponse MeApi::patch_me(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    auto body = read_object(req);
    if (!body) {
        return error(400, "invalid_request", "the body must be a JSON object");
    }
    const std::int64_t user_id = *caller->user_id;
    // Only these two members are read: issue 7 — a balance, plan, role or verification flag
    // sent here is ignored, never applied.
    std::optional<std::string> name;
    if (body->contains("name")) {
        const auto& value = (*body)["name"];
        auto checked = value.is_string() ? account::check_display_name(value.get<std::string>())
                                         : std::unexpected(account::DisplayNameProblem::markup);
        if (!checked) {
            return error(400, "invalid_request",
                         "name must be a string of at most 64 bytes without control or markup "
                         "characters");
        }
        name = *checked;
    }
    if (body->contains("username")) {
        if (auto refused = rename(req, user_id, (*body)["username"])) {
            return std::move(*refused);
        }
    }
    if (name) {
        account::ProfileStore profiles{db_};
        if (auto set = profiles.set_display_name(user_id, *name, now()); !set) {
            return unavailable(set.error());
        }
        auto event = event_of(req, audit::EventType::display_name_changed, user_id);
        if (auto logged = audit::record(db_, event, now()); !logged) {
            spdlog::error("cannot record a name change: {}", logged.error().message);
        }
    }
    return get_me(req);
}

HttpResponse MeApi::get_emails(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    account::UserStore users{db_};
    auto emails = users.emails(*caller->user_id);
    if (!emails) {
        return unavailable(emails.error());
    }
    auto list = nlohmann::json::array();
    for (const auto& e : *emails) {
        list.push_back({{"email", e.email},
                        {"verified", e.is_verified()},
                        {"primary", e.is_primary},
                        {"created_at", epoch(e.created_at)}});
    }
    return json(200, {{"emails", list}});
}

HttpResponse MeApi::get_sessions(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    auth::SessionStore sessions{db_, auth::system_random()};
    auto live = sessions.list_live(*caller->user_id, now());
    if (!live) {
        return unavailable(live.error());
    }
    auto list = nlohmann::json::array();
    for (const auto& s : *live) {
        list.push_back({{"id", s.id},
                        {"ip", s.ip},
                        {"user_agent", s.user_agent},
                        {"created_at", epoch(s.created_at)},
                        {"last_seen_at", epoch(s.last_seen_at)},
                        {"persistent", s.persistent}});
    }
    return json(200, {{"sessions", list}});
}

HttpResponse MeApi::get_signins(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    auth::SigninHistoryStore history{db_};
    auto recent = history.recent(*caller->user_id);
    if (!recent) {
        return unavailable(recent.error());
    }
    auto list = nlohmann::json::array();
    for (const auto& a : *recent) {
        list.push_back({{"time", epoch(a.occurred_at)},
                        {"ip", a.ip},
                        {"device", a.device},
                        {"method", a.method},
                        {"success", a.success}});
    }
    return json(200, {{"signins", list}});
}

}  // namespace idpd::api
