#include <atomic>
#include <cstdint>
#include <stdexcept>

#include <openssl/rand.h>

#include "http/middleware/middleware.h"

namespace idpd::http::middleware {
namespace {

// A proxy's id is kept only if it is short and plain, so it cannot forge log lines.
bool is_plain_id(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

void append_hex(std::string& out, std::uint64_t value, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out.push_back(hex[(value >> shift) & 0x0f]);
    }
}

// 24 hex digits: 48 random bits drawn once per process, then a 48-bit counter. Unique within
// the process and, with the random part, across processes; not a secret, so not worth a
// random draw per request (that was 5% of an introspection's instructions).
std::string new_request_id() {
    static const std::uint64_t process_part = [] {
        unsigned char bytes[6];
        if (RAND_bytes(bytes, sizeof bytes) != 1) {
            throw std::runtime_error("RAND_bytes failed");
        }
        std::uint64_t value = 0;
        for (unsigned char b : bytes) {
            value = (value << 8) | b;
        }
        return value;
    }();
    static std::atomic<std::uint64_t> counter{0};
    std::string id;
    id.reserve(24);
    append_hex(id, process_part, 12);
    append_hex(id, counter.fetch_add(1, std::memory_order_relaxed), 12);
    return id;
}

}  // namespace

Middleware request_id() {
    return [](HttpRequest& req, const Pipeline& next) {
        auto incoming = req.headers.get("X-Request-Id");
        if (incoming && req.from_trusted_proxy && is_plain_id(*incoming)) {
            req.request_id = *incoming;
        } else {
            req.request_id = new_request_id();
        }
        HttpResponse res = next(req);
        res.headers.set("X-Request-Id", req.request_id);
        return res;
    };
}

}  // namespace idpd::http::middleware
