#pragma once

#include "oidc/logout_endpoint.h"
#include "web/site.h"

namespace idpd::app {

// /logout's pages for oidc::Provider: oidc::LogoutEndpoint decides, web::LogoutPages renders;
// this translates between the two, so neither folder knows the other. `site` must outlive the
// result (it may still be under construction now: it is first used by a request).
oidc::LogoutPages logout_hooks(web::Site& site);

}  // namespace idpd::app
