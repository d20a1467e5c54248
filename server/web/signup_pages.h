#pragma once

#include <optional>
#include <string>
#include <vector>

#include "account/email_address.h"
#include "account/password_policy.h"
#include "account/username_rules.h"
#include "auth/captcha_store.h"
#include "auth/password_hasher.h"
#include "federation/registry.h"
#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// GET/POST /signup (username, email, password twice, terms, and the code of a captcha image
// when [captcha] is on), GET /captcha/:id (that image, SVG) and GET /terms (text from config).
// POST /signup with action=new_captcha shows the form again with a new image, checking nothing.
class SignupPages {
public:
    SignupPages(PageKit& kit, const auth::PasswordHasher& hasher, account::PasswordPolicy policy,
                auth::CaptchaStore& captchas, const federation::Registry& upstreams)
        : kit_(kit), hasher_(hasher), policy_(policy), captchas_(captchas), upstreams_(upstreams) {}

    void add_routes(http::Router& router);

private:
    struct SignupForm {
        std::string username, email, return_to;
        bool accept_terms = false;
        std::vector<std::string> username_errors, email_errors, password_errors, confirm_errors,
            terms_errors, captcha_errors;
        bool focus_captcha = false;  // after "new image"
    };

    http::HttpResponse signup_page(Visit& visit, int status, const SignupForm& form);
    http::HttpResponse get_signup(const http::HttpRequest& req);
    http::HttpResponse post_signup(const http::HttpRequest& req);
    http::HttpResponse get_terms(const http::HttpRequest& req);
    http::HttpResponse get_captcha(const http::HttpRequest& req);
    // The captcha part of the page: a new challenge each time the form is shown. Nullopt when
    // the database refused.
    std::optional<mstch::map> captcha_view(Visit& visit, const SignupForm& form, bool autofocus);
    // The typed username and email, checked; each problem goes beside its field.
    std::optional<account::Username> read_username(Visit& visit, SignupForm& form);
    std::optional<account::EmailAddress> read_email(Visit& visit, SignupForm& form);
    // The captcha's error for this answer, or empty when it passed.
    store::Result<std::string> check_captcha(Visit& visit, const std::string& id,
                                             const std::string& answer);
    http::HttpResponse create_account(const http::HttpRequest& req, Visit& visit, SignupForm& form,
                                      const account::Username& username,
                                      const account::EmailAddress& email,
                                      const std::string& password);

    PageKit& kit_;
    const auth::PasswordHasher& hasher_;
    account::PasswordPolicy policy_;
    auth::CaptchaStore& captchas_;
    const federation::Registry& upstreams_;  // "register with another account"
};

}  // namespace idpd::web
