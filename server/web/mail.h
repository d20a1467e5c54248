// The mails the pages send, composed from the catalogs in the reader's language and written to
// the outbox (notify::enqueue) inside the caller's transaction, so a mail exists exactly when
// the change that causes it commits.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "account/email_token_store.h"
#include "account/user_email.h"
#include "auth/random_source.h"
#include "store/database.h"
#include "web/locale.h"
#include "web/renderer.h"

namespace idpd::web {

struct MailContext {
    const Renderer& renderer;
    Locale locale = Locale::zh_cn;
    std::string issuer;  // links start here
};

struct MailTo {
    std::int64_t user_id = 0;
    std::string username;
    std::string email;
};

// A link mail: a fresh single-use token for `purpose`, valid for `ttl`, and its message.
store::Result<void> enqueue_link_mail(store::Database& tx, auth::RandomSource& random,
                                      const MailContext& context,
                                      account::EmailTokenPurpose purpose, const MailTo& to,
                                      std::chrono::seconds ttl, std::chrono::sys_seconds now);

// Where an account's notices go: the primary address when verified, else any verified one.
std::optional<std::string> notice_address(const std::vector<account::UserEmail>& emails);

}  // namespace idpd::web
