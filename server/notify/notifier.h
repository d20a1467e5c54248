// The one entry point of notices (security, billing, invitations, product news): the caller
// says what happened once, in every form; the Notifier asks the person's preferences
// (notify/preferences.h) and whether each channel can reach them, and writes one outbox message
// per channel inside the caller's transaction.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "notify/preferences.h"
#include "store/database.h"

namespace idpd::notify {

// The WeChat template id per event ([notify] wechat_template_security, _billing,
// _org_invitation, _product); an empty id: that event is not offered by WeChat.
struct WechatTemplates {
    std::string security;
    std::string billing;
    std::string org_invitation;
    std::string product;

    const std::string& of(NoticeEvent event) const;
};

// One notice in the forms of every channel. Each template field is sent as {"value": …}.
struct Notice {
    std::string kind;  // the outbox kind: "password_changed", "topup_paid", …
    std::string email_subject;
    std::string email_text;  // the whole body, signature included
    std::string sms_text;    // short: an SMS is one or two segments
    // WeChat template fields; every template must have these names (README): first, keyword1,
    // keyword2, remark.
    std::vector<std::pair<std::string, std::string>> wechat_data;
    std::string url;  // where tapping the WeChat message leads (optional)
};

// Where the person can be reached besides WeChat (the caller knows the account): the primary
// verified email address and the verified phone number. The openid comes from the link table.
struct Reach {
    std::optional<std::string> email;
    std::optional<std::string> phone;  // E.164
};

// Which channels a send() wrote to.
struct Sent {
    bool email = false;
    bool sms = false;
    bool wechat = false;
};

class Notifier {
public:
    explicit Notifier(WechatTemplates templates = {}) : templates_(std::move(templates)) {}

    // Whether the WeChat channel exists for `event` (a template id is configured).
    bool offers_wechat(NoticeEvent event) const { return !templates_.of(event).empty(); }

    const WechatTemplates& templates() const { return templates_; }

    // Writes the notice into the outbox (`tx`: the caller's transaction) once per channel the
    // person wants `event` on (should_notify) and that reaches them: email to reach.email, SMS
    // to reach.phone, WeChat to the linked openid when the event has a template. Security
    // email always goes when there is an address. Errors: the database's, and invalid when a
    // message is malformed.
    store::Result<Sent> send(store::Database& tx, std::int64_t user_id, NoticeEvent event,
                             const Notice& notice, const Reach& reach,
                             std::chrono::sys_seconds now) const;

private:
    WechatTemplates templates_;
};

// The outbox body of a WeChat notice: {"event", "data": {field: value}, "url"} — the template
// id is picked at delivery (WechatOutboxSender), so a changed template id applies to notices
// still queued.
std::string wechat_body(NoticeEvent event, const Notice& notice);

}  // namespace idpd::notify
