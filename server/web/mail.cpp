#include "web/mail.h"

#include "notify/outbox.h"

namespace idpd::web {
namespace {

std::string minutes_text(std::chrono::seconds ttl) {
    return std::to_string(std::chrono::duration_cast<std::chrono::minutes>(ttl).count());
}

store::Result<void> enqueue_mail(store::Database& tx, const MailContext& context,
                                 std::string_view section, const MailTo& to,
                                 const std::map<std::string, std::string>& args,
                                 std::string_view kind, std::chrono::sys_seconds now) {
    const std::string prefix = "mail." + std::string(section) + ".";
    notify::Message message;
    message.channel = notify::Channel::email;
    message.to = to.email;
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

store::Result<void> enqueue_link_mail(store::Database& tx, auth::RandomSource& random,
                                      const MailContext& context,
                                      account::EmailTokenPurpose purpose, const MailTo& to,
                                      std::chrono::seconds ttl, std::chrono::sys_seconds now) {
    account::EmailTokenStore tokens(tx, random);
    auto token = tokens.issue(purpose, to.user_id, to.email, ttl, now);
    if (!token) {
        return std::unexpected(token.error());
    }
    const bool reset = purpose == account::EmailTokenPurpose::password_reset;
    const std::string link =
        context.issuer + (reset ? "/reset-password?token=" : "/verify-email?token=") + *token;
    return enqueue_mail(tx, context, reset ? "reset" : "verify", to,
                        {{"name", to.username},
                         {"link", link},
                         {"minutes", minutes_text(ttl)},
                         {"email", to.email}},
                        account::purpose_name(purpose), now);
}

std::optional<std::string> notice_address(const std::vector<account::UserEmail>& emails) {
    std::optional<std::string> chosen;
    for (const auto& e : emails) {
        if (e.is_verified() && (e.is_primary || !chosen)) {
            chosen = e.email;
        }
    }
    return chosen;
}

}  // namespace idpd::web
