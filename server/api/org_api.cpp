#include "api/org_api.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "api/reply.h"
#include "store/epoch.h"

namespace idpd::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Json = nlohmann::json;

int status_of(org::Code code) {
    switch (code) {
        case org::Code::invalid_name:
        case org::Code::invalid_display_name:
        case org::Code::invalid_role:
        case org::Code::no_such_invitee:
            return 400;
        case org::Code::forbidden:
            return 403;
        case org::Code::not_found:
        case org::Code::wrong_invitee:
            return 404;
        case org::Code::unavailable:
            return 503;
        default:
            return 409;
    }
}

HttpResponse refusal(const org::Error& error) {
    if (error.code == org::Code::unavailable) {
        spdlog::error("org api: {}", error.cause ? error.cause->message : error.message);
        return api::error(503, "temporarily_unavailable", "try again later");
    }
    return api::error(status_of(error.code), org::code_name(error.code), error.message);
}

std::optional<std::int64_t> id_param(const HttpRequest& req, std::string_view name) {
    const std::string text = req.path_param(name).value_or("");
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

// The organization in the path when the caller may address it: an organization-scoped token
// or key reaches only its own.
std::optional<std::int64_t> org_in_path(const HttpRequest& req, const Caller& caller) {
    auto id = id_param(req, "id");
    if (!id || (caller.org_id && *caller.org_id != *id)) {
        return std::nullopt;
    }
    return id;
}

Json membership_json(const org::Membership& m) {
    return {{"id", m.org_id},
            {"name", m.name},
            {"display_name", m.display_name},
            {"role", org::role_name(m.role)}};
}

std::string text_member(const Json& body, const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

HttpResponse not_found() {
    return api::error(404, "not_found", "no such organization");
}

}  // namespace

void OrgApi::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (OrgApi::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/api/v1/orgs", bind(&OrgApi::list));
    router.add(Method::post, "/api/v1/orgs", bind(&OrgApi::create));
    router.add(Method::get, "/api/v1/orgs/:id", bind(&OrgApi::show));
    router.add(Method::get, "/api/v1/orgs/:id/members", bind(&OrgApi::members));
    router.add(Method::post, "/api/v1/orgs/:id/invitations", bind(&OrgApi::invite));
    router.add(Method::patch, "/api/v1/orgs/:id/members/:user_id", bind(&OrgApi::change_role));
    router.add(Method::del, "/api/v1/orgs/:id/members/:user_id", bind(&OrgApi::remove));
}

std::chrono::sys_seconds OrgApi::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(clock_());
}

HttpResponse OrgApi::list(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_orgs);
    if (!caller) {
        return std::move(caller.error());
    }
    auto mine = store().memberships(*caller->user_id);
    if (!mine) {
        return refusal(mine.error());
    }
    Json out = Json::array();
    for (const auto& m : *mine) {
        if (!caller->org_id || *caller->org_id == m.org_id) {
            out.push_back(membership_json(m));
        }
    }
    return api::json(200, Json{{"orgs", out}});
}

HttpResponse OrgApi::create(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_orgs_manage);
    if (!caller) {
        return std::move(caller.error());
    }
    auto body = read_object(req);
    if (!body) {
        return api::error(400, "invalid_request", "the body must be a JSON object");
    }
    auto created = store().create(*caller->user_id, text_member(*body, "name"),
                                  text_member(*body, "display_name"), now());
    if (!created) {
        return refusal(created.error());
    }
    return api::json(201, membership_json({created->id, created->name, created->display_name,
                                           org::Role::owner}));
}

HttpResponse OrgApi::show(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_orgs);
    if (!caller) {
        return std::move(caller.error());
    }
    auto id = org_in_path(req, *caller);
    if (!id) {
        return not_found();
    }
    auto member = store().membership(*id, *caller->user_id);
    if (!member) {
        return refusal(member.error());
    }
    return api::json(200, membership_json(*member));
}

HttpResponse OrgApi::members(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_orgs);
    if (!caller) {
        return std::move(caller.error());
    }
    auto id = org_in_path(req, *caller);
    if (!id) {
        return not_found();
    }
    auto listed = store().members(*caller->user_id, *id);
    if (!listed) {
        return refusal(listed.error());
    }
    Json out = Json::array();
    for (const auto& m : *listed) {
        out.push_back({{"user_id", m.user_id},
                       {"username", m.username},
                       {"role", org::role_name(m.role)},
                       {"joined_at", store::epoch(m.joined_at)}});
    }
    return api::json(200, Json{{"members", out}});
}

HttpResponse OrgApi::invite(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_orgs_manage);
    if (!caller) {
        return std::move(caller.error());
    }
    auto id = org_in_path(req, *caller);
    if (!id) {
        return not_found();
    }
    auto body = read_object(req);
    if (!body) {
        return api::error(400, "invalid_request", "the body must be a JSON object");
    }
    const auto role = org::parse_role(
        text_member(*body, "role").empty() ? std::string("member") : text_member(*body, "role"));
    if (!role) {
        return api::error(400, "invalid_role", "role is \"admin\" or \"member\"");
    }
    account::UserStore users(db_);
    org::Invitee invitee;
    std::string to = text_member(*body, "email");
    const std::string username = text_member(*body, "username");
    if (!to.empty() == !username.empty()) {
        return api::error(400, "invalid_request", "give either \"username\" or \"email\"");
    }
    if (!to.empty()) {
        if (to.size() > 254 || to.find('@') == std::string::npos ||
            to.find_first_of(" \t\r\n<>") != std::string::npos) {
            return api::error(400, "invalid_request", "email is not an address");
        }
        invitee.email = to;
    } else {
        auto user = users.find_by_username(username);
        if (!user) {
            return user.error().kind == store::Error::Kind::not_found
                       ? api::error(400, "no_such_invitee", "no account has this username")
                       : refusal({org::Code::unavailable, "user look-up", user.error()});
        }
        invitee.user_id = user->id;
        if (auto emails = users.emails(user->id)) {
            for (const auto& e : *emails) {
                to = e.is_primary ? e.email : to;
            }
        }
    }
    auto inviter = users.find_by_id(*caller->user_id);
    std::optional<org::Error> refused;
    org::CreatedInvitation created;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto made = org::OrgStore(tx, options_)
                        .invite(*caller->user_id, *id, invitee, *role, random_, now());
        if (!made) {
            refused = made.error();
            return store::fail(store::Error::Kind::invalid, "refused");
        }
        created = std::move(*made);
        if (!mailer_ || to.empty()) {
            return {};
        }
        return mailer_(tx, created, inviter ? inviter->username : std::string(), to);
    });
    if (!done) {
        return refusal(
            refused.value_or(org::Error{org::Code::unavailable, "invite", done.error()}));
    }
    const auto& i = created.invitation;
    return api::json(201, Json{{"id", i.id},
                               {"org_id", i.org_id},
                               {"role", org::role_name(i.role)},
                               {"username", i.invitee_username},
                               {"email", i.invitee.email.value_or("")},
                               {"expires_at", store::epoch(i.expires_at)}});
}

HttpResponse OrgApi::change_role(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_orgs_manage);
    if (!caller) {
        return std::move(caller.error());
    }
    auto id = org_in_path(req, *caller);
    auto target = id_param(req, "user_id");
    if (!id || !target) {
        return not_found();
    }
    auto body = read_object(req);
    if (!body) {
        return api::error(400, "invalid_request", "the body must be a JSON object");
    }
    auto role = org::parse_role(text_member(*body, "role"));
    if (!role) {
        return api::error(400, "invalid_role", "role is \"admin\" or \"member\"");
    }
    auto changed = store().change_role(*caller->user_id, *id, *target, *role);
    if (!changed) {
        return refusal(changed.error());
    }
    return api::json(200, Json{{"user_id", *target}, {"role", org::role_name(*role)}});
}

HttpResponse OrgApi::remove(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_orgs_manage);
    if (!caller) {
        return std::move(caller.error());
    }
    auto id = org_in_path(req, *caller);
    auto target = id_param(req, "user_id");
    if (!id || !target) {
        return not_found();
    }
    auto removed = *target == *caller->user_id ? store().leave(*target, *id)
                                               : store().remove(*caller->user_id, *id, *target);
    if (!removed) {
        return refusal(removed.error());
    }
    http::HttpResponse done;
    done.status = 204;
    done.headers.set("Cache-Control", "no-store");
    return done;
}

}  // namespace idpd::api
