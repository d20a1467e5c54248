#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "account/api_keys.h"
#include "admin/billing_api.h"
#include "admin/client_api.h"
#include "api/account_extras_api.h"
#include "api/authenticator.h"
#include "api/billing_api.h"
#include "api/me_api.h"
#include "api/orders_api.h"
#include "api/org_api.h"
#include "app/config.h"
#include "auth/password_hasher.h"
#include "auth/random_source.h"
#include "federation/registry.h"
#include "http/handler.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "jose/key_store.h"
#include "oidc/client_secret.h"
#include "oidc/provider.h"
#include "ops/health.h"
#include "store/database.h"
#include "web/payment_notify.h"
#include "web/site.h"
#include "web/wechat_mp_callback.h"

namespace idpd::app {

// What tests replace in an App; production keeps the defaults.
struct Injections {
    // The pages' clock (sessions, sign-in throttling, captchas).
    std::function<std::chrono::system_clock::time_point()> clock = std::chrono::system_clock::now;
    // Where captcha codes and their drawing come from; nullptr: the system generator. Tests
    // pass a fixed source so they know the code (auth/captcha_store.h).
    auth::RandomSource* captcha_codes = nullptr;
    // The organizations a user belongs to (claims, org:<id> tokens, the billing API, the
    // consent page); empty: the built-in one (see App::memberships_).
    org::MembershipLookup memberships;
};

// Every service and route of one idpd process, built from the configuration over an open
// database. Tests build it over a temporary database and call pipeline() with no socket.
class App {
public:
    // Throws std::runtime_error for a start-up error (the static directory is missing, no
    // usable master key, a bad client file in clients.dir).
    App(const Config& config, store::Database& db, Injections injections = {});

    // The whole request path: middleware around the route table.
    http::HttpResponse handle(http::HttpRequest& req) const { return pipeline_(req); }

    const http::Pipeline& pipeline() const { return pipeline_; }

    http::Metrics& metrics() { return metrics_; }

    const http::Router& router() const { return router_; }

    // The janitor's account deletion (app/account_deletion.h): deletes the accounts due at
    // the time it is given, ending their sessions through back-channel logout too.
    std::function<std::uint64_t(std::chrono::sys_seconds)> account_deletion();

    // From now on /readyz answers 503, so load balancers stop sending before shutdown.
    void start_draining() { draining_ = true; }

    // The official account's token holder for the Dispatcher (app/notify_settings.h); nullptr
    // when WeChat is not configured.
    std::shared_ptr<notify::WechatAccessToken> wechat_token() const { return wechat_token_; }

private:
    void add_routes();
    // /userinfo's view of an account: the active user with their primary email.
    oidc::Result<std::optional<oidc::UserProfile>> user_profile(std::int64_t user_id);
    // /authorize's view of a browser session: its level now and whether it can step up.
    oidc::BrowserSession browser_session(const auth::Session& session);
    // The organizations a user belongs to (API keys may name one).
    org::MembershipLookup memberships();
    // The consent pages' view of a client.
    std::optional<web::ClientSummary> client_summary(std::string_view client_id);

    const Config& config_;
    store::Database& db_;
    std::function<std::chrono::system_clock::time_point()> clock_;  // the pages' clock
    std::atomic<bool> draining_{false};
    http::Metrics metrics_;
    http::StaticFiles static_files_;
    ops::Readiness readiness_;
    jose::MasterKey master_key_;
    jose::KeyStore keys_;
    oidc::ClientSecretHasher secret_hasher_;
    account::ApiKeyHasher api_key_hasher_;
    org::MembershipLookup memberships_;  // before oidc_, which takes it
    oidc::Provider oidc_;
    // Who calls /api/v1: every account API route asks it (api/authenticator.h).
    api::Authenticator api_auth_;
    api::MeApi me_api_;            // /api/v1/me… (api/me_api.h)
    api::BillingApi billing_api_;  // GET accounts/balance/…, coupons/redeem, quota/usage
    admin::ClientApi admin_clients_;
    admin::BillingApi admin_billing_;
    // The configured payment channels ([billing]), shared by the notices, pages and API.
    billing::Channels payment_channels_;
    web::PaymentNotify payment_notify_;
    api::OrdersApi orders_api_;  // POST /api/v1/orders
    auth::PasswordHasher password_hasher_;
    federation::Registry upstreams_;  // before web_, which keeps a reference
    // The WeChat official account's token ([notify] wechat_*), shared by the linking QR codes
    // and the Dispatcher's template messages; nullptr: no WeChat channel.
    std::shared_ptr<notify::WechatAccessToken> wechat_token_;
    web::Site web_;
    api::OrgApi org_api_;  // /api/v1/orgs…, after web_ (its mails use the pages' renderer)
    // /api/v1/me/phones, api-keys, notifications (after web_: the SMS text is its catalog's).
    api::AccountExtrasApi account_extras_;
    // POST/GET /wechat/mp/events, when [notify] wechat_callback_token is set.
    std::optional<web::WechatMpCallback> wechat_callback_;
    http::Router router_;
    http::Pipeline pipeline_;
};

}  // namespace idpd::app
