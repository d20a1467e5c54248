#pragma once

#include <chrono>
#include <functional>

#include "account/api_keys.h"
#include "api/authenticator.h"
#include "api/caller.h"
#include "audit/audit_log.h"
#include "http/router.h"
#include "notify/preferences.h"
#include "oidc/introspection_endpoint.h"
#include "org/membership.h"
#include "phone/phone_flows.h"
#include "store/database.h"

namespace idpd::api {

using Clock = std::function<std::chrono::system_clock::time_point()>;

// The account API (scope `account`) for phones, API keys and notification choices:
//   GET    /api/v1/me/phones               {"phones": [{id, phone_number, verified_at}]}
//   POST   /api/v1/me/phones               {"phone_number"} → 202, a code goes out by SMS
//                                          (the same answer for a number another account holds)
//   POST   /api/v1/me/phones/verify        {"phone_number", "code"} → 201, bound (replacing
//                                          the old number)
//   DELETE /api/v1/me/phones/:id           204; 409 when no password and no verified email
//                                          would be left
//   GET    /api/v1/me/api-keys             {"api_keys": [...]} (never a secret)
//   POST   /api/v1/me/api-keys             {name, scopes, org_id?, expires_in_days?} → 201 with
//                                          the secret, once; needs an access token (a key
//                                          cannot mint keys)
//   DELETE /api/v1/me/api-keys/:id         204
//   GET    /api/v1/me/notifications        {"preferences": {event: {channel: bool}}, "locked"}
//   PUT    /api/v1/me/notifications        the same shape, any subset; 400 when it switches
//                                          security email off
// Another user's ids answer 404, like ids that do not exist.
class AccountExtrasApi {
public:
    struct Hooks {
        phone::SmsText sms_text;            // the SMS body of a bind code
        org::MembershipLookup memberships;  // which organizations a key may name
    };

    AccountExtrasApi(Authenticator& auth, store::Database& db, const account::ApiKeyHasher& hasher,
                     auth::RandomSource& random, Clock clock, Hooks hooks)
        : auth_(auth),
          db_(db),
          hasher_(hasher),
          random_(random),
          clock_(std::move(clock)),
          hooks_(std::move(hooks)),
          phones_(db, random) {}

    void add_routes(http::Router& router);

private:
    std::chrono::sys_seconds now() const;
    void record_audit(const http::HttpRequest& req, const Caller& caller, audit::EventType type,
                      nlohmann::json detail = nlohmann::json::object());

    http::HttpResponse get_phones(const http::HttpRequest& req);
    http::HttpResponse post_phone(const http::HttpRequest& req);
    http::HttpResponse post_phone_verify(const http::HttpRequest& req);
    http::HttpResponse delete_phone(const http::HttpRequest& req);
    http::HttpResponse get_keys(const http::HttpRequest& req);
    http::HttpResponse post_key(const http::HttpRequest& req);
    http::HttpResponse delete_key(const http::HttpRequest& req);
    http::HttpResponse get_notifications(const http::HttpRequest& req);
    http::HttpResponse put_notifications(const http::HttpRequest& req);
    // Checks a creation request; fills `key` or returns the 400/503 to send.
    std::optional<http::HttpResponse> read_new_key(const nlohmann::json& body, const Caller& caller,
                                                   account::NewApiKey& key);

    Authenticator& auth_;
    store::Database& db_;
    const account::ApiKeyHasher& hasher_;
    auth::RandomSource& random_;
    Clock clock_;
    Hooks hooks_;
    phone::PhoneFlows phones_;
};

// What api::Authenticator asks about a presented API key: the key store's answer as a Caller.
ApiKeyLookup api_key_lookup(store::Database& db, const account::ApiKeyHasher& hasher, Clock clock);

// What /introspect answers for an API key (RFC 7662 §2.2 with token_type "api_key"): active,
// scope, sub (the user's public subject, the numeric id), org_id and exp when set. Does not
// count as a use of the key.
oidc::IntrospectionEndpoint::ApiKeyIntrospector api_key_introspector(
    store::Database& db, const account::ApiKeyHasher& hasher, Clock clock);

}  // namespace idpd::api
