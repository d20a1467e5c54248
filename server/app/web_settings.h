#pragma once

#include "account/password_policy.h"
#include "app/config.h"
#include "auth/password_hasher.h"
#include "auth/session_store.h"
#include "web/site.h"

namespace idpd::app {

// The configuration mapped onto the pages' and sessions' own options.
web::SiteOptions site_options(const Config& config);
auth::SessionOptions session_options(const Config& config);
account::PasswordPolicy password_policy(const Config& config);

// The Argon2id hasher of [passwords]; throws std::runtime_error for refused parameters.
auth::PasswordHasher password_hasher_or_throw(const Config& config);

}  // namespace idpd::app
