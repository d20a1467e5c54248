// notify: email and SMS to people. Callers write a Message into the outbox table inside the
// transaction of the event that causes it; a Dispatcher in every serving process delivers it
// later through a Sender per channel (SMTP, an HTTP SMS gateway, or files for development).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::notify {

enum class Channel { email, sms };

// "email" or "sms", as the outbox stores it.
std::string_view channel_name(Channel channel);

struct Message {
    Channel channel = Channel::email;
    std::string to;       // an email address or an E.164 phone number
    std::string subject;  // email only; UTF-8
    std::string text;     // the plain-text body; UTF-8
    std::string html;     // optional HTML alternative (email only)
    std::string kind;  // what caused it, e.g. "verify_email", "password_reset" (logs, /dev/outbox)
};

// Checks what enqueue() would store: an email address with one '@' and no whitespace or
// control characters (so no header can be injected), or "+" and 8 to 15 digits (E.164); a
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
