#include "web/deletion_mail.h"

#include <map>

#include "notify/outbox.h"

namespace idpd::web {
namespace {

std::string_view kind_name(DeletionMail kind) {
    switch (kind) {
        case DeletionMail::scheduled:
            return "scheduled";
        case DeletionMail::cancelled:
            return "cancelled";
        case DeletionMail::refused:
            return "refused";
        case DeletionMail::deleted:
            return "deleted";
    }
    return "scheduled";
}

}  // namespace

store::Result<void> enqueue_deletion_mail(store::Database& tx, const MailContext& context,
                                          DeletionMail kind, const MailTo& to,
                                          const std::string& date, std::chrono::sys_seconds now) {
    const std::string name(kind_name(kind));
    const std::string link =
        context.issuer + (kind == DeletionMail::refused ? "/account/orgs" : "/account/delete");
    const std::map<std::string, std::string> args{
        {"name", to.username}, {"date", date}, {"link", link}};
    const std::string prefix = "deletion.mail." + name + ".";
    notify::Message message;
    message.channel = notify::Channel::email;
    message.to = to.email;
    message.subject = context.renderer.text(context.locale, prefix + "subject", args);
    message.text = context.renderer.text(context.locale, prefix + "body", args) + "\n\n" +
                   context.renderer.text(context.locale, "mail.signature", args) + "\n";
    message.kind = "account_deletion_" + name;
    auto queued = notify::enqueue(tx, message, now);
    if (!queued) {
        return std::unexpected(queued.error());
    }
    return {};
}

}  // namespace idpd::web
