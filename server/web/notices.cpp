#include "web/notices.h"

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
    const std::string prefix = "mail." + std::string(name) + ".";
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

}  // namespace idpd::web
