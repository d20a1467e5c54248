#pragma once

#include "account/password_policy.h"
#include "auth/login_throttle.h"
#include "auth/password_hasher.h"
#include "http/router.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"
#include "web/two_step.h"

namespace idpd::web {

// The account center's Password tab (web/account_layout.h):
//   GET/POST /account/password
// With a password: the old one, the new one twice (design.md §2 "old + new"); with two-step
// verification on, the step-up guard first (a second factor within totp.step_up_window).
// Without a password (an account made through an upstream): set one, after the step-up guard.
// Afterwards every other session ends (this one stays), refresh tokens end
// (PageKit::password_changed) and a notice goes to the primary verified address.
class AccountPasswordPages {
public:
    AccountPasswordPages(PageKit& kit, StepUpGuard& guard, TwoStep& two_step,
                         const auth::PasswordHasher& hasher, account::PasswordPolicy policy,
                         auth::LoginThrottle& throttle)
        : kit_(kit),
          guard_(guard),
          two_step_(two_step),
          hasher_(hasher),
          policy_(policy),
          throttle_(throttle) {}

    void add_routes(http::Router& router);

private:
    struct Problems {
        std::vector<std::string> old_password, password, confirm;
    };

    http::HttpResponse get_password(const http::HttpRequest& req);
    http::HttpResponse post_password(const http::HttpRequest& req);
    http::HttpResponse form_page(const http::HttpRequest& req, Visit& visit, int status,
                                 const Problems& problems);
    // The guard this account needs: with TOTP on or without a password; nullopt: go on.
    std::optional<http::HttpResponse> gate(Visit& visit);
    // Whether `typed` is the account's password, counted against the user's sign-in throttle.
    // nullopt: the throttle holds (Problems gets the message), or the database failed (503).
    std::expected<bool, http::HttpResponse> old_password_ok(Visit& visit, const std::string& typed,
                                                            Problems& problems);
    http::HttpResponse store_password(const http::HttpRequest& req, Visit& visit,
                                      const std::string& hash);

    PageKit& kit_;
    StepUpGuard& guard_;
    TwoStep& two_step_;
    const auth::PasswordHasher& hasher_;
    account::PasswordPolicy policy_;
    auth::LoginThrottle& throttle_;
};

}  // namespace idpd::web
