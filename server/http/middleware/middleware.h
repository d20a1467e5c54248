// The middleware layers of every request, outermost first as app/ composes them:
// trusted_proxies → request_id → access_log → metrics → security_headers → recover → router.
#pragma once

#include <string>
#include <vector>

#include "http/handler.h"
#include "http/metrics.h"

namespace idpd::http::middleware {

// An address block trusted to tell the client's address and scheme (a load balancer).
struct Cidr {
    int family = 0;  // AF_INET or AF_INET6
    unsigned char bytes[16] = {};
    int prefix_bits = 0;
};

// Parses "10.0.0.0/8", "::1" or "127.0.0.1"; nullopt when it is not an address or block.
std::optional<Cidr> parse_cidr(std::string_view text);
bool contains(const Cidr& block, std::string_view ip);

// Fills client_ip and secure. X-Forwarded-For / X-Forwarded-Proto count only when the TCP peer
// is inside `trusted`; the client is the right-most untrusted address in X-Forwarded-For.
Middleware trusted_proxies(std::vector<Cidr> trusted);

// Gives every request an id (an incoming X-Request-Id only from a trusted proxy, when it is
// short and plain) and echoes it in the X-Request-Id response header.
Middleware request_id();

// Writes one JSON line per request to the "access" logger: time, id, method, path (never the
// query: it may hold codes), route, status, duration, bytes, client ip, user agent.
Middleware access_log();

// Counts requests by route, method and status, and times them.
Middleware metrics(Metrics& registry);

// Sets the security headers a handler did not set itself: CSP without inline script,
// frame-ancestors 'none', X-Frame-Options, nosniff, Referrer-Policy, and HSTS over https.
Middleware security_headers();

// Turns an exception escaping a handler into a 500 that names the request id and nothing else;
// the detail goes to the log only.
Middleware recover();

}  // namespace idpd::http::middleware
