#pragma once

#include <optional>

#include "account/password_policy.h"
#include "auth/captcha_store.h"
#include "auth/login_throttle.h"
#include "auth/password_hasher.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "http/router.h"
#include "store/database.h"
#include "web/account_email_pages.h"
#include "web/account_pages.h"
#include "web/account_password_pages.h"
#include "web/account_security_pages.h"
#include "web/api_key_pages.h"
#include "web/avatar_pages.h"
#include "web/billing_pages.h"
#include "web/consent_pages.h"
#include "web/deletion_pages.h"
#include "web/dev_outbox_pages.h"
#include "web/email_pages.h"
#include "web/federation_continue_pages.h"
#include "web/federation_pages.h"
#include "web/logout_pages.h"
#include "web/notification_pages.h"
#include "web/org_pages.h"
#include "web/page_kit.h"
#include "web/password_reset_pages.h"
#include "web/phone_pages.h"
#include "web/second_step_pages.h"
#include "web/signin_pages.h"
#include "web/signup_pages.h"
#include "web/step_up_guard.h"
#include "web/topup_pages.h"
#include "web/totp_pages.h"
#include "web/two_step.h"
#include "web/verify_pages.h"

namespace idpd::web {

// Sign-in throttling and the sign-up captcha: their options, and where captcha codes come from
// (the system generator in production; a fixed source in tests, auth/captcha_store.h).
struct Security {
    auth::ThrottleOptions throttle;
    auth::CaptchaOptions captcha;
    auth::RandomSource& captcha_codes;
    // Two-step verification: TOTP secrets are sealed under the master key (required).
    const jose::MasterKey* master_key = nullptr;
    TwoStepOptions two_step{};
};

// The person-facing pages, one group per file:
//   GET  /                         → /account
//   /signin, /signout              signin_pages.h
//   /signup, /terms, /captcha/:id  signup_pages.h
//   /account (Overview), /account/bindings   account_pages.h (the tabs: account_layout.h)
//   /account/security, session revoke        account_security_pages.h
//   /account/emails[/…]                      account_email_pages.h
//   /account/password                        account_password_pages.h
//   /account/avatar[/…], /avatars/:id        avatar_pages.h
//   /consent, /account/apps        consent_pages.h
//   /account/billing[/…]           billing_pages.h (once app/ enables billing)
//   /account/orgs[/…]              org_pages.h (with billing: each organization has an account)
//   /account/billing/topup, /orders/:order_no  topup_pages.h (once app/ enables top-up)
//   /verify-email, resend          email_pages.h
//   /federation/*, binding unbind  federation_pages.h, federation_continue_pages.h
//   /forgot-password, /reset-password  password_reset_pages.h
//   /logout's pages                logout_pages.h (the route is oidc::Provider's; app/ wires it)
//   POST /lang                     remembers a language choice in a cookie
//   GET  /dev/outbox               dev_outbox_pages.h, only with SiteOptions::dev_outbox_page
//   /signin/second-step            second_step_pages.h (after any first factor)
//   /account/security/totp/…       totp_pages.h (enrollment, recovery codes, turning it off)
//   /account/verify                verify_pages.h (step-up; StepUpGuard sends users there)
//   /account/phones, /signin/sms   phone_pages.h (binding a number, signing in by SMS)
//   /account/api-keys              api_key_pages.h
//   /account/notifications         notification_pages.h
//   /account/delete[/…]            deletion_pages.h (the last tab)
// Every POST needs a same-origin Origin/Referer and the form's CSRF token (web/csrf.h); no GET
// changes state. After a POST the browser is sent on with 303.
// What the pages need from the rest of idpd, wired by app/ (web links no protocol code).
struct SiteHooks {
    ClientDirectory clients;             // the consent pages' view of a client
    ConsentWithdrawn consent_withdrawn;  // after a user withdrew a client's consent
    // The configured upstreams (federation/registry.h); nullptr: none, no buttons.
    const federation::Registry* upstreams = nullptr;
    // Whether an account has a verified phone (the Emails tab keeps the last verified address
    // otherwise); empty: never.
    HasVerifiedPhone has_verified_phone;
    // The organizations a user belongs to: the consent page names the one an org:<id>
    // request is for. Empty: nobody belongs to any.
    org::MembershipLookup memberships{};
};

class Site {
public:
    // Throws std::runtime_error when the templates cannot be read.
    Site(SiteOptions options, store::Database& db, const auth::PasswordHasher& hasher,
         account::PasswordPolicy policy, auth::SessionOptions sessions, auth::RandomSource& random,
         Clock clock, Security security, SiteHooks hooks = {});

    void add_routes(http::Router& router);

    const Renderer& renderer() const { return kit_.renderer(); }

    // The live session of the browser that sent `req`, when its user is active: what
    // /authorize asks (app/ hands it to oidc::Provider). Nullopt when there is none.
    std::optional<auth::Session> signed_in_session(const http::HttpRequest& req) {
        return kit_.signed_in_session(req);
    }

    // Whether `user_id` has two-step verification on (what /authorize's step-up asks).
    store::Result<bool> is_two_step_enrolled(std::int64_t user_id) {
        return two_step_.is_enrolled(user_id);
    }

    const TwoStepOptions& two_step_options() const { return two_step_.options(); }

    // The gate of sensitive operations, for pages added later (web/step_up_guard.h).
    StepUpGuard& step_up_guard() { return guard_; }

    // The pages /logout renders (oidc::LogoutEndpoint decides, app/ connects the two).
    LogoutPages& logout_pages() { return logout_; }

    // The page for an address nothing serves (http::Router::set_not_found): the layout in the
    // visitor's language for a browser, JSON for anyone else; status 404.
    http::HttpResponse not_found(const http::HttpRequest& req);

    // The page for an authorization request that cannot go back to its client (bad client_id,
    // redirect_uri, …): the layout in the person's language (ui_locales, the switch,
    // Accept-Language), with `status` and the OAuth error (`code: description`) for the RP's
    // developer. app/ wires it to oidc::Provider::set_refusal_page.
    http::HttpResponse refusal(const http::HttpRequest& req, int status,
                               const std::string& problem);

    // Who hears of every session the pages end (PageKit::set_session_end_listener).
    void set_session_end_listener(SessionEndListener listener) {
        kit_.set_session_end_listener(std::move(listener));
    }

    // Who hears of every password set anew (PageKit::set_password_change_listener).
    void set_password_change_listener(PasswordChangeListener listener) {
        kit_.set_password_change_listener(std::move(listener));
    }

    // Where the API key pages find the user's organizations; set once before serving.
    void set_memberships(org::MembershipLookup memberships) {
        api_keys_.set_memberships(std::move(memberships));
    }

    // Serves the billing pages (billing_pages.h) with these plans, and the organizations
    // (org_pages.h), whose context the billing pages follow; call before add_routes. A first
    // WeChat binding credits `wechat_binding_bonus_quota` units (0: none) to the personal
    // account's bonus quota, in the binding's transaction.
    void enable_billing(billing::Catalog plans, std::int64_t wechat_binding_bonus_quota = 0);

    // Serves the top-up pages (topup_pages.h); call before add_routes.
    void enable_topup(TopupSettings settings) { topup_.emplace(kit_, guard_, std::move(settings)); }

    // Offers the WeChat channel on /account/notifications, linked by scanning the official
    // account's QR codes that `qrcode` creates (notification_pages.h); call before add_routes.
    void enable_wechat_notices(WechatQrCode qrcode) {
        notifications_.enable_wechat(std::move(qrcode));
    }

private:
    http::HttpResponse post_lang(const http::HttpRequest& req);

    federation::Registry no_upstreams_;
    const federation::Registry& upstreams_;
    PageKit kit_;
    auth::LoginThrottle throttle_;
    auth::CaptchaStore captchas_;
    TwoStep two_step_;
    SecondStepPages second_step_;
    StepUpGuard guard_;
    VerifyPages verify_;
    TotpPages totp_;
    SigninPages signin_;
    SignupPages signup_;
    AccountPages account_;
    AccountSecurityPages account_security_;
    AccountEmailPages account_emails_;
    AccountPasswordPages account_password_;
    AvatarPages avatars_;
    ConsentPages consent_;
    EmailPages email_;
    PasswordResetPages reset_;
    DevOutboxPages dev_outbox_;
    LogoutPages logout_;
    FederationPages federation_;
    FederationContinuePages federation_continue_;
    std::optional<BillingPages> billing_;
    std::optional<OrgPages> orgs_;
    PhonePages phones_;
    ApiKeyPages api_keys_;
    NotificationPages notifications_;
    std::optional<TopupPages> topup_;
    DeletionPages deletion_;
};

}  // namespace idpd::web
