#pragma once

#include <expected>
#include <memory>
#include <string>

#include "app/config.h"
#include "notify/dispatcher.h"
#include "notify/wechat_template_sender.h"
#include "store/database.h"

namespace idpd::app {

// The [notify] configuration mapped onto the Dispatcher and its senders: the transport per
// channel (file, smtp or gateway, off), retries and polling. Errors name the key.
std::expected<std::unique_ptr<notify::Dispatcher>, std::string> notify_dispatcher(
    const Config& config, store::Database& db);

// [notify] wechat_* mapped onto the WeChat template sender's options.
notify::WechatTemplateOptions wechat_template_options(const Config& config);

}  // namespace idpd::app
