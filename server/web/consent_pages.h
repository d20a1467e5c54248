#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/consent_store.h"
#include "http/router.h"
#include "org/membership.h"
#include "web/page_kit.h"

namespace idpd::web {

// What the consent pages show about a client; app/ looks it up in oidc's client store.
struct ClientSummary {
    std::string client_id;
    std::string name;
    std::vector<std::string> scopes;  // the scopes it may ask for
};

using ClientDirectory = std::function<std::optional<ClientSummary>(std::string_view client_id)>;

// Called after a user withdrew a client's consent, so what the client holds (refresh tokens)
// can end too.
using ConsentWithdrawn = std::function<void(std::int64_t user_id, const std::string& client_id)>;

// GET/POST /consent: "<app> wants to …" with each requested scope in the reader's language,
// Allow / Deny; /authorize sends the browser here and gets it back through return_to.
// GET /account/apps: the clients the user has allowed; POST /account/apps/:client_id/withdraw.
class ConsentPages {
public:
    ConsentPages(PageKit& kit, ClientDirectory clients, ConsentWithdrawn on_withdraw = {},
                 org::MembershipLookup memberships = {})
        : kit_(kit),
          consents_(kit.db()),
          clients_(std::move(clients)),
          on_withdraw_(std::move(on_withdraw)),
          memberships_(std::move(memberships)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_consent(const http::HttpRequest& req);
    http::HttpResponse post_consent(const http::HttpRequest& req);
    http::HttpResponse get_apps(const http::HttpRequest& req);
    http::HttpResponse post_withdraw(const http::HttpRequest& req);
    // The scopes as lines a person can read: known ones from the catalog, an organization
    // scope naming the organization (from `orgs`), others by name.
    mstch::array scope_lines(const Visit& visit, const std::vector<std::string>& scopes,
                             const std::vector<org::Membership>& orgs = {}) const;
    // The requested scopes the client may ask for, the organization scope (org:<id>) only for
    // a client allowed `orgs` and a member of it; nullopt when it names another organization.
    // Errors: database failures.
    store::Result<std::optional<std::vector<std::string>>> allowed_scopes(
        const ClientSummary& client, std::int64_t user_id, const std::string& requested,
        std::vector<org::Membership>& orgs) const;

    PageKit& kit_;
    auth::ConsentStore consents_;
    ClientDirectory clients_;
    ConsentWithdrawn on_withdraw_;
    org::MembershipLookup memberships_;
};

}  // namespace idpd::web
