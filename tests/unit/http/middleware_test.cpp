#include "http/middleware/middleware.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace idpd::http {
namespace {

using middleware::Cidr;
using middleware::parse_cidr;

std::vector<Cidr> blocks(std::initializer_list<const char*> texts) {
    std::vector<Cidr> out;
    for (const char* t : texts) {
        out.push_back(*parse_cidr(t));
    }
    return out;
}

HttpResponse run(const Middleware& layer, HttpRequest& req) {
    return compose({layer}, [](HttpRequest&) { return HttpResponse::text(200, "ok"); })(req);
}

TEST(TrustedProxies, CidrMatching) {
    auto ten = *parse_cidr("10.0.0.0/8");
    EXPECT_TRUE(middleware::contains(ten, "10.1.2.3"));
    EXPECT_FALSE(middleware::contains(ten, "11.0.0.1"));
    EXPECT_TRUE(middleware::contains(ten, "::ffff:10.9.9.9"));
    auto v6 = *parse_cidr("fd00::/8");
    EXPECT_TRUE(middleware::contains(v6, "fd12::1"));
    EXPECT_FALSE(middleware::contains(v6, "fe80::1"));
    auto odd = *parse_cidr("192.168.1.128/25");
    EXPECT_TRUE(middleware::contains(odd, "192.168.1.200"));
    EXPECT_FALSE(middleware::contains(odd, "192.168.1.100"));
    EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
    EXPECT_FALSE(parse_cidr("example.com"));
}

TEST(TrustedProxies, ForwardedHeadersFromStrangersAreIgnored) {
    HttpRequest req;
    req.peer_ip = "203.0.113.9";
    req.headers.set("X-Forwarded-For", "1.2.3.4");
    req.headers.set("X-Forwarded-Proto", "https");
    run(middleware::trusted_proxies(blocks({"10.0.0.0/8"})), req);
    EXPECT_EQ(req.client_ip, "203.0.113.9");
    EXPECT_FALSE(req.secure);
}

TEST(TrustedProxies, ClientIsTheRightmostUntrustedHop) {
    HttpRequest req;
    req.peer_ip = "10.0.0.2";
    // A client can prepend anything; only what trusted hops appended counts.
    req.headers.set("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.5");
    req.headers.set("X-Forwarded-Proto", "https");
    run(middleware::trusted_proxies(blocks({"10.0.0.0/8"})), req);
    EXPECT_EQ(req.client_ip, "198.51.100.7");
    EXPECT_TRUE(req.secure);
    EXPECT_TRUE(req.from_trusted_proxy);
}

TEST(RequestId, GeneratedUnlessATrustedProxySentOne) {
    HttpRequest req;
    req.headers.set("X-Request-Id", "client-chosen");
    auto res = run(middleware::request_id(), req);
    EXPECT_NE(req.request_id, "client-chosen");
    EXPECT_EQ(req.request_id.size(), 24u);
    EXPECT_EQ(res.headers.get("X-Request-Id"), req.request_id);

    HttpRequest proxied;
    proxied.from_trusted_proxy = true;
    proxied.headers.set("X-Request-Id", "lb-1234");
    run(middleware::request_id(), proxied);
    EXPECT_EQ(proxied.request_id, "lb-1234");

    HttpRequest forged;
    forged.from_trusted_proxy = true;
    forged.headers.set("X-Request-Id", "x\"}\n{\"evil\":1");
    run(middleware::request_id(), forged);
    EXPECT_EQ(forged.request_id.find_first_of("\"\n"), std::string::npos);
    EXPECT_EQ(forged.request_id.size(), 24u);
    EXPECT_NE(forged.request_id, req.request_id);  // every request gets its own
}

TEST(SecurityHeaders, SetOnEveryResponseAndHstsOnlyOverHttps) {
    HttpRequest req;
    auto res = run(middleware::security_headers(), req);
    auto csp = res.headers.get("Content-Security-Policy").value_or("");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(res.headers.get("X-Frame-Options"), "DENY");
    EXPECT_EQ(res.headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res.headers.get("Referrer-Policy"), "no-referrer");
    EXPECT_FALSE(res.headers.has("Strict-Transport-Security"));

    req.secure = true;
    res = run(middleware::security_headers(), req);
    EXPECT_TRUE(res.headers.has("Strict-Transport-Security"));
}

TEST(SecurityHeaders, AHandlersOwnPolicyIsKept) {
    HttpRequest req;
    auto res = compose({middleware::security_headers()}, [](HttpRequest&) {
        auto r = HttpResponse::html(200, "<form>");
        r.headers.set("Content-Security-Policy", "default-src 'none'");
        return r;
    })(req);
    EXPECT_EQ(res.headers.get("Content-Security-Policy"), "default-src 'none'");
}

TEST(Recover, AnExceptionBecomesA500WithTheRequestIdAndNoDetail) {
    HttpRequest req;
    req.request_id = "abc123";
    auto res = compose({middleware::recover()}, [](HttpRequest&) -> HttpResponse {
        throw std::runtime_error("password=hunter2 in SELECT ...");
    })(req);
    EXPECT_EQ(res.status, 500);
    EXPECT_EQ(res.body.find("hunter2"), std::string::npos);
    auto doc = nlohmann::json::parse(res.body);
    EXPECT_EQ(doc["error"], "server_error");
    EXPECT_EQ(doc["request_id"], "abc123");
}

TEST(Compose, OuterLayerRunsFirst) {
    std::string order;
    auto layer = [&order](char name) -> Middleware {
        return [&order, name](HttpRequest& req, const Pipeline& next) {
            order.push_back(name);
            return next(req);
        };
    };
    HttpRequest req;
    compose({layer('a'), layer('b'), layer('c')}, [&order](HttpRequest&) {
        order.push_back('h');
        return HttpResponse::text(200, "");
    })(req);
    EXPECT_EQ(order, "abch");
}

}  // namespace
}  // namespace idpd::http
