#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace idpd::notify {

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_utf8(std::string_view text);

// A mailbox as a From header and SMTP's MAIL FROM need it.
struct Mailbox {
    std::string display_name;  // UTF-8; may be empty
    std::string address;       // local@domain
};

// "Name <local@domain>" or "local@domain". nullopt for anything else, or with CR, LF or
// another control character anywhere.
std::optional<Mailbox> parse_mailbox(std::string_view text);

// A header value as RFC 2047 encoded-words ("=?UTF-8?B?…?=") when it holds anything but
// printable ASCII, folded with CRLF SP so no line passes 76 characters; `used` is how much of
// the first line the header's name already takes ("Subject: " is 9). Plain ASCII comes back
// as is.
std::string encode_header_text(std::string_view text, std::size_t used);

// RFC 5322 §3.3 date-time in UTC: "Tue, 14 Nov 2023 22:13:20 +0000".
std::string rfc5322_date(std::chrono::sys_seconds time);

// Base64 in lines of 76 characters, each ending CRLF (RFC 2045 §6.8).
std::string base64_lines(std::string_view bytes);

// Quoted-printable (RFC 2045 §6.7) of text whose line breaks are CRLF: lines of at most 76
// characters, soft breaks "=" CRLF, '=' and bytes outside printable ASCII as =XX, and
// whitespace before a line break encoded.
std::string quoted_printable(std::string_view text);

// Everything one email needs.
struct EmailParts {
    Mailbox from;
    std::string to;
    std::string subject;
    std::string text;  // UTF-8; "\n" or "\r\n" line breaks
    std::string html;  // empty: text only
    std::chrono::sys_seconds date{};
    std::string message_id;  // "<unique@domain>"
};

// The RFC 5322 message: Date, Message-ID, From, To, Subject (encoded-words when not ASCII),
// MIME-Version, and a text/plain; charset=UTF-8 body (quoted-printable when ASCII, base64
// otherwise), inside multipart/alternative with a text/html part when `html` is given. Lines
// end CRLF and none passes 76 characters.
std::string build_email(const EmailParts& parts);

}  // namespace idpd::notify
