#include "app/logout_hooks.h"

#include <spdlog/spdlog.h>

namespace idpd::app {

oidc::LogoutPages logout_hooks(web::Site& site) {
    oidc::LogoutPages hooks;
    hooks.respond = [&site](const http::HttpRequest& req, const oidc::LogoutDecision& decision) {
        web::LogoutView view;
        view.ask = decision.action == oidc::LogoutDecision::Action::confirm;
        if (decision.client) {
            view.client_name = decision.client->name;
        }
        view.redirect_to = decision.redirect_to;
        view.ui_locales = decision.ui_locales;
        view.form_action = decision.form_action;
        view.carried = decision.carried;
        return site.logout_pages().respond(req, view);
    };
    hooks.refuse = [&site](const http::HttpRequest& req, const oidc::Error& error) {
        int status = oidc::http_status(error.code);
        std::string reason = oidc::sanitize_description(error.description);
        if (status >= 500) {
            spdlog::error("request {}: logout: {} ({})", req.request_id, error.description,
                          error.detail);
            reason = "the server could not complete the request; request id " + req.request_id;
        } else {
            status = 400;
            spdlog::info("request {}: logout refused: {} ({})", req.request_id, error.description,
                         error.detail);
        }
        return site.logout_pages().refuse(req, status, reason);
    };
    return hooks;
}

}  // namespace idpd::app
