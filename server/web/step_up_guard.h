#pragma once

#include <optional>
#include <string>

#include "http/request.h"
#include "web/page_kit.h"
#include "web/two_step.h"

namespace idpd::web {

// The one gate of sensitive operations (design: password, emails, phones, bindings, API keys,
// payments, turning two-step verification off): the signed-in user must have proved a second
// factor — or, without two-step verification, re-entered the password — in this session within
// totp.step_up_window. Otherwise the browser goes to /account/verify (web/verify_pages.h),
// which asks for it and brings the browser back to the page it came from.
//
// How a page uses it, at the top of both the GET that shows the form and the POST that acts:
//     Visit visit = kit_.begin(req);           // signed in (redirect to /signin otherwise)
//     if (auto gate = guard_.require(visit, "/account/password")) {
//         return std::move(*gate);              // 303 to /account/verify?return_to=…
//     }
// The return_to is the form's own page (a GET), not the POST: the user fills the form again
// after verifying, so nothing typed crosses the round trip and no POST is replayed.
class StepUpGuard {
public:
    StepUpGuard(PageKit& kit, TwoStep& two_step) : kit_(kit), two_step_(two_step) {}

    // nullopt when the visit's session passed the check recently enough; otherwise the
    // redirect to the verify page. `return_to` must be a local path (web/return_to.h); another
    // target falls back to /account. A database failure is a 503 page.
    std::optional<http::HttpResponse> require(Visit& visit, const std::string& return_to);

    // Whether the visit's session passed the check within the window (no redirect).
    // Errors: the database's.
    store::Result<bool> is_recent(const Visit& visit);

private:
    PageKit& kit_;
    TwoStep& two_step_;
};

}  // namespace idpd::web
