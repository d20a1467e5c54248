#include "web/account_mail.h"

#include "notify/outbox.h"

namespace idpd::web {
namespace {

store::Result<void> enqueue(store::Database& tx, const MailContext& context,
                            std::string_view section, const std::string& to,
                            const std::map<std::string, std::string>& args, std::string_view kind,
                            std::chrono::sys_seconds now) {
    const std::string prefix = "center.mail." + std::string(section) + ".";
    notify::Message message;
    message.channel = notify::Channel::email;
    message.to = to;
    message.subject = context.renderer.text(context.locale, prefix + "subject", args);
    message.text = context.renderer.text(context.locale, prefix + "body", args) + "\n\n" +
                   context.renderer.text(context.locale, "mail.signature", args) + "\n";
    message.kind = std::string(kind);
    auto queued = notify::enqueue(tx, message, now);
    if (!queued) {
        return std::unexpected(queued.error());
    }
    return {};
}

}  // namespace

store::Result<void> enqueue_address_in_use_mail(store::Database& tx, const MailContext& context,
                                                const std::string& email,
                                                std::chrono::sys_seconds now) {
    return enqueue(tx, context, "address_in_use", email,
                   {{"email", email}, {"link", context.issuer + "/account/emails"}},
                   "address_in_use", now);
}

store::Result<void> enqueue_step_up_code_mail(store::Database& tx, const MailContext& context,
                                              const MailTo& to, const std::string& code,
                                              std::chrono::seconds ttl,
                                              std::chrono::sys_seconds now) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(ttl).count();
    return enqueue(tx, context, "step_up_code", to.email,
                   {{"name", to.username}, {"code", code}, {"minutes", std::to_string(minutes)}},
                   "step_up_code", now);
}

}  // namespace idpd::web
