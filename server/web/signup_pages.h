#pragma once

#include <string>
#include <vector>

#include "account/password_policy.h"
#include "auth/password_hasher.h"
#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// GET/POST /signup (username, email, password twice, terms) and GET /terms (text from config).
class SignupPages {
public:
    SignupPages(PageKit& kit, const auth::PasswordHasher& hasher, account::PasswordPolicy policy)
        : kit_(kit), hasher_(hasher), policy_(policy) {}

    void add_routes(http::Router& router);

private:
    struct SignupForm {
        std::string username, email, return_to;
        bool accept_terms = false;
        std::vector<std::string> username_errors, email_errors, password_errors, confirm_errors,
            terms_errors;
    };

    http::HttpResponse signup_page(Visit& visit, int status, const SignupForm& form);
    http::HttpResponse get_signup(const http::HttpRequest& req);
    http::HttpResponse post_signup(const http::HttpRequest& req);
    http::HttpResponse get_terms(const http::HttpRequest& req);

    PageKit& kit_;
    const auth::PasswordHasher& hasher_;
    account::PasswordPolicy policy_;
};

}  // namespace idpd::web
