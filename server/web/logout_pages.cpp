#include "web/logout_pages.h"

#include "web/cookies.h"
#include "web/form_input.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

Visit LogoutPages::begin(const HttpRequest& req, const std::string& ui_locales) {
    Visit visit = kit_.begin(req);
    // A POST carries ui_locales in its body, which PageKit::begin does not read.
    if (!ui_locales.empty()) {
        const auto lang = cookie_value(req, kit_.cookies().name(lang_cookie)).value_or("");
        const auto accept = req.headers.get("Accept-Language").value_or("");
        visit.locale = negotiate_locale({ui_locales, lang, accept});
    }
    return visit;
}

HttpResponse LogoutPages::respond(const HttpRequest& req, const LogoutView& view) {
    Visit visit = begin(req, view.ui_locales);
    bool end = !view.ask;
    if (view.ask && req.method == http::Method::post) {
        const Form submitted(req);
        if (submitted.get("confirm") == "1") {
            if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
                return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
            }
            end = true;
        }
    }
    if (!end && !visit.user) {
        end = true;  // signed out already (another tab): nothing to ask about
    }
    if (!end) {
        auto data = kit_.base_data(visit, kit_.text(visit, "logout.title"), true);
        data["question"] = view.client_name.empty() ? kit_.text(visit, "logout.question")
                                                    : kit_.text(visit, "logout.question_client",
                                                                {{"client", view.client_name}});
        data["form_action"] = view.form_action;
        mstch::array carried;
        for (const auto& [name, value] : view.carried) {
            carried.push_back(mstch::map{{"name", name}, {"value", value}});
        }
        data["carried"] = carried;
        return kit_.page(visit, "logout_confirm", 200, std::move(data));
    }
    if (!kit_.end_session(visit)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!view.redirect_to.empty()) {
        return kit_.redirect(visit, view.redirect_to);
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "logout.signed_out_heading"), true);
    return kit_.page(visit, "signed_out", 200, std::move(data));
}

HttpResponse LogoutPages::refuse(const HttpRequest& req, int status, const std::string& reason) {
    Visit visit = kit_.begin(req);
    auto data = kit_.base_data(visit, kit_.text(visit, "logout.refused_heading"), true);
    data["heading"] = kit_.text(visit, "logout.refused_heading");
    data["message"] = kit_.text(visit, "logout.refused", {{"reason", reason}});
    return kit_.page(visit, "error", status, std::move(data));
}

}  // namespace idpd::web
