#pragma once

#include <chrono>
#include <functional>

#include "api/authenticator.h"
#include "http/router.h"
#include "store/database.h"

namespace idpd::api {

// The account API's view of the caller's own account (scope `account`, api/caller.h):
//   GET   /api/v1/me           {id, username, name, picture, email, email_verified, created_at}
//   PATCH /api/v1/me           changes `username` and `name` only; every other member (balance,
//                              plan, role, email_verified, …) is ignored, never applied
//   GET   /api/v1/me/emails    the addresses, primary first
//   GET   /api/v1/me/sessions  the live browser sessions
//   GET   /api/v1/me/signins   the recent sign-ins (auth/signin_history_store.h)
// The same rules as the account center's pages: the username rules, uniqueness and
// [account] username_change_cooldown.
class MeApi {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // `issuer`: the origin an uploaded avatar's `picture` URL starts with.
    MeApi(const Authenticator& auth, store::Database& db, std::string issuer,
          std::chrono::seconds rename_cooldown, Clock clock)
        : auth_(auth),
          db_(db),
          issuer_(std::move(issuer)),
          rename_cooldown_(rename_cooldown),
          clock_(std::move(clock)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_me(const http::HttpRequest& req);
    http::HttpResponse patch_me(const http::HttpRequest& req);
    http::HttpResponse get_emails(const http::HttpRequest& req);
    http::HttpResponse get_sessions(const http::HttpRequest& req);
    http::HttpResponse get_signins(const http::HttpRequest& req);
    // The username change of a PATCH; nullopt when it went through (or changed nothing).
    std::optional<http::HttpResponse> rename(const http::HttpRequest& req, std::int64_t user_id,
                                             const nlohmann::json& value);
    std::chrono::sys_seconds now() const;

    const Authenticator& auth_;
    store::Database& db_;
    std::string issuer_;
    std::chrono::seconds rename_cooldown_;
    Clock clock_;
};

}  // namespace idpd::api
