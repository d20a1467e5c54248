#pragma once

#include <memory>

#include "notify/notifier.h"
#include "notify/sender.h"
#include "notify/wechat_template_sender.h"

namespace idpd::notify {

// The Dispatcher's sender of the wechat channel: reads the body notify::wechat_body() wrote,
// picks the template id of its event and sends it through WechatTemplateSender to the row's
// openid. A body it cannot read, or an event without a template id (the operator removed it
// after the notice was queued), is a permanent failure.
class WechatOutboxSender : public Sender {
public:
    WechatOutboxSender(std::shared_ptr<WechatTemplateSender> sender, WechatTemplates templates)
        : sender_(std::move(sender)), templates_(std::move(templates)) {}

    SendResult send(const OutboxMessage& message, std::chrono::sys_seconds now) override;

private:
    std::shared_ptr<WechatTemplateSender> sender_;
    WechatTemplates templates_;
};

}  // namespace idpd::notify
