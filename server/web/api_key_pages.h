#pragma once

#include <optional>
#include <string>
#include <vector>

#include "account/api_keys.h"
#include "http/router.h"
#include "org/membership.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// The account's API keys (templates/api_keys.mustache):
//   GET  /account/api-keys              the keys (scopes, organization, expiry, last use)
//                                       and the create form
//   POST /account/api-keys              creates one; the answer shows its secret, once
//   POST /account/api-keys/:id/revoke   revokes one of the user's keys
// Both POSTs pass the step-up guard. The organization must be one the user belongs to (the
// membership lookup app/ sets; without it, only personal keys).
class ApiKeyPages {
public:
    ApiKeyPages(PageKit& kit, StepUpGuard& guard, const jose::MasterKey& master)
        : kit_(kit), guard_(guard), hasher_(master) {}

    void add_routes(http::Router& router);

    // Where the user's organizations come from; set once by app/ before serving.
    void set_memberships(org::MembershipLookup memberships) {
        memberships_ = std::move(memberships);
    }

private:
    struct CreateForm {
        std::string name;
        std::vector<std::string> scopes;
        std::string org;
        std::string expiry = "90";
        std::string name_error;
        std::string scope_error;
        std::string org_error;
        std::string form_error;
        std::string secret;  // a key just created
        std::string notice;
    };

    http::HttpResponse get_keys(const http::HttpRequest& req);
    http::HttpResponse post_create(const http::HttpRequest& req);
    http::HttpResponse post_revoke(const http::HttpRequest& req);
    http::HttpResponse keys_page(Visit& visit, int status, const CreateForm& form);
    // Checks the form; fills the field errors. The organization id when one was chosen.
    std::optional<std::int64_t> check_form(const Visit& visit, CreateForm& form,
                                           const std::vector<org::Membership>& orgs);
    store::Result<std::vector<org::Membership>> organizations(std::int64_t user_id) const;
    mstch::array key_rows(const Visit& visit, const std::vector<account::ApiKey>& keys,
                          const std::vector<org::Membership>& orgs) const;

    PageKit& kit_;
    StepUpGuard& guard_;
    account::ApiKeyHasher hasher_;
    org::MembershipLookup memberships_;
};

}  // namespace idpd::web
