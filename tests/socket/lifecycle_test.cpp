// Starting and stopping as an operator and a client see it: a clear error for a busy port, and
// a graceful shutdown that finishes what is running and refuses what is new.
#include <chrono>
#include <future>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "socket/raw_client.h"
#include "socket/test_server.h"

namespace idpd::http::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

HttpResponse slow_or_fast(HttpRequest& request) {
    if (request.path == "/slow") {
        std::this_thread::sleep_for(milliseconds(300));
    }
    if (request.path == "/stuck") {
        std::this_thread::sleep_for(milliseconds(1500));
    }
    return HttpResponse::text(200, request.path);
}

template <typename Predicate>
bool eventually(Predicate done) {
    auto deadline = steady_clock::now() + milliseconds(5000);
    while (!done()) {
        if (steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(milliseconds(2));
    }
    return true;
}

bool can_connect(std::uint16_t port) {
    try {
        RawClient probe(port);
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

TEST(Lifecycle, StartOnAPortInUseNamesThePort) {
    int taken = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(taken, reinterpret_cast<sockaddr*>(&address), length), 0);
    ASSERT_EQ(::listen(taken, 1), 0);
    ::getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length);
    auto options = loopback_options();
    options.port = ntohs(address.sin_port);

    PistacheServer server(options, slow_or_fast);
    auto started = server.start();
    ::close(taken);

    ASSERT_FALSE(started);
    EXPECT_EQ(started.error(), "port " + std::to_string(options.port) + " is already in use");
    EXPECT_EQ(server.port(), 0);
}

TEST(Lifecycle, ShutdownLetsAnInFlightRequestFinish) {
    auto server = start_server(slow_or_fast);
    std::uint16_t port = server->port();
    RawClient client(port);
    client.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
    ASSERT_TRUE(eventually([&] { return server->worker_stats().busy == 1; }));

    auto started = steady_clock::now();
    auto stopped = std::async(std::launch::async, [&] { server->shutdown(); });
    auto response = client.read_response();
    bool refused_while_draining = eventually([&] { return !can_connect(port); });
    stopped.wait();
    auto took = steady_clock::now() - started;

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "/slow");
    EXPECT_EQ(response->header("Connection"), "close");
    EXPECT_TRUE(client.closed_within(milliseconds(1000)));
    EXPECT_TRUE(refused_while_draining);
    EXPECT_LT(took, milliseconds(2000));
}

TEST(Lifecycle, ShutdownClosesIdleKeepAliveConnections) {
    auto server = start_server(slow_or_fast);
    RawClient client(server->port());
    client.send("GET /fast HTTP/1.1\r\nHost: test\r\n\r\n");
    ASSERT_TRUE(client.read_response());

    auto started = steady_clock::now();
    server->shutdown();

    EXPECT_TRUE(client.closed_within(milliseconds(1000)));
    EXPECT_LT(steady_clock::now() - started, milliseconds(1000));
}

TEST(Lifecycle, ShutdownGivesUpOnAHandlerThatOverrunsTheDrainTimeout) {
    auto options = loopback_options();
    options.drain_timeout = milliseconds(200);
    auto server = start_server(slow_or_fast, options);
    RawClient client(server->port());
    client.send("GET /stuck HTTP/1.1\r\nHost: test\r\n\r\n");
    ASSERT_TRUE(eventually([&] { return server->worker_stats().busy == 1; }));

    auto started = steady_clock::now();
    server->shutdown();
    auto took = steady_clock::now() - started;

    EXPECT_LT(took, milliseconds(1400));  // does not wait for the 1.5 s handler
    EXPECT_TRUE(client.closed_within(milliseconds(1000)));
}

TEST(Lifecycle, ShutdownIsIdempotentAndSafeBeforeStart) {
    PistacheServer never_started(loopback_options(), slow_or_fast);
    never_started.shutdown();
    never_started.shutdown();

    auto server = start_server(slow_or_fast);
    server->shutdown();
    server->shutdown();
    EXPECT_FALSE(server->start());
}

}  // namespace
}  // namespace idpd::http::test
