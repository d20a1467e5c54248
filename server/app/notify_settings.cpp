#include "app/notify_settings.h"

#include "notify/file_sender.h"
#include "notify/sms_gateway_sender.h"
#include "notify/smtp_sender.h"
#include "notify/wechat_outbox_sender.h"

namespace idpd::app {
namespace {

std::filesystem::path outbox_dir(const Config& config) {
    return config.server.var_dir / "outbox";
}

std::expected<std::unique_ptr<notify::Sender>, std::string> email_sender(const Config& config) {
    const auto& n = config.notify;
    // load_config has checked from_address.
    auto from = notify::parse_mailbox(n.from_address).value_or(notify::Mailbox{});
    if (n.email_transport == "file") {
        return std::make_unique<notify::FileSender>(outbox_dir(config), from);
    }
    if (n.email_transport != "smtp") {
        return nullptr;
    }
    notify::SmtpOptions o;
    o.url = n.smtp_url;
    o.require_starttls = n.smtp_starttls != "off";
    o.username = n.smtp_username;
    o.password = n.smtp_password;
    o.ca_file = n.smtp_ca_file;
    o.from = n.from_address;
    o.timeout = n.smtp_timeout;
    o.connect_timeout = std::min<std::chrono::milliseconds>(o.connect_timeout, n.smtp_timeout);
    auto sender = notify::SmtpSender::open(std::move(o));
    if (!sender) {
        return std::unexpected("notify.smtp_url: " + sender.error());
    }
    return std::move(*sender);
}

std::unique_ptr<notify::Sender> sms_sender(const Config& config) {
    const auto& n = config.notify;
    if (n.sms_transport == "file") {
        // An SMS file needs no From; the mailbox is unused.
        return std::make_unique<notify::FileSender>(outbox_dir(config), notify::Mailbox{});
    }
    if (n.sms_transport != "gateway") {
        return nullptr;
    }
    notify::SmsGatewayOptions o;
    o.url = n.sms_gateway_url;
    o.token = n.sms_gateway_token;
    return std::make_unique<notify::SmsGatewaySender>(std::move(o));
}

}  // namespace

std::expected<std::unique_ptr<notify::Dispatcher>, std::string> notify_dispatcher(
    const Config& config, store::Database& db,
    std::shared_ptr<notify::WechatAccessToken> wechat_token) {
    auto email = email_sender(config);
    if (!email) {
        return std::unexpected(email.error());
    }
    notify::DispatcherOptions o;
    o.poll_interval = config.notify.poll_interval;
    o.retry.max_attempts = static_cast<int>(config.notify.max_attempts);
    o.retry.retry_base = config.notify.retry_base;
    o.retry.retry_max = config.notify.retry_max;
    o.keep_finished = config.notify.keep_finished;
    std::unique_ptr<notify::Sender> wechat;
    if (wechat_token) {
        wechat = std::make_unique<notify::WechatOutboxSender>(
            std::make_shared<notify::WechatTemplateSender>(std::move(wechat_token)),
            wechat_templates(config));
    }
    return std::make_unique<notify::Dispatcher>(db, std::move(*email), sms_sender(config),
                                                std::chrono::system_clock::now, o,
                                                std::move(wechat));
}

notify::WechatTemplateOptions wechat_template_options(const Config& config) {
    notify::WechatTemplateOptions options;
    options.api_base = config.notify.wechat_api_base;
    options.app_id = config.notify.wechat_app_id;
    options.app_secret = config.notify.wechat_app_secret;
    return options;
}

std::shared_ptr<notify::WechatAccessToken> wechat_access_token(const Config& config) {
    if (config.notify.wechat_app_id.empty()) {
        return nullptr;
    }
    return std::make_shared<notify::WechatAccessToken>(wechat_template_options(config),
                                                       std::chrono::system_clock::now);
}

notify::WechatTemplates wechat_templates(const Config& config) {
    const auto& n = config.notify;
    return {n.wechat_template_security, n.wechat_template_billing, n.wechat_template_org_invitation,
            n.wechat_template_product};
}

}  // namespace idpd::app
