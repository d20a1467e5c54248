// The account center's notices by email, composed from the catalogs (section center.mail) and
// written to the outbox inside the caller's transaction (like web/mail.h).
#pragma once

#include <chrono>

#include "store/database.h"
#include "web/mail.h"

namespace idpd::web {

// To an address that another account tried to add while an account already has it verified:
// no link (nothing is added), only the fact, so the person adding learns nothing either way.
store::Result<void> enqueue_address_in_use_mail(store::Database& tx, const MailContext& context,
                                                const std::string& email,
                                                std::chrono::sys_seconds now);

// A step-up code (web/verify_pages.h) for an account without a password or TOTP.
store::Result<void> enqueue_step_up_code_mail(store::Database& tx, const MailContext& context,
                                              const MailTo& to, const std::string& code,
                                              std::chrono::seconds ttl,
                                              std::chrono::sys_seconds now);

}  // namespace idpd::web
