#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/router.h"
#include "org/org_store.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// Organizations in the account center, and the billing context switch:
//   GET  /account/orgs                         my organizations (with my role), the create form,
//                                              invitations waiting for me (accept / decline)
//   POST /account/orgs                         name, display_name: create (I become the owner)
//   GET  /account/orgs/invitation?token=…      the invitation a mail links to
//   POST /account/orgs/invitations/:id/accept  join (the invitee only: the account invited, or
//   POST /account/orgs/invitations/:id/decline the holder of the invited address, verified)
//   GET  /account/orgs/:id                     the organization center: members and roles, the
//                                              role permissions, invitations, every action below
//   POST /account/orgs/:id/invitations         invitee (username or email), role
//   POST /account/orgs/:id/invitations/:inv/revoke
//   POST /account/orgs/:id/members/:user/role  role=admin|member
//   POST /account/orgs/:id/members/:user/remove   (step-up)
//   POST /account/orgs/:id/leave
//   POST /account/orgs/:id/transfer            user=<id> (step-up)
//   POST /account/orgs/:id/delete              (step-up; only at a zero balance)
//   POST /account/billing/context              org=<id>|0: the billing pages' context
// Outcomes come back as ?done=… or ?error=… (org::code_name), worded from the catalogs.
class OrgPages {
public:
    OrgPages(PageKit& kit, StepUpGuard& guard, org::StoreOptions options)
        : kit_(kit), guard_(guard), options_(std::move(options)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_list(const http::HttpRequest& req);
    http::HttpResponse post_create(const http::HttpRequest& req);
    http::HttpResponse get_invitation(const http::HttpRequest& req);
    http::HttpResponse post_answer(const http::HttpRequest& req, bool accept);
    http::HttpResponse get_center(const http::HttpRequest& req);
    http::HttpResponse post_invite(const http::HttpRequest& req);
    http::HttpResponse post_revoke(const http::HttpRequest& req);
    http::HttpResponse post_role(const http::HttpRequest& req);
    http::HttpResponse post_remove(const http::HttpRequest& req);
    http::HttpResponse post_leave(const http::HttpRequest& req);
    http::HttpResponse post_transfer(const http::HttpRequest& req);
    http::HttpResponse post_delete(const http::HttpRequest& req);
    http::HttpResponse post_context(const http::HttpRequest& req);

    // The signed-in visit of a POST with a good CSRF token, or the answer to send instead.
    std::optional<http::HttpResponse> refuse_post(const http::HttpRequest& req, Visit& visit,
                                                  const std::string& back);

    org::OrgStore store() { return org::OrgStore(kit_.db(), options_); }

    // The visit's user with their verified addresses, as invitations are matched.
    std::optional<org::Respondent> respondent(const Visit& visit);
    // Adds ?done= / ?error= words as notice / form_error.
    void add_outcome(const http::HttpRequest& req, const Visit& visit, mstch::map& data);
    // The page at `back` with ?error=<code> (and a log line for database failures).
    http::HttpResponse fail_to(Visit& visit, const std::string& back, const org::Error& error);
    void audit(const http::HttpRequest& req, const Visit& visit, audit::EventType type,
               std::int64_t org_id, nlohmann::json detail = nlohmann::json::object());

    PageKit& kit_;
    StepUpGuard& guard_;
    org::StoreOptions options_;
};

// The id in a path parameter, or nullopt when it is not a positive decimal number.
std::optional<std::int64_t> path_id(const http::HttpRequest& req, std::string_view name);

}  // namespace idpd::web
