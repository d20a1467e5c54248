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

std::string new_request_id() {
    unsigned char bytes[12];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string id;
    id.reserve(sizeof bytes * 2);
    for (unsigned char b : bytes) {
        id.push_back(hex[b >> 4]);
        id.push_back(hex[b & 0x0f]);
    }
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
