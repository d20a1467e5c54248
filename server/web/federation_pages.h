#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "account/user.h"
#include "federation/binding_store.h"
#include "federation/connector.h"
#include "federation/registry.h"
#include "http/router.h"
#include "web/page_kit.h"
#include "web/second_step_pages.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// The browser secret that binds each upstream login's state to this browser, and the token of
// an upstream identity waiting to be bound (federation/login_state_store.h,
// federation/pending_identity_store.h). Both HttpOnly, SameSite=Lax: the upstream's redirect
// back is a top-level GET, which carries them.
inline constexpr std::string_view federation_cookie = "idpd_fed";
inline constexpr std::string_view upstream_pending_cookie = "idpd_fed_pending";

// Signing in with an upstream (federation/registry.h):
//   POST /federation/:provider/start     intent=sign_in|bind, return_to; sends the browser up
//   GET  /federation/:provider/callback  checks state (this browser, once, unexpired), then:
//        bound identity → session; unbound → /federation/continue (federation_continue_pages.h);
//        intent=bind → the identity is bound to the signed-in account
//   POST /account/bindings/:id/unbind    after the step-up guard; refused while it is the
//                                        account's last way to sign in
// Upstream failures (denied, expired code, API errors) become error pages, never crashes.
class FederationPages {
public:
    FederationPages(PageKit& kit, const federation::Registry& upstreams,
                    SecondStepPages& second_step, StepUpGuard& guard)
        : kit_(kit), upstreams_(upstreams), second_step_(second_step), guard_(guard) {}

    void add_routes(http::Router& router);

    // How a first WeChat binding's bonus is credited (web/site.h sets it with billing); every
    // bind here and on the continue pages passes it to federation::BindingStore.
    void set_bonus_grant(federation::BonusGrant grant) { bonus_grant_ = std::move(grant); }

    const federation::BonusGrant& bonus_grant() const { return bonus_grant_; }

    // Opens the session of `user` after an upstream sign-in and continues where the browser
    // was going. The one place an upstream sign-in becomes a session, through
    // SecondStepPages::begin, so an account with TOTP is asked for a code first.
    http::HttpResponse open_upstream_session(const http::HttpRequest& req, Visit& visit,
                                             const account::User& user, std::string_view provider,
                                             const std::string& return_to);

private:
    http::HttpResponse post_start(const http::HttpRequest& req);
    http::HttpResponse get_callback(const http::HttpRequest& req);
    http::HttpResponse post_unbind(const http::HttpRequest& req);
    // A bound identity signs in, an unbound one waits on /federation/continue.
    http::HttpResponse signed_in_upstream(const http::HttpRequest& req, Visit& visit,
                                          const federation::UpstreamIdentity& identity,
                                          const std::string& return_to);
    http::HttpResponse bind_to_account(Visit& visit, std::int64_t user_id,
                                       const federation::UpstreamIdentity& identity);
    http::HttpResponse upstream_error(Visit& visit, const federation::Connector& connector,
                                      const federation::Error& error);
    std::string redirect_uri(std::string_view provider) const;

    federation::BonusGrant bonus_grant_;

    PageKit& kit_;
    const federation::Registry& upstreams_;
    SecondStepPages& second_step_;  // an account with TOTP passes it after an upstream too
    StepUpGuard& guard_;            // unbinding is a sensitive operation
};

// The upstream buttons a page shows (templates/partials/upstreams.mustache): one POST form per
// configured upstream not named in `except`, carrying `intent` and `return_to`.
mstch::array upstream_buttons(const PageKit& kit, const Visit& visit,
                              const federation::Registry& upstreams, std::string_view intent,
                              const std::string& return_to,
                              const std::vector<std::string>& except = {});

}  // namespace idpd::web
