// What reaches the handler and what reaches the client: the request exactly as sent, every
// response field, HEAD without content, no detail on a 500.
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "socket/raw_client.h"
#include "socket/test_server.h"

namespace idpd::http::test {
namespace {

using std::chrono::milliseconds;

// Answers with what it received, one item per line.
HttpResponse describe(HttpRequest& request) {
    std::string out = std::string(method_name(request.method)) + "\n" + request.path + "\n" +
                      request.query + "\n" + request.version + "\n" + request.peer_ip + "\n" +
                      (request.secure ? "https" : "http") + "\n";
    for (const auto& [name, value] : request.headers.fields()) {
        out += name + ": " + value + "\n";
    }
    out += "body: " + request.body + "\n";
    return HttpResponse::text(200, out);
}

TEST(Requests, QueryAndPercentEncodedPathArriveAsSent) {
    auto server = start_server(describe);
    RawClient client(server->port());

    client.send("GET /caf%C3%A9/a%20b?x=1&y=%2F&x=3&z=a+b&empty HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->body.substr(0, response->body.find("Host")),
              "GET\n/café/a b\nx=1&y=%2F&x=3&z=a+b&empty\nHTTP/1.1\n127.0.0.1\nhttp\n");
}

TEST(Requests, HeadersArriveInOrderWithRepeatsAndExactValues) {
    auto server = start_server(describe);
    RawClient client(server->port());

    client.send(
        "POST /form HTTP/1.1\r\nHost: test\r\nAccept: a\r\nX-Dup: 1\r\nx-dup: 2\r\n"
        "Cookie: a=1; b=2\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 7\r\n\r\nk=v&w=x");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->body.find("Host: test\nAccept: a\nX-Dup: 1\nx-dup: 2\nCookie: a=1; b=2\n"
                                  "Content-Type: application/x-www-form-urlencoded\n"
                                  "Content-Length: 7\nbody: k=v&w=x\n"),
              std::string::npos)
        << response->body;
}

TEST(Requests, ChunkedBodyArrivesDecoded) {
    auto server = start_server(describe);
    RawClient client(server->port());

    client.send(
        "POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
        "GET /next HTTP/1.1\r\nHost: test\r\n\r\n");
    auto chunked = client.read_response();
    auto next = client.read_response();

    ASSERT_TRUE(chunked && next);
    EXPECT_NE(chunked->body.find("body: hello, world\n"), std::string::npos) << chunked->body;
    EXPECT_NE(next->body.find("/next"), std::string::npos);
}

TEST(Requests, ExpectContinueGetsAnInterimResponseBeforeTheBody) {
    auto server = start_server(describe);
    RawClient client(server->port());

    client.send(
        "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n"
        "Expect: 100-continue\r\n\r\n");
    auto interim = client.read_response(false, milliseconds(2000));
    client.send("data");
    auto final_response = client.read_response();

    ASSERT_TRUE(interim && final_response);
    EXPECT_EQ(interim->status, 100);
    EXPECT_EQ(final_response->status, 200);
    EXPECT_NE(final_response->body.find("body: data"), std::string::npos);
}

TEST(Requests, MalformedRequestsAreRefusedAndTheConnectionClosed) {
    auto server = start_server(describe);

    struct Case {
        std::string request;
        int status;
    };

    for (const auto& [request, status] : {
             Case{"GET / HTTP/1.1\r\n\r\n", 400},                        // no Host
             Case{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},  // two Hosts
             Case{"GET / HTTP/1.1\r\nHost : test\r\n\r\n", 400},         // space before colon
             Case{"GET / HTTP/1.1\nHost: test\n\n", 400},                // bare LF
             Case{"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n",
                  400},  // smuggling shape
             Case{"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
                  400},
             Case{"BREW /pot HTTP/1.1\r\nHost: test\r\n\r\n", 501},  // unknown method
             Case{"TRACE / HTTP/1.1\r\nHost: test\r\n\r\n", 501},
             Case{"GET / HTTP/2.0\r\nHost: test\r\n\r\n", 505},
             Case{"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
         }) {
        RawClient client(server->port());
        client.send(request);
        auto response = client.read_response();
        ASSERT_TRUE(response) << request;
        EXPECT_EQ(response->status, status) << request;
        EXPECT_EQ(response->header("Connection"), "close") << request;
        EXPECT_TRUE(client.closed_within(milliseconds(1000))) << request;
    }
}

TEST(Responses, ThrowingPipelineGets500WithoutDetail) {
    auto server = start_server([](HttpRequest&) -> HttpResponse {
        throw std::runtime_error("database password is hunter2");
    });
    httplib::Client client("127.0.0.1", server->port());

    auto response = client.Get("/");
    auto again = client.Get("/");

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->body, R"({"error":"server_error"})");
    EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
    ASSERT_TRUE(again);  // the worker survived
    EXPECT_EQ(again->status, 500);
}

TEST(Responses, HeadHasNoBodyButTheLengthOfTheGet) {
    auto server =
        start_server([](HttpRequest&) { return HttpResponse::text(200, "twelve bytes"); });
    RawClient client(server->port());

    client.send("HEAD /page HTTP/1.1\r\nHost: test\r\n\r\n");
    auto head = client.read_response(true);
    client.send("GET /page HTTP/1.1\r\nHost: test\r\n\r\n");
    auto get = client.read_response();

    ASSERT_TRUE(head && get);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("Content-Length"), "12");
    EXPECT_EQ(head->body, "");
    EXPECT_EQ(get->body, "twelve bytes");  // nothing of the HEAD answer leaked into this one
    EXPECT_EQ(client.pending(), "");
}

TEST(Responses, SeveralSetCookieHeadersArriveIntact) {
    auto server = start_server([](HttpRequest&) {
        auto response = HttpResponse::text(200, "ok");
        response.headers.add("Set-Cookie", "session=abc; Path=/; HttpOnly; Secure; SameSite=Lax");
        response.headers.add("Set-Cookie", "csrf=x%3Dy; Path=/; Max-Age=600");
        response.headers.add("Set-Cookie", "old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        return response;
    });
    RawClient client(server->port());

    client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    std::vector<std::string> cookies;
    for (const auto& [name, value] : response->headers) {
        if (name == "Set-Cookie") {
            cookies.push_back(value);
        }
    }
    EXPECT_EQ(cookies,
              (std::vector<std::string>{"session=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
                                        "csrf=x%3Dy; Path=/; Max-Age=600",
                                        "old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}));
}

TEST(Responses, LargeResponseArrivesWholeToASlowReader) {
    std::string large(8 * 1024 * 1024, 'x');
    for (std::size_t i = 0; i < large.size(); i += 4096) {
        large[i] = static_cast<char>('a' + (i / 4096) % 26);
    }
    auto server = start_server([&](HttpRequest&) { return HttpResponse::text(200, large); });
    httplib::Client client("127.0.0.1", server->port());
    client.set_keep_alive(true);

    std::string received;
    auto response = client.Get("/", [&](const char* data, std::size_t length) {
        received.append(data, length);
        if (received.size() < 1024 * 1024) {
            std::this_thread::sleep_for(milliseconds(1));  // let the server hit EAGAIN
        }
        return true;
    });
    auto again = client.Get("/");

    ASSERT_TRUE(response);
    EXPECT_TRUE(received == large);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->body == large);
}

TEST(Responses, StatusFieldsAndDateAreWritten) {
    auto server = start_server([](HttpRequest&) {
        auto response = HttpResponse::redirect(303, "/next");
        response.headers.set("Cache-Control", "no-store");
        response.headers.set("X-Injected", "a\r\nSet-Cookie: evil=1");  // must not split
        return response;
    });
    RawClient client(server->port());

    client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = client.read_response();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 303);
    EXPECT_EQ(response->header("Location"), "/next");
    EXPECT_EQ(response->header("Cache-Control"), "no-store");
    EXPECT_TRUE(response->header("Date").has_value());
    EXPECT_EQ(response->count("Set-Cookie"), 0u);
    EXPECT_EQ(response->count("X-Injected"), 0u);
}

}  // namespace
}  // namespace idpd::http::test
