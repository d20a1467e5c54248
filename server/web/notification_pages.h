#pragma once

#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// The account's notification choices (templates/notifications.mustache): GET shows every
// event × channel (notify/preferences.h), POST /account/notifications stores the form and
// answers 303. Security notices by email are shown on and cannot be switched off.
class NotificationPages {
public:
    explicit NotificationPages(PageKit& kit) : kit_(kit) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_preferences(const http::HttpRequest& req);
    http::HttpResponse post_preferences(const http::HttpRequest& req);

    PageKit& kit_;
};

}  // namespace idpd::web
