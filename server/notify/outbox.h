// notify: email and SMS to people. Callers write a Message into the outbox table inside the
// transaction of the event that causes it; a Dispatcher in every serving process delivers it
// later through a Sender per channel (SMTP, an HTTP SMS gateway, or files for development).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::notify {

enum class Channel { email, sms, wechat };

// "email", "sms" or "wechat", as the outbox stores it.
std::string_view channel_name(Channel channel);
// The channel an outbox row names; nullopt for an unknown name.
std::optional<Channel> parse_outbox_channel(std::string_view name);

struct Message {
    Channel channel = Channel::email;
    // An email address, an E.164 phone number, or an openid under our WeChat official account.
    std::string to;
    std::string subject;  // email only; UTF-8
    // The plain-text body; UTF-8. A wechat message holds its template as JSON instead
    // (notify/wechat_notice.h).
    std::string text;
    std::string html;  // optional HTML alternative (email only)
    std::string kind;  // what caused it, e.g. "verify_email", "password_reset" (logs, /dev/outbox)
};

// Whether `to` can be an openid: 1 to 64 letters, digits, '_' or '-' (28 in practice).
bool is_openid(std::string_view to);

// Checks what enqueue() would store: an email address with one '@' and no whitespace or
// control characters (so no header can be injected), or "+" and 8 to 15 digits (E.164), or an
// openid (1 to 64 letters, digits, '_' or '-'); a
// subject of at most 998 bytes without control characters; a non-empty UTF-8 body; a kind of
// at most 64 letters, digits, '_' or '-'. Returns what is wrong, or an empty string.
std::string problem_with(const Message& message);

// Writes the message into the outbox inside the caller's transaction (`tx` is the Database&
// given to Database::transaction's work, or any Database for a single write). Returns its id.
// The message is due at once. Errors: invalid (problem_with() named something), and the
// database's own.
store::Result<std::int64_t> enqueue(store::Database& tx, const Message& message,
                                    std::chrono::sys_seconds now);

}  // namespace idpd::notify
