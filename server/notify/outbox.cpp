#include "notify/outbox.h"

#include "notify/mime.h"

namespace idpd::notify {
namespace {

bool has_control(std::string_view text, bool allow_line_breaks) {
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        bool line_break = c == '\n' || c == '\r' || c == '\t';
        if ((u < 0x20 || u == 0x7f) && !(allow_line_breaks && line_break)) {
            return true;
        }
    }
    return false;
}

// E.164: "+", then a country code and number of at most 15 digits in all; 8 at least, as no
// real subscriber number is shorter.
bool is_e164(std::string_view to) {
    if (to.size() < 9 || to.size() > 16 || to.front() != '+' || to[1] == '0') {
        return false;
    }
    return to.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

std::string problem_with_recipient(const Message& m) {
    if (m.channel == Channel::wechat) {
        return is_openid(m.to) ? "" : "a WeChat message goes to an openid (letters, digits, _ -)";
    }
    if (m.channel == Channel::sms) {
        return is_e164(m.to) ? "" : "an SMS goes to an E.164 number such as +8613800138000";
    }
    auto box = parse_mailbox(m.to);
    if (!box || !box->display_name.empty() || m.to.size() > 254) {
        return "an email goes to one address, local@domain, without spaces or control characters";
    }
    return "";
}

}  // namespace

// An openid under an official account: 28 characters of base64url in practice; we accept what
// WeChat could plausibly send, and nothing that could break a URL or a log line.
bool is_openid(std::string_view to) {
    return !to.empty() && to.size() <= 64 &&
           to.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
               std::string_view::npos;
}

std::string_view channel_name(Channel channel) {
    switch (channel) {
        case Channel::sms:
            return "sms";
        case Channel::wechat:
            return "wechat";
        case Channel::email:
            break;
    }
    return "email";
}

std::optional<Channel> parse_outbox_channel(std::string_view name) {
    for (auto c : {Channel::email, Channel::sms, Channel::wechat}) {
        if (channel_name(c) == name) {
            return c;
        }
    }
    return std::nullopt;
}

std::string problem_with(const Message& m) {
    if (auto p = problem_with_recipient(m); !p.empty()) {
        return p;
    }
    if (m.subject.size() > 998 || has_control(m.subject, false) || !is_utf8(m.subject)) {
        return "the subject must be UTF-8 of at most 998 bytes without control characters";
    }
    if (m.text.empty() || !is_utf8(m.text) || !is_utf8(m.html) || has_control(m.text, true) ||
        has_control(m.html, true)) {
        return "the body must be non-empty UTF-8 text";
    }
    if (m.channel != Channel::email && (!m.subject.empty() || !m.html.empty())) {
        return "an SMS or WeChat message has neither a subject nor an HTML body";
    }
    if (m.kind.size() > 64 ||
        m.kind.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
            std::string::npos) {
        return "the kind is at most 64 letters, digits, '_' or '-'";
    }
    return "";
}

store::Result<std::int64_t> enqueue(store::Database& tx, const Message& message,
                                    std::chrono::sys_seconds now) {
    if (auto problem = problem_with(message); !problem.empty()) {
        return store::fail(store::Error::Kind::invalid, "outbox message refused: " + problem);
    }
    const std::int64_t at = now.time_since_epoch().count();
    auto inserted = tx.execute(
        "INSERT INTO outbox (channel, recipient, subject, text_body, html_body, kind, created_at, "
        "attempts, next_attempt_at, lease_until, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, "
        "0, '')",
        {std::string(channel_name(message.channel)), message.to, message.subject, message.text,
         message.html, message.kind, at, at});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return inserted->last_insert_id;
}

}  // namespace idpd::notify
