// AccountExtrasApi, part two: API keys, and what the authenticator and /introspect ask of them.
#include <charconv>

#include <spdlog/spdlog.h>

#include "api/account_extras_api.h"
#include "api/reply.h"
#include "oidc/client_auth.h"

namespace idpd::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::size_t max_name_bytes = 64;

std::int64_t seconds_of(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

nlohmann::json key_json(const account::ApiKey& key, std::chrono::sys_seconds now) {
    nlohmann::json out{{"id", key.id},
                       {"name", key.name},
                       {"hint", key.hint},
                       {"scopes", key.scopes},
                       {"created_at", seconds_of(key.created_at)},
                       {"active", key.is_active(now)}};
    out["org_id"] = key.org_id ? nlohmann::json(*key.org_id) : nlohmann::json(nullptr);
    out["expires_at"] = key.expires_at ? nlohmann::json(seconds_of(*key.expires_at)) : nullptr;
    out["revoked_at"] = key.revoked_at ? nlohmann::json(seconds_of(*key.revoked_at)) : nullptr;
    out["last_used_at"] =
        key.last_used_at ? nlohmann::json(seconds_of(*key.last_used_at)) : nullptr;
    out["last_used_ip"] = key.last_used_at ? nlohmann::json(key.last_used_ip) : nullptr;
    return out;
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
    spdlog::error("account api keys: {}", failure.message);
    return error(503, "temporarily_unavailable", "The database is unavailable; try again later.");
}

}  // namespace

HttpResponse AccountExtrasApi::get_keys(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    account::ApiKeyStore store(db_, hasher_);
    auto keys = store.list(*caller->user_id);
    if (!keys) {
        return unavailable(keys.error());
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& key : *keys) {
        list.push_back(key_json(key, now()));
    }
    return json(200, {{"api_keys", list}});
}

std::optional<HttpResponse> AccountExtrasApi::read_new_key(const nlohmann::json& body,
                                                           const Caller& caller,
                                                           account::NewApiKey& key) {
    key.user_id = *caller.user_id;
    const auto name = body.find("name");
    if (name == body.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > max_name_bytes) {
        return error(400, "invalid_request", "name: 1 to 64 bytes of text");
    }
    key.name = name->get<std::string>();
    const auto scopes = body.find("scopes");
    if (scopes == body.end() || !scopes->is_array()) {
        return error(400, "invalid_request", "scopes: an array of account API scopes");
    }
    for (const auto& s : *scopes) {
        if (!s.is_string()) {
            return error(400, "invalid_request", "scopes: an array of strings");
        }
        key.scopes.push_back(s.get<std::string>());
    }
    if (auto problem = account::scopes_problem(key.scopes); !problem.empty()) {
        return error(400, "invalid_scope", problem);
    }
    if (const auto org = body.find("org_id"); org != body.end() && !org->is_null()) {
        if (!org->is_number_integer()) {
            return error(400, "invalid_request", "org_id: an organization id");
        }
        auto orgs = hooks_.memberships ? hooks_.memberships(key.user_id)
                                       : store::Result<std::vector<org::Membership>>{};
        if (!orgs) {
            return unavailable(orgs.error());
        }
        const auto wanted = org->get<std::int64_t>();
        if (std::ranges::none_of(*orgs, [&](const auto& m) { return m.org_id == wanted; })) {
            return error(400, "invalid_request", "org_id: not an organization you belong to");
        }
        key.org_id = wanted;
    }
    if (const auto days = body.find("expires_in_days"); days != body.end() && !days->is_null()) {
        const bool allowed =
            days->is_number_integer() && (*days == 30 || *days == 90 || *days == 365);
        if (!allowed) {
            return error(400, "invalid_request", "expires_in_days: 30, 90, 365 or null");
        }
        key.expires_at = now() + std::chrono::days(days->get<int>());
    }
    return std::nullopt;
}

HttpResponse AccountExtrasApi::post_key(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    if (caller->kind == Caller::Kind::api_key) {
        return error(403, "forbidden", "An API key cannot create API keys; use an access token.");
    }
    auto body = read_object(req);
    if (!body) {
        return error(400, "invalid_request", "The body must be a JSON object.");
    }
    account::NewApiKey key;
    if (auto refused = read_new_key(*body, *caller, key)) {
        return std::move(*refused);
    }
    std::array<std::uint8_t, 32> raw{};
    random_.fill(raw);
    account::ApiKeyStore store(db_, hasher_);
    auto created = store.create(
        key, std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()), now());
    if (!created) {
        return unavailable(created.error());
    }
    nlohmann::json detail{{"id", created->key.id}, {"scopes", key.scopes}};
    if (key.org_id) {
        detail["org_id"] = *key.org_id;
    }
    record_audit(req, *caller, audit::EventType::api_key_created, detail);
    auto out = key_json(created->key, now());
    out["secret"] = created->secret;  // once
    return json(201, out);
}

HttpResponse AccountExtrasApi::delete_key(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_account);
    if (!caller) {
        return std::move(caller.error());
    }
    const auto id = parse_id(req.path_param("id").value_or(""));
    if (!id) {
        return error(404, "not_found", "No such API key.");
    }
    account::ApiKeyStore store(db_, hasher_);
    auto revoked = store.revoke(*caller->user_id, *id, now());
    if (!revoked) {
        if (revoked.error().kind == store::Error::Kind::not_found) {
            return error(404, "not_found", "No such active API key.");
        }
        return unavailable(revoked.error());
    }
    record_audit(req, *caller, audit::EventType::api_key_revoked, {{"id", *id}});
    HttpResponse r;
    r.status = 204;
    r.headers.set("Cache-Control", "no-store");
    return r;
}

ApiKeyLookup api_key_lookup(store::Database& db, const account::ApiKeyHasher& hasher, Clock clock) {
    return [&db, &hasher, clock = std::move(clock)](
               std::string_view presented,
               std::string_view ip) -> store::Result<std::optional<Caller>> {
        account::ApiKeyStore store(db, hasher);
        auto key = store.resolve(presented, ip,
                                 std::chrono::time_point_cast<std::chrono::seconds>(clock()));
        if (!key) {
            return std::unexpected(key.error());
        }
        if (!*key) {
            return std::nullopt;
        }
        Caller caller;
        caller.kind = Caller::Kind::api_key;
        caller.user_id = (*key)->user_id;
        caller.scopes = (*key)->scopes;
        caller.org_id = (*key)->org_id;
        caller.key_id = (*key)->id;
        return caller;
    };
}

oidc::IntrospectionEndpoint::ApiKeyIntrospector api_key_introspector(
    store::Database& db, const account::ApiKeyHasher& hasher, Clock clock) {
    return [&db, &hasher, clock = std::move(clock)](
               std::string_view token) -> oidc::Result<std::optional<nlohmann::json>> {
        account::ApiKeyStore store(db, hasher);
        auto key = store.resolve(
            token, "", std::chrono::time_point_cast<std::chrono::seconds>(clock()), false);
        if (!key) {
            return std::unexpected(oidc::database_error(key.error()));
        }
        if (!*key) {
            return std::nullopt;
        }
        std::string scope;
        for (const auto& s : (*key)->scopes) {
            scope += (scope.empty() ? "" : " ") + s;
        }
        nlohmann::json body{{"active", true},
                            {"scope", scope},
                            {"sub", std::to_string((*key)->user_id)},
                            {"token_type", "api_key"},
                            {"iat", seconds_of((*key)->created_at)}};
        if ((*key)->org_id) {
            body["org_id"] = *(*key)->org_id;
        }
        if ((*key)->expires_at) {
            body["exp"] = seconds_of(*(*key)->expires_at);
        }
        return body;
    };
}

}  // namespace idpd::api
