// The account notices the pages send (security, billing, invitations), composed from the
// catalogs in the reader's language for every channel and handed to notify::Notifier inside
// the caller's transaction: email (mail.<name>), SMS (notices.sms.<name>), WeChat (the mail's
// subject, the account, the time and the SMS text as template fields).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "billing/order_store.h"
#include "notify/notifier.h"
#include "org/org_store.h"
#include "store/database.h"
#include "web/mail.h"

namespace idpd::web {

// `to.email`: the address the caller chose for the notice; empty: none (then no email). The
// verified phone and the WeChat link are looked up in `tx`. `name`: the notice's outbox kind
// and its SMS text (notices.sms.<name>); its mail is mail.<name> for the notices that were
// mails before, notices.mail.<name> for the newer ones. `args` fill its placeholders ({name}
// is set from to.username); args["link"], when given, is also where WeChat's message leads.
store::Result<notify::Sent> send_account_notice(store::Database& tx, const MailContext& context,
                                                const notify::WechatTemplates& templates,
                                                notify::NoticeEvent event, const MailTo& to,
                                                std::string_view name,
                                                std::map<std::string, std::string> args,
                                                std::chrono::sys_seconds now);

// The receipt of a paid top-up order (event billing, notice topup_paid), inside the settling
// transaction (billing::PaidHook), to the owner of a personal account at their primary verified
// address. An organization's account has no one person to tell: nothing is sent.
billing::Result<void> send_topup_receipt(store::Database& tx, const MailContext& context,
                                         const notify::WechatTemplates& templates,
                                         const billing::Order& order);

// The notice of an organization's invitation to an existing account (event org_invitation):
// the invited account by name, or the one account that has the invited address verified;
// nobody for an address no account has. By SMS and WeChat only: the invitation itself is the
// mail (web/org_mail.h), sent whatever the preferences say.
store::Result<void> send_org_invitation_notice(store::Database& tx, const MailContext& context,
                                               const notify::WechatTemplates& templates,
                                               const org::Invitation& invitation,
                                               const std::string& inviter,
                                               std::chrono::sys_seconds now);

}  // namespace idpd::web
