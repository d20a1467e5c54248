#pragma once

#include <expected>
#include <memory>
#include <string>

#include "app/config.h"
#include "notify/dispatcher.h"
#include "notify/notifier.h"
#include "notify/wechat_template_sender.h"
#include "store/database.h"

namespace idpd::app {

// The [notify] configuration mapped onto the Dispatcher and its senders: the transport per
// channel (file, smtp or gateway, off), retries and polling. Errors name the key.
// `wechat_token`: the official account's token holder (App::wechat_token); nullptr: no wechat
// channel, its messages are given up.
std::expected<std::unique_ptr<notify::Dispatcher>, std::string> notify_dispatcher(
    const Config& config, store::Database& db,
    std::shared_ptr<notify::WechatAccessToken> wechat_token = nullptr);

// [notify] wechat_* mapped onto the WeChat template sender's options.
notify::WechatTemplateOptions wechat_template_options(const Config& config);

// The official account's token holder, shared by the QR codes of the notifications page and
// the template messages; nullptr when [notify] wechat_app_id is empty (no WeChat channel).
std::shared_ptr<notify::WechatAccessToken> wechat_access_token(const Config& config);

// [notify] wechat_template_*.
notify::WechatTemplates wechat_templates(const Config& config);

}  // namespace idpd::app
