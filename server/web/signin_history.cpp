#include "web/signin_history.h"

#include <spdlog/spdlog.h>

#include "auth/signin_history_store.h"
#include "web/form_view.h"

namespace idpd::web {

std::string device_of(const http::HttpRequest& req) {
    auto [browser, os] = describe_agent(req.headers.get("User-Agent").value_or(""));
    if (browser.empty() && os.empty()) {
        return "?";
    }
    if (browser.empty() || os.empty()) {
        return browser + os;
    }
    return browser + " / " + os;
}

void record_signin(PageKit& kit, const http::HttpRequest& req, std::int64_t user_id,
                   const std::string& method, bool success) {
    auth::SigninHistoryStore history{kit.db()};
    auth::SigninAttempt attempt{user_id,        kit.now(), PageKit::client_ip(req),
                                device_of(req), method,    success};
    if (auto recorded = history.record(attempt); !recorded) {
        spdlog::error("cannot record a sign-in of user {}: {}", user_id, recorded.error().message);
    }
}

}  // namespace idpd::web
