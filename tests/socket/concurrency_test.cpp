// Blocking handlers run on the worker pool, not on the event loop: a slow route does not delay a
// fast one, and a full queue is refused at once with 503.
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "socket/raw_client.h"
#include "socket/test_server.h"

namespace idpd::http::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr auto slow_handler_time = milliseconds(300);

HttpResponse slow_or_fast(HttpRequest& request) {
    if (request.path == "/slow") {
        std::this_thread::sleep_for(slow_handler_time);
    }
    return HttpResponse::text(200, request.path);
}

// Polls until `done` or a generous deadline; the tests assert on the state, not on timing.
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

TEST(Concurrency, SlowHandlersDoNotDelayAFastRoute) {
    auto options = loopback_options();
    options.io_threads = 1;  // one event loop: if a handler ran on it, /healthz would wait
    options.worker_threads = 8;
    auto server = start_server(slow_or_fast, options);
    std::uint16_t port = server->port();

    constexpr int slow_requests = 4;
    std::vector<std::thread> clients;
    std::vector<milliseconds> slow_times(slow_requests);
    std::vector<int> slow_statuses(slow_requests);
    for (int i = 0; i < slow_requests; ++i) {
        clients.emplace_back([&, i] {
            httplib::Client client("127.0.0.1", port);
            auto started = steady_clock::now();
            auto response = client.Get("/slow");
            slow_times[i] = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
            slow_statuses[i] = response ? response->status : -1;
        });
    }
    ASSERT_TRUE(eventually([&] { return server->worker_stats().busy == slow_requests; }));

    httplib::Client fast("127.0.0.1", port);
    auto started = steady_clock::now();
    auto response = fast.Get("/healthz");
    auto fast_time =
        std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started);
    for (auto& client : clients) {
        client.join();
    }

    std::cout << "[ figure   ] /healthz answered in " << fast_time.count() / 1000.0
              << " ms (new connection included) while " << slow_requests << " requests of "
              << slow_handler_time.count() << " ms were running" << std::endl;
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_LT(fast_time, milliseconds(150));
    for (int i = 0; i < slow_requests; ++i) {
        EXPECT_EQ(slow_statuses[i], 200);
        EXPECT_GE(slow_times[i], slow_handler_time);
    }
}

TEST(Concurrency, FullQueueIsAnswered503WithRetryAfterAtOnce) {
    auto options = loopback_options();
    options.worker_threads = 1;
    options.queue_limit = 1;
    auto server = start_server(slow_or_fast, options);

    RawClient running(server->port());
    running.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
    ASSERT_TRUE(eventually([&] { return server->worker_stats().busy == 1; }));
    RawClient queued(server->port());
    queued.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
    ASSERT_TRUE(eventually([&] { return server->worker_stats().queued == 1; }));

    RawClient refused(server->port());
    auto started = steady_clock::now();
    refused.send("GET /fast HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = refused.read_response();
    auto waited = steady_clock::now() - started;

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 503);
    EXPECT_EQ(response->header("Retry-After"), "1");
    EXPECT_LT(waited, slow_handler_time);  // not queued behind the slow ones
    EXPECT_EQ(server->worker_stats().rejected, 1u);
    // The refused client keeps its connection and is served once there is room.
    auto first = running.read_response();
    auto second = queued.read_response();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(second->status, 200);
    refused.send("GET /fast HTTP/1.1\r\nHost: test\r\n\r\n");
    auto retried = refused.read_response();
    ASSERT_TRUE(retried);
    EXPECT_EQ(retried->status, 200);
}

}  // namespace
}  // namespace idpd::http::test
