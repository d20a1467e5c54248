#include "api/account_extras_api.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "api/reply.h"
#include "audit/audit_log.h"
#include "oidc/client_auth.h"
#include "phone/e164.h"

namespace idpd::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;

std::int64_t seconds_of(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

HttpResponse unavailable(const store::Error& failure) {
    spdlog::error("account api: {}", failure.message);
    return error(503, "temporarily_unavailable", "The database is unavailable; try again later.");
}

HttpResponse no_content() {
    HttpResponse r;
    r.status = 204;
    r.headers.set("Cache-Control", "no-store");
    return r;
}

std::string string_member(const nlohmann::json& body, const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::chrono::sys_seconds AccountExtrasApi::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(clock_());
}

void AccountExtrasApi::record_audit(const HttpRequest& req, const Caller& caller,
                                    audit::EventType type, nlohmann::json detail) {
    audit::Event event;
    event.type = type;
    event.user_id = caller.user_id;
    event.ip = req.client_ip.empty() ? req.peer_ip : req.client_ip;
    event.user_agent = req.headers.get("User-Agent").value_or("");
    detail["via"] = caller.kind == Caller::Kind::api_key ? "api_key" : "access_token";
    event.detail = std::move(detail);
    if (auto recorded = audit::record(db_, event, now()); !recorded) {
        spdlog::error("audit: {}", recorded.error().message);
    }
}

void AccountExtrasApi::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (AccountExtrasApi::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/api/v1/me/phones", bind(&AccountExtrasApi::get_phones));
    router.add(Method::post, "/api/v1/me/phones", bind(&AccountExtrasApi::post_phone));
    router.add(Method::post, "/api/v1/me/phones/verify",
               bind(&AccountExtrasApi::post_phone_verify));
    router.add(Method::del, "/api/v1/me/phones/:id", bind(&AccountExtrasApi::delete_phone));
    router.add(Method::get, "/api/v1/me/api-keys", bind(&AccountExtrasApi::get_keys));
    router.add(Method::post, "/api/v1/me/api-keys", bind(&AccountExtrasApi::post_key));
    router.add(Method::del, "/api/v1/me/api-keys/:id", bind(&AccountExtrasApi::delete_key));
    router.add(Method::get, "/api/v1/me/notifications", bind(&AccountExtrasApi::get_notifications));
    router.add(Method::put, "/api/v1/me/notifications", bind(&AccountExtrasApi::put_notifications));
}

HttpResponse AccountExtrasApi::get_phones(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    phone::PhoneStore phones(db_);
    auto bound = phones.of_user(*caller->user_id);
    if (!bound) {
        return unavailable(bound.error());
    }
    nlohmann::json list = nlohmann::json::array();
    if (*bound) {
        list.push_back({{"id", (*bound)->id},
                        {"phone_number", (*bound)->phone},
                        {"verified", true},
                        {"verified_at", seconds_of((*bound)->verified_at)}});
    }
    return json(200, {{"phones", list}});
}

HttpResponse AccountExtrasApi::post_phone(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    auto body = read_object(req);
    if (!body) {
        return error(400, "invalid_request", "The body must be a JSON object.");
    }
    auto e164 = phone::normalize_e164(string_member(*body, "phone_number"));
    if (!e164) {
        return error(400, "invalid_phone_number",
                     "phone_number is not a valid number (" +
                         std::string(phone::problem_name(e164.error())) +
                         "); give +<country code><number>, or an 11-digit mainland number");
    }
    const std::string ip = req.client_ip.empty() ? req.peer_ip : req.client_ip;
    auto started = phones_.start_bind(*caller->user_id, *e164, ip, hooks_.sms_text, now());
    if (!started) {
        return unavailable(started.error());
    }
    if (started->throttled) {
        auto r = error(429, "slow_down", "Too many codes asked for; try again later.");
        r.headers.set("Retry-After", std::to_string(started->retry_after.count()));
        return r;
    }
    return json(202, {{"status", "code_sent"}, {"phone_number", *e164}, {"expires_in", 300}});
}

HttpResponse AccountExtrasApi::post_phone_verify(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    auto body = read_object(req);
    if (!body) {
        return error(400, "invalid_request", "The body must be a JSON object.");
    }
    auto e164 = phone::normalize_e164(string_member(*body, "phone_number"));
    if (!e164) {
        return error(400, "invalid_phone_number", "phone_number is not a valid number");
    }
    auto bound = phones_.confirm_bind(*caller->user_id, *e164, string_member(*body, "code"), now());
    if (!bound) {
        return unavailable(bound.error());
    }
    if (bound->outcome == phone::BindOutcome::taken) {
        return error(409, "conflict", "This number cannot be bound to this account.");
    }
    if (bound->outcome != phone::BindOutcome::bound) {
        return error(400, "invalid_code", "The code is wrong, used or expired; ask for a new one.");
    }
    nlohmann::json detail{{"phone", *e164}};
    if (bound->previous) {
        detail["previous"] = *bound->previous;
    }
    record_audit(req, *caller, audit::EventType::phone_bound, detail);
    phone::PhoneStore phones(db_);
    auto stored = phones.of_user(*caller->user_id);
    if (!stored || !*stored) {
        return stored ? error(409, "conflict", "The number was unbound meanwhile.")
                      : unavailable(stored.error());
    }
    return json(201, {{"id", (*stored)->id},
                      {"phone_number", (*stored)->phone},
                      {"verified", true},
                      {"verified_at", seconds_of((*stored)->verified_at)}});
}

HttpResponse AccountExtrasApi::delete_phone(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    const auto id = parse_id(req.path_param("id").value_or(""));
    phone::PhoneStore phones(db_);
    auto bound = phones.of_user(*caller->user_id);
    if (!bound) {
        return unavailable(bound.error());
    }
    if (!id || !*bound || (*bound)->id != *id) {
        return error(404, "not_found", "No such phone number on this account.");
    }
    auto outcome = phones_.unbind(*caller->user_id);
    if (!outcome) {
        return unavailable(outcome.error());
    }
    if (*outcome == phone::UnbindOutcome::last_recovery) {
        return error(409, "last_recovery_method",
                     "Without this number the account has no password and no verified email "
                     "left to recover it; add one first.");
    }
    record_audit(req, *caller, audit::EventType::phone_unbound, {{"phone", (*bound)->phone}});
    return no_content();
}

HttpResponse AccountExtrasApi::get_notifications(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    auto prefs = notify::preferences(db_, *caller->user_id);
    if (!prefs) {
        return unavailable(prefs.error());
    }
    nlohmann::json out = nlohmann::json::object();
    nlohmann::json locked = nlohmann::json::array();
    for (const auto& p : *prefs) {
        out[std::string(notify::event_name(p.event))]
           [std::string(notify::channel_name(p.channel))] = p.enabled;
        if (p.locked) {
            locked.push_back(std::string(notify::event_name(p.event)) + "." +
                             std::string(notify::channel_name(p.channel)));
        }
    }
    return json(200, {{"preferences", out}, {"locked", locked}});
}

HttpResponse AccountExtrasApi::put_notifications(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    auto body = read_object(req);
    if (!body || !body->contains("preferences") || !(*body)["preferences"].is_object()) {
        return error(400, "invalid_request", "The body must be {\"preferences\": {...}}.");
    }
    std::vector<notify::Preference> wanted;
    for (const auto& [event_text, channels] : (*body)["preferences"].items()) {
        auto event = notify::parse_event(event_text);
        if (!event || !channels.is_object()) {
            return error(400, "invalid_request", "Unknown event: " + event_text);
        }
        for (const auto& [channel_text, enabled] : channels.items()) {
            auto channel = notify::parse_channel(channel_text);
            if (!channel || !enabled.is_boolean()) {
                return error(400, "invalid_request",
                             "Each channel (email, sms, wechat) takes true or false.");
            }
            if (notify::is_locked(*event, *channel) && !enabled.get<bool>()) {
                return error(400, "invalid_request",
                             "Security notices by email cannot be switched off.");
            }
            wanted.push_back({*event, *channel, enabled.get<bool>(), false});
        }
    }
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        for (const auto& p : wanted) {
            if (auto set = notify::set_preference(tx, *caller->user_id, p.event, p.channel,
                                                  p.enabled, now());
                !set) {
                return set;
            }
        }
        return {};
    });
    if (!done) {
        return unavailable(done.error());
    }
    record_audit(req, *caller, audit::EventType::notification_preferences_changed,
                 (*body)["preferences"]);
    return get_notifications(req);
}

}  // namespace idpd::api
