#pragma once

#include <string>
#include <vector>

#include "auth/password_hasher.h"
#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// GET/POST /signin: username or uniquely verified email + password, "keep me signed in";
// ?login_hint= prefills, ?prompt=login asks a signed-in user again. POST /signout.
class SigninPages {
public:
    SigninPages(PageKit& kit, const auth::PasswordHasher& hasher) : kit_(kit), hasher_(hasher) {}

    void add_routes(http::Router& router);

private:
    struct SigninForm {
        std::string identifier;
        bool remember = false;
        std::string return_to;
        std::vector<std::string> identifier_errors;
        std::vector<std::string> password_errors;
        std::string form_error;
    };

    http::HttpResponse signin_page(Visit& visit, int status, const SigninForm& form,
                                   const std::string& notice = {});
    http::HttpResponse get_signin(const http::HttpRequest& req);
    http::HttpResponse post_signin(const http::HttpRequest& req);
    http::HttpResponse post_signout(const http::HttpRequest& req);

    PageKit& kit_;
    const auth::PasswordHasher& hasher_;
};

}  // namespace idpd::web
