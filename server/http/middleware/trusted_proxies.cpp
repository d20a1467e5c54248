#include <charconv>
#include <cstring>

#include <arpa/inet.h>

#include "http/middleware/middleware.h"

namespace idpd::http::middleware {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::optional<Cidr> parse_address(std::string_view text) {
    Cidr c;
    std::string s(text);
    if (inet_pton(AF_INET, s.c_str(), c.bytes) == 1) {
        c.family = AF_INET;
        c.prefix_bits = 32;
        return c;
    }
    // A bracketed IPv6 literal ("[::1]") appears in some forwarded headers.
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') {
        s = s.substr(1, s.size() - 2);
    }
    if (inet_pton(AF_INET6, s.c_str(), c.bytes) == 1) {
        c.family = AF_INET6;
        c.prefix_bits = 128;
        return c;
    }
    return std::nullopt;
}

bool is_trusted(const std::vector<Cidr>& trusted, std::string_view ip) {
    for (const Cidr& block : trusted) {
        if (contains(block, ip)) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<Cidr> parse_cidr(std::string_view text) {
    text = trim(text);
    auto slash = text.find('/');
    auto addr = parse_address(text.substr(0, slash));
    if (!addr) {
        return std::nullopt;
    }
    if (slash == std::string_view::npos) {
        return addr;
    }
    std::string_view bits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    int max_bits = addr->family == AF_INET ? 32 : 128;
    if (ec != std::errc{} || end != bits.data() + bits.size() || prefix < 0 || prefix > max_bits) {
        return std::nullopt;
    }
    addr->prefix_bits = prefix;
    return addr;
}

bool contains(const Cidr& block, std::string_view ip) {
    auto addr = parse_address(trim(ip));
    if (!addr) {
        return false;
    }
    // An IPv4 peer seen through an IPv6 socket (::ffff:a.b.c.d) still matches an IPv4 block.
    static constexpr unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (block.family == AF_INET && addr->family == AF_INET6 &&
        std::memcmp(addr->bytes, v4_mapped, 12) == 0) {
        std::memmove(addr->bytes, addr->bytes + 12, 4);
        addr->family = AF_INET;
    }
    if (addr->family != block.family) {
        return false;
    }
    int full = block.prefix_bits / 8;
    int rest = block.prefix_bits % 8;
    if (std::memcmp(addr->bytes, block.bytes, full) != 0) {
        return false;
    }
    if (rest == 0) {
        return true;
    }
    auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (addr->bytes[full] & mask) == (block.bytes[full] & mask);
}

Middleware trusted_proxies(std::vector<Cidr> trusted) {
    return [trusted = std::move(trusted)](HttpRequest& req, const Pipeline& next) {
        req.client_ip = req.peer_ip;
        req.from_trusted_proxy = !trusted.empty() && is_trusted(trusted, req.peer_ip);
        if (req.from_trusted_proxy) {
            if (auto xff = req.headers.get("X-Forwarded-For")) {
                // Walk from the right: each trusted hop vouches for the one before it.
                std::string_view list = *xff;
                while (!list.empty()) {
                    auto comma = list.rfind(',');
                    std::string_view hop =
                        trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
                    list = comma == std::string_view::npos ? std::string_view{}
                                                           : list.substr(0, comma);
                    if (!parse_address(hop)) {
                        break;
                    }
                    req.client_ip = std::string(hop);
                    if (!is_trusted(trusted, hop)) {
                        break;
                    }
                }
            }
            if (auto proto = req.headers.get("X-Forwarded-Proto")) {
                std::string_view p = *proto;
                auto comma = p.rfind(',');
                p = trim(comma == std::string_view::npos ? p : p.substr(comma + 1));
                req.secure = p == "https";
            }
        }
        return next(req);
    };
}

}  // namespace idpd::http::middleware
