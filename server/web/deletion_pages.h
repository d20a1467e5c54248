#pragma once

#include <cstdint>
#include <string>

#include "http/router.h"
#include "org/membership.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// The account center's Delete account tab (issue 9 item 10):
//   GET/POST /account/delete          what deletion means and the form: after the step-up
//                                     guard, the user types their username; refused while
//                                     they own an organization. Schedules the deletion
//                                     account.deletion_grace later (account/deletion_store.h),
//                                     audits, mails the primary address and ends every other
//                                     session. The sweep (app/account_deletion.h) deletes.
//   POST /account/delete/cancel       cancels (no step-up: keeping an account is never a risk)
//   GET  /account/delete/scheduled    after a sign-in of a scheduled account: when, with
//                                     Cancel deletion and Continue (to return_to)
class DeletionPages {
public:
    DeletionPages(PageKit& kit, StepUpGuard& guard, org::MembershipLookup memberships)
        : kit_(kit), guard_(guard), memberships_(std::move(memberships)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_delete(const http::HttpRequest& req);
    http::HttpResponse post_delete(const http::HttpRequest& req);
    http::HttpResponse post_cancel(const http::HttpRequest& req);
    http::HttpResponse get_scheduled(const http::HttpRequest& req);
    // The tab: the scheduled state, or the explanation with the owned organizations or the
    // form (with `error` under the username field).
    http::HttpResponse form_page(const http::HttpRequest& req, Visit& visit, int status,
                                 const std::string& error);
    // Schedules the deletion of the visit's account and ends its other sessions.
    http::HttpResponse schedule(const http::HttpRequest& req, Visit& visit);

    PageKit& kit_;
    StepUpGuard& guard_;
    org::MembershipLookup memberships_;
};

// Where a sign-in of `user_id` goes next: `target`, or, while the account's deletion is
// scheduled, /account/delete/scheduled?return_to=`target` (SecondStepPages calls it when a
// session opens). A database failure goes to `target`: the page is a courtesy.
std::string after_sign_in(PageKit& kit, std::int64_t user_id, const std::string& target);

}  // namespace idpd::web
