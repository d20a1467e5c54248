// The account notices the pages send (security, billing, invitations), composed from the
// catalogs in the reader's language for every channel and handed to notify::Notifier inside
// the caller's transaction: email (mail.<name>), SMS (notices.sms.<name>), WeChat (the mail's
// subject, the account, the time and the SMS text as template fields).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "notify/notifier.h"
#include "store/database.h"
#include "web/mail.h"

namespace idpd::web {

// `to.email`: the address the caller chose for the notice; empty: none (then no email). The
// verified phone and the WeChat link are looked up in `tx`. `name`: the catalog key of the
// notice and its outbox kind; `args` fill its placeholders ({name} is set from to.username);
// args["link"], when given, is also where the WeChat message leads.
store::Result<notify::Sent> send_account_notice(store::Database& tx, const MailContext& context,
                                                const notify::WechatTemplates& templates,
                                                notify::NoticeEvent event, const MailTo& to,
                                                std::string_view name,
                                                std::map<std::string, std::string> args,
                                                std::chrono::sys_seconds now);

}  // namespace idpd::web
