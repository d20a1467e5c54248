#include "notify/mime.h"

#include <array>
#include <cstdint>
#include <ctime>

namespace idpd::notify {
namespace {

constexpr std::size_t line_limit = 76;  // RFC 2045 §6.7/§6.8; RFC 5322 §2.1.1 asks for 78
constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view hex_digits = "0123456789ABCDEF";

std::string base64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) {
            n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        if (i + 2 < bytes.size()) {
            n |= static_cast<unsigned char>(bytes[i + 2]);
        }
        out.push_back(base64_alphabet[(n >> 18) & 63]);
        out.push_back(base64_alphabet[(n >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? base64_alphabet[(n >> 6) & 63] : '=');
        out.push_back(i + 2 < bytes.size() ? base64_alphabet[n & 63] : '=');
    }
    return out;
}

bool is_printable_ascii(std::string_view text) {
    for (char c : text) {
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

// Every line break as CRLF, whatever the caller wrote.
std::string crlf_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else if (text[i] == '\n') {
            out += "\r\n";
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

// Folds printable ASCII at spaces (RFC 5322 §2.2.3) so lines stay within the limit where a
// word allows it.
std::string fold_ascii(std::string_view text, std::size_t used) {
    std::string out;
    std::size_t line = used;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t space = text.find(' ', start + 1);
        std::string_view word = text.substr(
            start, space == std::string_view::npos ? std::string_view::npos : space - start);
        if (line + word.size() > line_limit && !out.empty() && word.starts_with(' ')) {
            out += "\r\n";
            line = 0;
        }
        out += word;
        line += word.size();
        start += word.size();
    }
    return out;
}

// The longest prefix of `text` of at most `max_bytes` that ends on a character boundary.
std::size_t utf8_cut(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return text.size();
    }
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return cut == 0 ? max_bytes : cut;
}

// RFC 2047 §5(1) B-encoded words, never cutting a character in two, each line within the
// limit: the first after `used` characters, the next ones after their folding space.
std::string encoded_words(std::string_view text, std::size_t used) {
    constexpr std::string_view open = "=?UTF-8?B?";
    constexpr std::size_t overhead = open.size() + 2;  // and "?="
    std::string out;
    std::size_t room = line_limit > used ? line_limit - used : 0;
    while (!text.empty()) {
        std::size_t payload = room > overhead ? (room - overhead) / 4 * 3 : 0;
        if (payload < 6) {  // too little room left on this line: fold first
            out += "\r\n ";
            room = line_limit - 1;
            continue;
        }
        std::size_t cut = utf8_cut(text, payload);
        if (!out.empty() && !out.ends_with("\r\n ")) {
            out += "\r\n ";
        }
        out += open;
        out += base64(text.substr(0, cut));
        out += "?=";
        text.remove_prefix(cut);
        room = line_limit - 1;
    }
    return out;
}

// A display name as a From header shows it: plain when only letters, digits, spaces, '-' and
// '.', otherwise encoded-words (which also covers quotes and commas).
std::string display_name(std::string_view name, std::size_t used) {
    for (char c : name) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == ' ' || c == '-' || c == '.';
        if (!plain) {
            return encoded_words(name, used);
        }
    }
    return std::string(name);
}

std::string hex_of(std::uint64_t n) {
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = "0123456789abcdef"[n & 15];
        n >>= 4;
    }
    return out;
}

// A boundary that cannot occur in base64 or quoted-printable text ("=_" is neither), derived
// from the message id so the same message builds the same bytes.
std::string boundary_for(std::string_view message_id) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (char c : message_id) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return "=_idpd_" + hex_of(h);
}

// One text part's headers and body: quoted-printable when ASCII, base64 otherwise.
std::string text_part(std::string_view subtype, std::string_view body) {
    std::string crlf = crlf_lines(body);
    bool ascii = true;
    for (char c : crlf) {
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    }
    std::string out = "Content-Type: text/" + std::string(subtype) + "; charset=UTF-8\r\n";
    if (ascii) {
        out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + quoted_printable(crlf);
    } else {
        out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64_lines(crlf);
    }
    if (!out.ends_with("\r\n")) {
        out += "\r\n";
    }
    return out;
}

}  // namespace

bool is_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
        if (len == 0 || i + len > text.size()) {
            return false;
        }
        std::uint32_t cp = len == 1 ? c : c & (0x7F >> len);
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        constexpr std::array<std::uint32_t, 5> least{0, 0, 0x80, 0x800, 0x10000};
        if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += len;
    }
    return true;
}

std::optional<Mailbox> parse_mailbox(std::string_view text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return std::nullopt;
        }
    }
    auto trim = [](std::string_view s) {
        auto b = s.find_first_not_of(' ');
        auto e = s.find_last_not_of(' ');
        return b == std::string_view::npos ? std::string_view{} : s.substr(b, e - b + 1);
    };
    Mailbox box;
    std::string_view address = trim(text);
    if (auto lt = address.find('<'); lt != std::string_view::npos) {
        if (!address.ends_with('>')) {
            return std::nullopt;
        }
        std::string_view name = trim(address.substr(0, lt));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
        }
        box.display_name = std::string(name);
        address = address.substr(lt + 1, address.size() - lt - 2);
    }
    auto at = address.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == address.size() ||
        address.find('@', at + 1) != std::string_view::npos ||
        address.find_first_of(" <>()[],;:\"\\") != std::string_view::npos || !is_utf8(address) ||
        !is_utf8(box.display_name)) {
        return std::nullopt;
    }
    box.address = std::string(address);
    return box;
}

std::string encode_header_text(std::string_view text, std::size_t used) {
    if (is_printable_ascii(text) && text.find("=?") == std::string_view::npos) {
        return fold_ascii(text, used);
    }
    return encoded_words(text, used);
}

std::string rfc5322_date(std::chrono::sys_seconds time) {
    std::time_t t = time.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);  // "C" locale names
    return buf;
}

std::string base64_lines(std::string_view bytes) {
    std::string encoded = base64(bytes);
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); i += line_limit) {
        out += encoded.substr(i, line_limit);
        out += "\r\n";
    }
    return out;
}

std::string quoted_printable(std::string_view text) {
    std::string out;
    std::size_t line = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            out += "\r\n";
            line = 0;
            ++i;
            continue;
        }
        bool at_line_end = i + 1 == text.size() ||
                           (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n');
        std::string piece;
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end)) {
            piece.push_back(static_cast<char>(c));
        } else {
            piece = {'=', hex_digits[c >> 4], hex_digits[c & 15]};
        }
        // A soft break "=" takes one column too; the last piece of a line needs none.
        std::size_t reserve = at_line_end ? 0 : 1;
        if (line + piece.size() + reserve > line_limit) {
            out += "=\r\n";
            line = 0;
        }
        out += piece;
        line += piece.size();
    }
    return out;
}

std::string build_email(const EmailParts& parts) {
    std::string out;
    out += "Date: " + rfc5322_date(parts.date) + "\r\n";
    out += "Message-ID: " + parts.message_id + "\r\n";
    out += "From: ";
    if (!parts.from.display_name.empty()) {
        out += display_name(parts.from.display_name, 6);
        // Fold before the address when it would push the name's last line past the limit.
        std::size_t last_line = out.size() - (out.rfind("\r\n") + 2);
        out += last_line + parts.from.address.size() + 3 > line_limit ? "\r\n " : " ";
    }
    out += "<" + parts.from.address + ">\r\n";
    out += "To: " + parts.to + "\r\n";
    out += "Subject: " + encode_header_text(parts.subject, 9) + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    if (parts.html.empty()) {
        return out + text_part("plain", parts.text);
    }
    const std::string boundary = boundary_for(parts.message_id);
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + text_part("plain", parts.text);
    out += "--" + boundary + "\r\n" + text_part("html", parts.html);
    out += "--" + boundary + "--\r\n";
    return out;
}

}  // namespace idpd::notify
