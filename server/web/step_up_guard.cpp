#include "web/step_up_guard.h"

#include <spdlog/spdlog.h>

#include "web/form_view.h"

namespace idpd::web {

store::Result<bool> StepUpGuard::is_recent(const Visit& visit) {
    if (!visit.session) {
        return false;
    }
    auto enrolled = two_step_.is_enrolled(visit.session->user_id);
    if (!enrolled) {
        return std::unexpected(enrolled.error());
    }
    const auto window = two_step_.options().step_up_window;
    if (*enrolled) {
        return two_step_.second_factor_within(visit, window);
    }
    // Without a second factor the password is what can be asked: typed at sign-in or since.
    auto last = visit.session->auth_time;
    if (visit.session->reauth_at && *visit.session->reauth_at > last) {
        last = *visit.session->reauth_at;
    }
    const auto now = kit_.now();
    return now >= last && now - last < window;
}

std::optional<http::HttpResponse> StepUpGuard::require(Visit& visit, const std::string& return_to) {
    auto recent = is_recent(visit);
    if (!recent) {
        spdlog::error("step-up guard: {}", recent.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (*recent) {
        return std::nullopt;
    }
    std::string target = checked_return_to(return_to);
    if (target.empty()) {
        target = "/account";
    }
    return kit_.redirect(visit, "/account/verify?return_to=" + http::url_encode(target));
}

}  // namespace idpd::web
