// The email builder: what a mail client shows must be what was enqueued, whatever the script,
// and every line must stay within RFC 5322's limits.
#include "notify/mime.h"

#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>

namespace idpd::notify {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using testing::HasSubstr;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find("\r\n", start);
        EXPECT_NE(end, std::string::npos) << "every line ends CRLF";
        if (end == std::string::npos) {
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

// Decoders written independently of the encoders, the way a mail client reads them.
std::string decode_base64(std::string_view text) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int bits = 0;
    std::uint32_t acc = 0;
    for (char c : text) {
        auto pos = alphabet.find(c);
        if (pos == std::string::npos) {
            continue;  // CRLF, padding
        }
        acc = (acc << 6) | static_cast<std::uint32_t>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

std::string decode_qp(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '=' && text.substr(i + 1, 2) == "\r\n") {
            i += 2;
        } else if (text[i] == '=') {
            out.push_back(
                static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

// An unfolded header value with its encoded-words decoded (RFC 2047 §6.2: whitespace between
// adjacent encoded-words is dropped).
std::string decode_header(std::string value) {
    std::string unfolded;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.compare(i, 3, "\r\n ") == 0) {
            i += 1;
            continue;
        }
        unfolded.push_back(value[i]);
    }
    std::string out;
    std::size_t i = 0;
    bool last_was_word = false;
    while (i < unfolded.size()) {
        if (unfolded.compare(i, 10, "=?UTF-8?B?") == 0) {
            auto end = unfolded.find("?=", i + 10);
            out += decode_base64(unfolded.substr(i + 10, end - i - 10));
            i = end + 2;
            last_was_word = true;
        } else if (last_was_word && unfolded[i] == ' ' &&
                   unfolded.compare(i + 1, 10, "=?UTF-8?B?") == 0) {
            ++i;
        } else {
            out.push_back(unfolded[i++]);
            last_was_word = false;
        }
    }
    return out;
}

std::string header(const std::string& mail, const std::string& name) {
    auto start = mail.find("\r\n" + name + ": ");
    start = mail.starts_with(name + ": ") ? name.size() + 2 : start + name.size() + 4;
    std::string value;
    auto end = start;
    while (true) {
        end = mail.find("\r\n", end);
        if (mail[end + 2] != ' ') {
            break;
        }
        end += 2;
    }
    return mail.substr(start, end - start);
}

EmailParts parts(std::string subject, std::string text, std::string html = "") {
    EmailParts p;
    p.from = Mailbox{"idpd", "no-reply@id.example.com"};
    p.to = "alice@example.com";
    p.subject = std::move(subject);
    p.text = std::move(text);
    p.html = std::move(html);
    p.date = sys_seconds{seconds{1'700'000'000}};
    p.message_id = "<42.abc@id.example.com>";
    return p;
}

TEST(Mime, AChineseSubjectIsEncodedWordsThatDecodeBackAndStayShort) {
    const std::string subject =
        "请验证您的邮箱地址：这是一封来自身份认证服务的邮件，链接将在三十分钟后失效，请尽快完成验"
        "证";
    const std::string mail = build_email(parts(subject, "hello"));
    const std::string raw = header(mail, "Subject");
    EXPECT_THAT(raw, HasSubstr("=?UTF-8?B?"));
    EXPECT_THAT(raw, HasSubstr("\r\n "));  // too long for one line: folded
    EXPECT_EQ(decode_header(raw), subject);
    for (const auto& line : lines_of(mail)) {
        EXPECT_LE(line.size(), 76u) << line;
    }
    for (std::size_t at = raw.find("=?"); at != std::string::npos; at = raw.find("=?", at + 2)) {
        EXPECT_LE(raw.find("?=", at + 10) + 2 - at, 75u) << "RFC 2047 §2: a word is at most 75";
    }
}

TEST(Mime, AnAsciiSubjectStaysReadable) {
    const std::string mail = build_email(parts("Verify your email", "hi"));
    EXPECT_THAT(mail, HasSubstr("\r\nSubject: Verify your email\r\n"));
    // Text that looks like an encoded-word is encoded, so no client decodes it by mistake.
    EXPECT_THAT(build_email(parts("=?UTF-8?B?SGk=?=", "x")), HasSubstr("Subject: =?UTF-8?B?PT9"));
}

TEST(Mime, TheHeadersARFC5322MessageNeeds) {
    const std::string mail = build_email(parts("Hi", "Body"));
    EXPECT_TRUE(mail.starts_with("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n")) << mail;
    EXPECT_THAT(mail, HasSubstr("\r\nMessage-ID: <42.abc@id.example.com>\r\n"));
    EXPECT_THAT(mail, HasSubstr("\r\nFrom: idpd <no-reply@id.example.com>\r\n"));
    EXPECT_THAT(mail, HasSubstr("\r\nTo: alice@example.com\r\n"));
    EXPECT_THAT(mail, HasSubstr("\r\nMIME-Version: 1.0\r\n"));
    EXPECT_THAT(mail, HasSubstr("\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
}

TEST(Mime, AChineseBodyIsBase64InShortLines) {
    std::string text;
    for (int i = 0; i < 30; ++i) {
        text += "您的验证码是 123456，请在十分钟内使用。\n";
    }
    const std::string mail = build_email(parts("验证", text));
    EXPECT_THAT(mail, HasSubstr("Content-Transfer-Encoding: base64\r\n"));
    auto body = mail.substr(mail.find("\r\n\r\n") + 4);
    for (const auto& line : lines_of(body)) {
        EXPECT_LE(line.size(), 76u);
    }
    std::string expected;
    for (char c : text) {
        expected += c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    EXPECT_EQ(decode_base64(body), expected);
}

TEST(Mime, AnAsciiBodyIsQuotedPrintableAndALongLinkSurvives) {
    const std::string link =
        "https://id.example.com/verify?token=" + std::string(120, 'A') + "&x=1";
    const std::string text = "Open this link:\n" + link + "\nThanks.  \n";
    const std::string mail = build_email(parts("Verify", text));
    EXPECT_THAT(mail, HasSubstr("Content-Transfer-Encoding: quoted-printable\r\n"));
    auto body = mail.substr(mail.find("\r\n\r\n") + 4);
    for (const auto& line : lines_of(body)) {
        EXPECT_LE(line.size(), 76u);
        EXPECT_FALSE(line.ends_with(" ")) << "trailing whitespace is encoded";
    }
    EXPECT_EQ(decode_qp(body), "Open this link:\r\n" + link + "\r\nThanks.  \r\n");
}

TEST(Mime, HtmlMakesMultipartAlternativeWithBothParts) {
    const std::string mail =
        build_email(parts("Hi", "plain 文本", "<p>html <a href=\"https://x\">link</a></p>"));
    EXPECT_THAT(mail, HasSubstr("Content-Type: multipart/alternative; boundary=\""));
    auto b_start = mail.find("boundary=\"") + 10;
    const std::string boundary = mail.substr(b_start, mail.find('"', b_start) - b_start);
    const auto first = mail.find("\r\n--" + boundary + "\r\n");
    const auto second = mail.find("\r\n--" + boundary + "\r\n", first + 1);
    const auto last = mail.find("\r\n--" + boundary + "--\r\n");
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(second, std::string::npos);
    ASSERT_NE(last, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_LT(second, last);
    const std::string plain = mail.substr(first, second - first);
    const std::string html = mail.substr(second, last - second);
    EXPECT_THAT(plain, HasSubstr("Content-Type: text/plain; charset=UTF-8\r\n"));
    EXPECT_THAT(html, HasSubstr("Content-Type: text/html; charset=UTF-8\r\n"));
    EXPECT_EQ(decode_base64(plain.substr(plain.find("\r\n\r\n") + 4)), "plain 文本");
    EXPECT_EQ(decode_qp(html.substr(html.find("\r\n\r\n") + 4, html.size())),
              "<p>html <a href=\"https://x\">link</a></p>");
}

TEST(Mime, ANonAsciiSenderNameIsEncoded) {
    auto p = parts("Hi", "x");
    p.from.display_name = "身份服务";
    const std::string mail = build_email(p);
    EXPECT_EQ(decode_header(header(mail, "From")), "身份服务 <no-reply@id.example.com>");
}

TEST(Mime, MailboxesWithLineBreaksAreRefused) {
    EXPECT_TRUE(parse_mailbox("idpd <no-reply@localhost>"));
    EXPECT_EQ(parse_mailbox("\"My IdP\" <a@b.example>")->display_name, "My IdP");
    EXPECT_EQ(parse_mailbox("a@b.example")->address, "a@b.example");
    EXPECT_FALSE(parse_mailbox("a@b.example\r\nBcc: evil@x.example"));
    EXPECT_FALSE(parse_mailbox("idpd <a@b.example>\n"));
    EXPECT_FALSE(parse_mailbox("no-at-sign"));
    EXPECT_FALSE(parse_mailbox("a@b@c"));
    EXPECT_FALSE(parse_mailbox("idpd <a@b.example"));
}

TEST(Mime, Utf8IsChecked) {
    EXPECT_TRUE(is_utf8("中文 ascii 🙂"));
    EXPECT_FALSE(is_utf8("\xC0\xAF"));                  // overlong '/'
    EXPECT_FALSE(is_utf8("\xED\xA0\x80"));              // a surrogate
    EXPECT_FALSE(is_utf8(std::string("\xE4\xB8", 2)));  // cut short
}

}  // namespace
}  // namespace idpd::notify
