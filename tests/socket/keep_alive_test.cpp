// Connection persistence as a client sees it (RFC 9112 §9.3): HTTP/1.1 persists by default,
// `Connection: close` and HTTP/1.0 without keep-alive end the connection, pipelined requests are
// answered in order.
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "socket/raw_client.h"
#include "socket/test_server.h"

namespace idpd::http::test {
namespace {

using std::chrono::milliseconds;

HttpResponse echo_path(HttpRequest& request) {
    if (request.path == "/slow") {
        std::this_thread::sleep_for(milliseconds(150));
    }
    return HttpResponse::text(200, request.path);
}

TEST(KeepAlive, Http11WithoutConnectionHeaderGetsTwoResponsesOnOneConnection) {
    auto server = start_server(echo_path);
    RawClient client(server->port());

    client.send("GET /one HTTP/1.1\r\nHost: test\r\n\r\n");
    auto first = client.read_response();
    client.send("GET /two HTTP/1.1\r\nHost: test\r\n\r\n");
    auto second = client.read_response();

    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(first->body, "/one");
    EXPECT_FALSE(first->header("Connection").has_value());
    EXPECT_EQ(second->body, "/two");
}

TEST(KeepAlive, PipelinedRequestsAreAnsweredInOrder) {
    auto server = start_server(echo_path);
    RawClient client(server->port());

    // The slow one runs first: the fast one finishes earlier on another worker but must wait.
    client.send(
        "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n"
        "GET /fast HTTP/1.1\r\nHost: test\r\n\r\n"
        "GET /last HTTP/1.1\r\nHost: test\r\n\r\n");

    auto first = client.read_response();
    auto second = client.read_response();
    auto third = client.read_response();
    ASSERT_TRUE(first && second && third);
    EXPECT_EQ(first->body, "/slow");
    EXPECT_EQ(second->body, "/fast");
    EXPECT_EQ(third->body, "/last");
}

TEST(KeepAlive, ConnectionCloseIsHonoured) {
    auto server = start_server(echo_path);
    RawClient client(server->port());

    client.send("GET /bye HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "/bye");
    EXPECT_EQ(response->header("Connection"), "close");
    EXPECT_TRUE(client.closed_within(milliseconds(1000)));
}

TEST(KeepAlive, RequestsAfterConnectionCloseAreNotProcessed) {
    std::atomic<int> calls = 0;
    auto server = start_server([&](HttpRequest& request) {
        ++calls;
        return HttpResponse::text(200, request.path);
    });
    RawClient client(server->port());

    client.send(
        "GET /bye HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
        "GET /ignored HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "/bye");
    EXPECT_TRUE(client.closed_within(milliseconds(1000)));
    EXPECT_EQ(calls, 1);
}

TEST(KeepAlive, Http10ClosesByDefault) {
    auto server = start_server(echo_path);
    RawClient client(server->port());

    client.send("GET /old HTTP/1.0\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "/old");
    EXPECT_EQ(response->header("Connection"), "close");
    EXPECT_TRUE(client.closed_within(milliseconds(1000)));
}

TEST(KeepAlive, Http10KeepAliveIsKeptAndAnnounced) {
    auto server = start_server(echo_path);
    RawClient client(server->port());

    client.send("GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto first = client.read_response();
    client.send("GET /two HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto second = client.read_response();

    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->header("Connection"), "keep-alive");
    EXPECT_EQ(second->body, "/two");
}

TEST(KeepAlive, IdleConnectionIsClosedAfterKeepaliveTimeout) {
    auto options = loopback_options();
    options.keepalive_timeout = milliseconds(300);
    auto server = start_server(echo_path, options);
    RawClient client(server->port());

    client.send("GET /one HTTP/1.1\r\nHost: test\r\n\r\n");
    ASSERT_TRUE(client.read_response());
    auto idle_since = std::chrono::steady_clock::now();

    EXPECT_TRUE(client.closed_within(milliseconds(3000)));
    EXPECT_GE(std::chrono::steady_clock::now() - idle_since, milliseconds(250));
}

}  // namespace
}  // namespace idpd::http::test
