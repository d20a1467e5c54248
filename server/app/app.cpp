#include "app/app.h"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "app/account_deletion.h"
#include "app/billing_settings.h"
#include "app/build_info.h"
#include "app/claim_sources.h"
#include "app/claims_profile.h"
#include "app/client_files.h"
#include "app/federation_settings.h"
#include "app/logout_hooks.h"
#include "app/notify_settings.h"
#include "app/oidc_settings.h"
#include "app/security_settings.h"
#include "app/two_step_settings.h"
#include "app/web_settings.h"
#include "auth/acr.h"
#include "http/middleware/middleware.h"
#include "org/org_store.h"
#include "phone/phone_store.h"
#include "web/notices.h"
#include "web/org_mail.h"

namespace idpd::app {
namespace {

std::vector<http::middleware::Cidr> trusted_blocks(const Config& config) {
    std::vector<http::middleware::Cidr> blocks;
    for (const auto& text : config.proxy.trusted) {
        // load_config has validated every entry.
        blocks.push_back(*http::middleware::parse_cidr(text));
    }
    return blocks;
}

jose::MasterKey load_master_key_or_throw(const Config& config) {
    auto key = jose::load_master_key(master_key_options(config));
    if (!key) {
        throw std::runtime_error("master key: " + key.error().detail);
    }
    return std::move(*key);
}

}  // namespace

App::App(const Config& config, store::Database& db, Injections injections)
    : config_(config),
      db_(db),
      clock_(injections.clock),
      static_files_(config.server.static_dir, config.server.static_max_age),
      readiness_(db, draining_),
      master_key_(load_master_key_or_throw(config)),
      keys_(db, master_key_, key_store_options(config), std::chrono::system_clock::now),
      secret_hasher_(master_key_),
      api_key_hasher_(master_key_),
      // Tests inject their own memberships; production asks the organizations store.
      memberships_(injections.memberships ? std::move(injections.memberships)
                                          : org::membership_lookup(db)),
      oidc_(
          oidc_options(config), db, keys_, secret_hasher_, std::chrono::system_clock::now,
          oidc::system_random_bytes,
          // The pages own the session cookie; /authorize asks them (web_ is built by the time
          // a request arrives).
          [this](const http::HttpRequest& req) -> std::optional<oidc::BrowserSession> {
              auto session = web_.signed_in_session(req);
              if (!session) {
                  return std::nullopt;
              }
              return browser_session(*session);
          },
          [this](std::int64_t user_id) { return user_profile(user_id); }, logout_hooks(web_),
          claim_sources(db, plan_catalog(config), memberships_)),
      api_auth_(oidc_.access_tokens(), oidc_.subjects()),
      me_api_(api_auth_, db, config.server.issuer, config.account.username_change_cooldown,
              injections.clock),
      billing_api_(api_auth_, db, plan_catalog(config), memberships_,
                   std::chrono::system_clock::now),
      admin_clients_(config.admin.api_token, db, secret_hasher_, operator_client_limits(config),
                     std::chrono::system_clock::now, oidc::system_random_bytes),
      admin_billing_(config.admin.api_token, db, std::chrono::system_clock::now),
      payment_channels_(payment_channels(config)),
      payment_notify_(db, payment_channels_, std::chrono::system_clock::now),
      orders_api_(api_auth_, db, payment_channels_, memberships_,
                  {config.billing.order_ttl, plan_catalog(config).free_plan().id},
                  std::chrono::system_clock::now),
      password_hasher_(password_hasher_or_throw(config)),
      upstreams_(federation_registry_or_throw(config)),
      wechat_token_(wechat_access_token(config)),
      web_(site_options(config), db, password_hasher_, password_policy(config),
           session_options(config), auth::system_random(), injections.clock,
           web::Security{throttle_options(config), captcha_options(config),
                         injections.captcha_codes != nullptr ? *injections.captcha_codes
                                                             : auth::system_random(),
                         &master_key_, two_step_options(config)},
           web::SiteHooks{[this](std::string_view client_id) { return client_summary(client_id); },
                          [this](std::int64_t user_id, const std::string& client_id) {
                              oidc_.end_grants(user_id, client_id);
                          },
                          &upstreams_,
                          // A bound number is always verified (its code proved it).
                          [this](std::int64_t user_id) -> store::Result<bool> {
                              auto bound = phone::PhoneStore(db_).of_user(user_id);
                              if (!bound) {
                                  return std::unexpected(bound.error());
                              }
                              return bound->has_value();
                          },
                          memberships_}),
      org_api_(api_auth_, db, auth::system_random(), injections.clock,
               org::StoreOptions{plan_catalog(config).free_plan().id}),
      account_extras_(api_auth_, db, api_key_hasher_, auth::system_random(), injections.clock,
                      api::AccountExtrasApi::Hooks{[this](const std::string& code) {
                                                       return web_.renderer().text(
                                                           web::Locale::zh_cn, "phones.sms_text",
                                                           {{"code", code}});
                                                   },
                                                   memberships()}) {
    // Client files are applied before the first request, so a bad one stops the start.
    auto applied =
        apply_client_files(db_, config.clients.dir, secret_hasher_, operator_client_limits(config),
                           oidc::unix_seconds(std::chrono::system_clock::now));
    if (!applied) {
        throw std::runtime_error(applied.error());
    }
    if (applied->created + applied->updated > 0) {
        spdlog::info("client files in {}: {} created, {} updated", config.clients.dir.string(),
                     applied->created, applied->updated);
    }
    metrics_.add_info("idpd_build_info", "Version and commit of this idpd binary.",
                      {{"version", version}, {"commit", git_commit}});
    ops::add_pool_gauges(metrics_, db_);
    // Back-Channel Logout: every session the pages end reaches the clients issued tokens in it.
    web_.set_session_end_listener([this](const web::EndedSession& ended) {
        oidc_.session_ended(std::to_string(ended.session_id));
    });
    // Refresh tokens outlive sessions, so a new password ends them explicitly.
    web_.set_password_change_listener(
        [this](std::int64_t user_id) { oidc_.end_grants(user_id, ""); });
    // Pages a person may meet outside the sign-in flow speak their language too.
    oidc_.set_refusal_page([this](const http::HttpRequest& req, const oidc::Refusal& refusal) {
        return web_.refusal(req, refusal.status, refusal.code + ": " + refusal.description);
    });
    router_.set_not_found([this](const http::HttpRequest& req) { return web_.not_found(req); });
    org_api_.set_mailer([this](store::Database& tx, const org::CreatedInvitation& created,
                               const std::string& inviter,
                               const std::string& to) -> store::Result<void> {
        const web::MailContext context{web_.renderer(), web::Locale::zh_cn, config_.server.issuer};
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
        if (auto noticed = web::send_org_invitation_notice(tx, context, wechat_templates(config_),
                                                           created.invitation, inviter, now);
            !noticed) {
            return noticed;
        }
        return web::enqueue_org_invitation_mail(
            tx, context,
            web::OrgInvitationMail{
                to, inviter, created.invitation.org_display_name, created.invitation.org_name,
                web_.renderer().text(
                    web::Locale::zh_cn,
                    "orgs.role." + std::string(org::role_name(created.invitation.role))),
                created.token, 7},
            std::chrono::time_point_cast<std::chrono::seconds>(clock_()));
    });
    web_.enable_billing(plan_catalog(config),
                        static_cast<std::int64_t>(config.billing.wechat_binding_bonus_quota));
    // API keys: the authenticator and /introspect resolve them; their pages offer the
    // user's organizations.
    api_auth_.set_api_keys(api::api_key_lookup(db_, api_key_hasher_, clock_));
    oidc_.set_api_key_introspection(api::api_key_introspector(db_, api_key_hasher_, clock_));
    web_.set_memberships(memberships());
    web_.enable_topup(
        {payment_channels_, config.billing.order_ttl, plan_catalog(config).free_plan().id});
    // A paid top-up's receipt commits with the payment (web/notices.h).
    payment_notify_.set_receipt([this](store::Database& tx, const billing::Order& order) {
        return web::send_topup_receipt(
            tx, web::MailContext{web_.renderer(), web::Locale::zh_cn, config_.server.issuer},
            wechat_templates(config_), order);
    });
    if (wechat_token_) {
        web_.enable_wechat_notices([token = wechat_token_](std::string_view scene) {
            return notify::create_scene_qrcode(*token, scene, std::chrono::minutes(10));
        });
    }
    if (!config.notify.wechat_callback_token.empty()) {
        wechat_callback_.emplace(db_, config.notify.wechat_callback_token, clock_);
    }
    add_routes();

    std::vector<http::Middleware> layers{http::middleware::trusted_proxies(trusted_blocks(config)),
                                         http::middleware::request_id()};
    if (config.log.access_log) {
        layers.push_back(http::middleware::access_log());
    }
    layers.push_back(http::middleware::metrics(metrics_));
    layers.push_back(http::middleware::security_headers());
    layers.push_back(http::middleware::recover());
    pipeline_ =
        http::compose(layers, [this](http::HttpRequest& req) { return router_.dispatch(req); });
}

oidc::Result<std::optional<oidc::UserProfile>> App::user_profile(std::int64_t user_id) {
    return read_claims_profile(db_, user_id, config_.server.issuer);
}

std::function<std::uint64_t(std::chrono::sys_seconds)> App::account_deletion() {
    return [this](std::chrono::sys_seconds now) {
        AccountDeletion deletion(db_, web_.renderer(), config_.server.issuer,
                                 [this](std::int64_t, std::int64_t session_id) {
                                     oidc_.session_ended(std::to_string(session_id));
                                 });
        return deletion.sweep(now);
    };
}

org::MembershipLookup App::memberships() {
    return memberships_;
}

oidc::BrowserSession App::browser_session(const auth::Session& session) {
    // The level now: the MFA level lapses after totp.mfa_lifetime (auth/acr.h).
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    const auto lifetime = config_.totp.mfa_lifetime;
    auto enrolled = web_.is_two_step_enrolled(session.user_id);
    if (!enrolled) {
        spdlog::warn("two-step look-up failed: {}", enrolled.error().message);
    }
    return oidc::BrowserSession{session.user_id,
                                std::to_string(session.id),
                                session.auth_time.time_since_epoch().count(),
                                auth::current_amr(session.amr, session.mfa_at, now, lifetime),
                                std::string(auth::session_acr(session.mfa_at, now, lifetime)),
                                enrolled && *enrolled};
}

std::optional<web::ClientSummary> App::client_summary(std::string_view client_id) {
    oidc::ClientStore clients{db_};
    auto client = clients.find(client_id);
    if (!client) {
        if (client.error().kind != store::Error::Kind::not_found) {
            spdlog::error("client look-up failed: {}", client.error().message);
        }
        return std::nullopt;
    }
    return web::ClientSummary{client->client_id, client->name, client->scopes};
}

void App::add_routes() {
    using http::Method;
    router_.add(Method::get, "/healthz", ops::healthz);
    router_.add(Method::get, "/readyz",
                [this](const http::HttpRequest& req) { return readiness_.handle(req); });
    router_.add(Method::get, "/metrics",
                [this](const http::HttpRequest&) { return ops::metrics(metrics_); });
    router_.add(Method::get, "/static/*file",
                [this](const http::HttpRequest& req) { return static_files_.serve(req); });
    oidc_.add_routes(router_);
    admin_clients_.add_routes(router_);
    admin_billing_.add_routes(router_);
    billing_api_.add_routes(router_);
    payment_notify_.add_routes(router_);
    if (wechat_callback_) {
        wechat_callback_->add_routes(router_);
    }
    org_api_.add_routes(router_);
    orders_api_.add_routes(router_);
    web_.add_routes(router_);
    account_extras_.add_routes(router_);
    me_api_.add_routes(router_);
    // Generate or load the signing keys now, so the first token request does not wait for it.
    if (auto keys = keys_.jwks(); !keys) {
        spdlog::warn("signing keys not ready yet: {}", keys.error().detail);
    }
}

}  // namespace idpd::app
