#include "web/org_mail.h"

#include "notify/outbox.h"

namespace idpd::web {

store::Result<void> enqueue_org_invitation_mail(store::Database& tx, const MailContext& context,
                                                const OrgInvitationMail& mail,
                                                std::chrono::sys_seconds now) {
    const std::map<std::string, std::string> args{
        {"inviter", mail.inviter},
        {"org", mail.org_display_name},
        {"handle", mail.org_name},
        {"role", mail.role},
        {"days", std::to_string(mail.days)},
        {"link", context.issuer + "/account/orgs/invitation?token=" + mail.token},
    };
    notify::Message message;
    message.channel = notify::Channel::email;
    message.to = mail.to;
    message.subject = context.renderer.text(context.locale, "orgs.mail.subject", args);
    message.text = context.renderer.text(context.locale, "orgs.mail.body", args) + "\n\n" +
                   context.renderer.text(context.locale, "mail.signature", args) + "\n";
    message.kind = "org_invitation";
    auto queued = notify::enqueue(tx, message, now);
    if (!queued) {
        return std::unexpected(queued.error());
    }
    return {};
}

}  // namespace idpd::web
