// The notices of account deletion by email (section deletion.mail of the catalogs), written to
// the outbox inside the caller's transaction (like web/account_mail.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account/user_email.h"
#include "store/database.h"
#include "web/mail.h"

namespace idpd::web {

enum class DeletionMail {
    scheduled,  // {date}: when; {link}: the page to cancel on
    cancelled,  // by the user
    refused,    // by the sweep: the user owns an organization; {link}: the organizations page
    deleted,    // the last one, sent as the addresses are deleted
};

// Queues `kind` to `to.email`; `date` fills {date} (scheduled only).
store::Result<void> enqueue_deletion_mail(store::Database& tx, const MailContext& context,
                                          DeletionMail kind, const MailTo& to,
                                          const std::string& date, std::chrono::sys_seconds now);

}  // namespace idpd::web
