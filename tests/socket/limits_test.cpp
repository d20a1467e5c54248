// Size limits and timeouts as a client meets them: 413, 431, 414, 408 and a close for a client
// that dribbles; a slow handler is not a slow client.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "socket/raw_client.h"
#include "socket/test_server.h"

namespace idpd::http::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

HttpResponse body_size(HttpRequest& request) {
    if (request.path == "/slow") {
        std::this_thread::sleep_for(milliseconds(600));
    }
    return HttpResponse::text(200, std::to_string(request.body.size()));
}

ServerOptions small_limits() {
    auto options = loopback_options();
    options.max_body_bytes = 64 * 1024;
    options.max_header_bytes = 4 * 1024;
    return options;
}

TEST(Limits, BodyUpToTheLimitIsAccepted) {
    auto server = start_server(body_size, small_limits());
    httplib::Client client("127.0.0.1", server->port());

    auto response = client.Post("/upload", std::string(64 * 1024, 'x'), "text/plain");

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "65536");
}

TEST(Limits, LargeBodyGets413) {
    auto server = start_server(body_size, small_limits());
    httplib::Client client("127.0.0.1", server->port());

    auto response = client.Post("/upload", std::string(2 * 1024 * 1024, 'x'), "text/plain");

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
}

TEST(Limits, LargeChunkedBodyGets413) {
    auto server = start_server(body_size, small_limits());
    RawClient client(server->port());

    std::string chunk(40 * 1024, 'x');
    client.send("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
    client.send("a000\r\n" + chunk + "\r\n");
    client.send("a000\r\n" + chunk + "\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_TRUE(client.closed_within(milliseconds(3000)));
}

TEST(Limits, LargeHeadersGet431) {
    auto server = start_server(body_size, small_limits());
    httplib::Client client("127.0.0.1", server->port());

    auto response = client.Get("/", {{"X-Large", std::string(8 * 1024, 'h')}});

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 431);
}

TEST(Limits, HeadersJustUnderTheLimitAreAccepted) {
    auto server = start_server(body_size, small_limits());
    RawClient client(server->port());

    std::string head = "GET / HTTP/1.1\r\nHost: test\r\nX-Pad: ";
    std::size_t padding = 4 * 1024 - head.size() - 4;
    client.send(head + std::string(padding, 'p') + "\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
}

TEST(Limits, LongRequestLineGets414) {
    auto server = start_server(body_size, small_limits());
    RawClient client(server->port());

    client.send("GET /?q=" + std::string(8 * 1024, 'q') + " HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 414);
}

TEST(Limits, ClientStallingInItsHeadersIsCutOffAfterHeaderTimeout) {
    auto options = loopback_options();
    options.header_timeout = milliseconds(300);
    auto server = start_server(body_size, options);
    RawClient client(server->port());

    auto started = steady_clock::now();
    client.send("GET / HTTP/1.1\r\nHost: test\r\nX-Half: ");
    auto response = client.read_response(false, milliseconds(3000));
    bool closed = client.closed_within(milliseconds(3000));
    auto waited = steady_clock::now() - started;

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 408);
    EXPECT_TRUE(closed);
    EXPECT_GE(waited, milliseconds(250));
    EXPECT_LT(waited, milliseconds(2500));
}

TEST(Limits, ClientStallingInItsBodyIsCutOffAfterBodyTimeout) {
    auto options = loopback_options();
    options.body_timeout = milliseconds(300);
    auto server = start_server(body_size, options);
    RawClient client(server->port());

    client.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc");
    auto response = client.read_response(false, milliseconds(3000));

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 408);
    EXPECT_TRUE(client.closed_within(milliseconds(3000)));
}

TEST(Limits, SilentNewConnectionIsClosedAfterHeaderTimeout) {
    auto options = loopback_options();
    options.header_timeout = milliseconds(300);
    auto server = start_server(body_size, options);
    RawClient client(server->port());

    EXPECT_TRUE(client.closed_within(milliseconds(3000)));
}

TEST(Limits, HandlerSlowerThanTheTimeoutsIsNotCutOff) {
    auto options = loopback_options();
    options.header_timeout = milliseconds(200);
    options.body_timeout = milliseconds(200);
    options.keepalive_timeout = milliseconds(200);
    auto server = start_server(body_size, options);
    RawClient client(server->port());

    client.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = client.read_response(false, milliseconds(3000));

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
}

TEST(Limits, KeepAliveConnectionIdleLongerThanHeaderTimeoutStillWorks) {
    // The header timer starts at a request's first byte, not at the end of the previous one.
    auto options = loopback_options();
    options.header_timeout = milliseconds(200);
    auto server = start_server(body_size, options);
    RawClient client(server->port());

    client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    ASSERT_TRUE(client.read_response());
    std::this_thread::sleep_for(milliseconds(400));
    client.send("GET / HTTP/1.1\r\n");
    std::this_thread::sleep_for(milliseconds(50));
    client.send("Host: test\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
}

}  // namespace
}  // namespace idpd::http::test
