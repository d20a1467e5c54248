#include "web/notices.h"

#include "account/user_store.h"
#include "billing/account_store.h"
#include "billing/amount.h"
#include "phone/phone_store.h"
#include "web/form_view.h"

namespace idpd::web {

store::Result<notify::Sent> send_account_notice(store::Database& tx, const MailContext& context,
                                                const notify::WechatTemplates& templates,
                                                notify::NoticeEvent event, const MailTo& to,
                                                std::string_view name,
                                                std::map<std::string, std::string> args,
                                                std::chrono::sys_seconds now) {
    args["name"] = to.username;
    const bool legacy = name == "password_changed" || name == "recovery_code_used";
    const std::string prefix = (legacy ? "mail." : "notices.mail.") + std::string(name) + ".";
    const auto& r = context.renderer;
    notify::Notice notice;
    notice.kind = std::string(name);
    notice.email_subject = r.text(context.locale, prefix + "subject", args);
    notice.email_text = r.text(context.locale, prefix + "body", args) + "\n\n" +
                        r.text(context.locale, "mail.signature", args) + "\n";
    notice.sms_text = r.text(context.locale, "notices.sms." + std::string(name), args);
    notice.wechat_data = {{"first", notice.email_subject},
                          {"keyword1", to.username},
                          {"keyword2", format_time(now) + " UTC"},
                          {"remark", notice.sms_text}};
    if (auto link = args.find("link"); link != args.end()) {
        notice.url = link->second;
    }
    notify::Reach reach;
    if (!to.email.empty()) {
        reach.email = to.email;
    }
    auto phone = phone::PhoneStore{tx}.of_user(to.user_id);
    if (!phone) {
        return std::unexpected(phone.error());
    }
    if (*phone) {
        reach.phone = (*phone)->phone;
    }
    return notify::Notifier{templates}.send(tx, to.user_id, event, notice, reach, now);
}

billing::Result<void> send_topup_receipt(store::Database& tx, const MailContext& context,
                                         const notify::WechatTemplates& templates,
                                         const billing::Order& order) {
    auto account = billing::AccountStore{tx}.get(order.account_id);
    if (!account) {
        return std::unexpected(account.error());
    }
    if (account->owner.kind != billing::OwnerKind::user) {
        return {};
    }
    account::UserStore users{tx};
    auto user = users.find_by_id(account->owner.id);
    auto emails = users.emails(account->owner.id);
    if (!user || !emails) {
        return billing::from_store(!user ? user.error() : emails.error());
    }
    std::string address;
    for (const auto& e : *emails) {
        if (e.is_verified() && (e.is_primary || address.empty())) {
            address = e.email;
        }
    }
    const auto now = order.paid_at.value_or(std::chrono::sys_seconds{});
    auto sent = send_account_notice(tx, context, templates, notify::NoticeEvent::billing,
                                    {user->id, user->username, address}, "topup_paid",
                                    {{"amount", billing::format_yuan(order.amount_fen)},
                                     {"order_no", order.order_no},
                                     {"link", context.issuer + "/account/billing"}},
                                    now);
    if (!sent) {
        return billing::from_store(sent.error());
    }
    return {};
}

store::Result<void> send_org_invitation_notice(store::Database& tx, const MailContext& context,
                                               const notify::WechatTemplates& templates,
                                               const org::Invitation& invitation,
                                               const std::string& inviter,
                                               std::chrono::sys_seconds now) {
    account::UserStore users{tx};
    auto user = invitation.invitee.user_id
                    ? users.find_by_id(*invitation.invitee.user_id)
                    : users.find_by_sign_in_identifier(invitation.invitee.email.value_or(""));
    if (!user) {
        return user.error().kind == store::Error::Kind::not_found ? store::Result<void>{}
                                                                  : std::unexpected(user.error());
    }
    auto sent = send_account_notice(tx, context, templates, notify::NoticeEvent::org_invitation,
                                    {user->id, user->username, ""}, "org_invitation",
                                    {{"org", invitation.org_display_name},
                                     {"inviter", inviter},
                                     {"link", context.issuer + "/account/orgs"}},
                                    now);
    if (!sent) {
        return std::unexpected(sent.error());
    }
    return {};
}

}  // namespace idpd::web
