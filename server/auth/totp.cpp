#include "auth/totp.h"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace idpd::auth {
namespace {

constexpr std::string_view base32_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// HMAC-SHA-1(key, message), 20 bytes. Throws only when OpenSSL itself fails (out of memory):
// no code is better than a wrong one.
std::array<unsigned char, 20> hmac_sha1(std::string_view key, std::string_view message) {
    std::array<unsigned char, 20> mac{};
    std::size_t size = 0;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA1", nullptr, key.data(), key.size(),
                  reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                  mac.data(), mac.size(), &size) == nullptr ||
        size != mac.size()) {
        throw std::runtime_error("HMAC-SHA-1 failed");
    }
    return mac;
}

int base32_value(char c) {
    if (c >= 'a' && c <= 'z') {
        return c - 'a';
    }
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= '2' && c <= '7') {
        return c - '2' + 26;
    }
    return -1;
}

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (is_unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xf]);
        }
    }
    return out;
}

}  // namespace

std::string generate_totp_secret(RandomSource& random) {
    std::string secret(totp_secret_bytes, '\0');
    random.fill(std::span(reinterpret_cast<std::uint8_t*>(secret.data()), secret.size()));
    return secret;
}

std::string hotp(std::string_view secret, std::uint64_t counter, int digits) {
    if (digits < 6 || digits > 8) {
        throw std::invalid_argument("HOTP digits must be 6 to 8");
    }
    std::string message(8, '\0');
    for (int i = 7; i >= 0; --i) {
        message[static_cast<std::size_t>(i)] = static_cast<char>(counter & 0xff);
        counter >>= 8;
    }
    const auto mac = hmac_sha1(secret, message);
    // RFC 4226 §5.3 dynamic truncation: the low nibble of the last byte picks four bytes.
    const unsigned offset = mac[19] & 0x0f;
    const std::uint32_t binary =
        (std::uint32_t{mac[offset]} & 0x7f) << 24 | std::uint32_t{mac[offset + 1]} << 16 |
        std::uint32_t{mac[offset + 2]} << 8 | std::uint32_t{mac[offset + 3]};
    std::uint32_t modulus = 1;
    for (int i = 0; i < digits; ++i) {
        modulus *= 10;
    }
    std::string code = std::to_string(binary % modulus);
    code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
    return code;
}

std::int64_t totp_step(std::chrono::sys_seconds now) {
    const std::int64_t t = now.time_since_epoch().count();
    const std::int64_t x = totp_period.count();
    // floor division, so a time before the epoch does not share step 0.
    return t >= 0 ? t / x : -((-t + x - 1) / x);
}

std::string totp(std::string_view secret, std::chrono::sys_seconds now, int digits) {
    return hotp(secret, static_cast<std::uint64_t>(totp_step(now)), digits);
}

std::optional<std::int64_t> match_totp(std::string_view secret, std::string_view code,
                                       std::chrono::sys_seconds now, std::int64_t after_step) {
    if (code.size() != static_cast<std::size_t>(totp_digits) ||
        code.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    const std::int64_t current = totp_step(now);
    std::optional<std::int64_t> found;
    for (std::int64_t step = current - totp_window; step <= current + totp_window; ++step) {
        const bool equal =
            constant_time_equal(hotp(secret, static_cast<std::uint64_t>(step)), code);
        if (equal && step > after_step && !found) {
            found = step;
        }
    }
    return found;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

std::string base32_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out.push_back(base32_alphabet[(buffer >> (bits - 5)) & 0x1f]);
            bits -= 5;
        }
    }
    if (bits > 0) {
        out.push_back(base32_alphabet[(buffer << (5 - bits)) & 0x1f]);
    }
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    const std::size_t tail = text.size() % 8;
    if (tail == 1 || tail == 3 || tail == 6) {
        return std::nullopt;
    }
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int value = base32_value(c);
        if (value < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    if ((buffer & ((1U << bits) - 1)) != 0) {
        return std::nullopt;
    }
    return out;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret) {
    const std::string encoded_issuer = percent_encode(issuer);
    return "otpauth://totp/" + encoded_issuer + ":" + percent_encode(account) +
           "?secret=" + base32_encode(secret) + "&issuer=" + encoded_issuer +
           "&algorithm=SHA1&digits=" + std::to_string(totp_digits) +
           "&period=" + std::to_string(totp_period.count());
}

}  // namespace idpd::auth
