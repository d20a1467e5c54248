#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "api/authenticator.h"
#include "auth/random_source.h"
#include "http/router.h"
#include "org/org_store.h"
#include "store/database.h"

namespace idpd::api {

// Writes the invitation mail to `to` inside `tx` (app/ wires the pages' mail; web/org_mail.h).
using InvitationMailer =
    std::function<store::Result<void>(store::Database& tx, const org::CreatedInvitation& created,
                                      const std::string& inviter, const std::string& to)>;

// Organizations in the account API (scope orgs to read, orgs:manage to change; the caller's
// role still decides, org/permissions.h):
//   GET    /api/v1/orgs                        the caller's organizations, with the role
//   POST   /api/v1/orgs                        {"name", "display_name"} → 201, the caller owns it
//   GET    /api/v1/orgs/:id                    one of them
//   GET    /api/v1/orgs/:id/members            its members and roles
//   POST   /api/v1/orgs/:id/invitations        {"username"} or {"email"}, "role" → 201
//   PATCH  /api/v1/orgs/:id/members/:user_id   {"role": "admin"|"member"}
//   DELETE /api/v1/orgs/:id/members/:user_id   → 204 (removing oneself is leaving)
// An organization the caller is not in (or, for an organization-scoped token, any other one)
// is 404; a role that does not allow the action is 403 forbidden. Members of a body other than
// the ones listed are ignored, so no request sets an id, an owner or a balance.
class OrgApi {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    OrgApi(const Authenticator& auth, store::Database& db, auth::RandomSource& random, Clock clock,
           org::StoreOptions options)
        : auth_(auth),
          db_(db),
          random_(random),
          clock_(std::move(clock)),
          options_(std::move(options)) {}

    // Set once by app/ before serving; without it invitations are only listed, not mailed.
    void set_mailer(InvitationMailer mailer) { mailer_ = std::move(mailer); }

    void add_routes(http::Router& router);

private:
    http::HttpResponse list(const http::HttpRequest& req);
    http::HttpResponse create(const http::HttpRequest& req);
    http::HttpResponse show(const http::HttpRequest& req);
    http::HttpResponse members(const http::HttpRequest& req);
    http::HttpResponse invite(const http::HttpRequest& req);
    http::HttpResponse change_role(const http::HttpRequest& req);
    http::HttpResponse remove(const http::HttpRequest& req);

    std::chrono::sys_seconds now() const;

    org::OrgStore store() { return org::OrgStore(db_, options_); }

    const Authenticator& auth_;
    store::Database& db_;
    auth::RandomSource& random_;
    Clock clock_;
    org::StoreOptions options_;
    InvitationMailer mailer_;
};

}  // namespace idpd::api
