#include "http/response_encoder.h"

#include <chrono>

#include <gtest/gtest.h>

namespace idpd::http {
namespace {

// 1994-11-06T08:49:37Z, RFC 9110's example date.
const auto example_time = std::chrono::system_clock::from_time_t(784111777);

TEST(ResponseEncoder, WritesStatusFieldsDateLengthAndBody) {
    auto response = HttpResponse::text(200, "hi");
    response.headers.add("Set-Cookie", "a=1");
    response.headers.add("Set-Cookie", "b=2");

    EXPECT_EQ(encode_response(response, {}, example_time),
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
              "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Length: 2\r\n\r\nhi");
}

TEST(ResponseEncoder, AnnouncesHowTheConnectionContinues) {
    HttpResponse response{204, {}, {}};

    EXPECT_EQ(encode_response(response, {.keep_alive = false}, example_time),
              "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Connection: close\r\n\r\n");
    EXPECT_NE(encode_response(response, {.keep_alive = true, .http10_client = true}, example_time)
                  .find("Connection: keep-alive\r\n"),
              std::string::npos);
}

TEST(ResponseEncoder, OwnsTheFramingFields) {
    HttpResponse response{200, {}, "body"};
    response.headers.add("Content-Length", "999");
    response.headers.add("Transfer-Encoding", "chunked");
    response.headers.add("Connection", "keep-alive");
    response.headers.add("Date", "Mon, 07 Nov 1994 00:00:00 GMT");

    EXPECT_EQ(encode_response(response, {}, example_time),
              "HTTP/1.1 200 OK\r\nDate: Mon, 07 Nov 1994 00:00:00 GMT\r\n"
              "Content-Length: 4\r\n\r\nbody");
}

TEST(ResponseEncoder, HeadGetsTheFieldsOnly) {
    HttpResponse full{200, {}, "twelve bytes"};
    EXPECT_EQ(encode_response(full, {.head = true}, example_time),
              "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Length: 12\r\n\r\n");

    HttpResponse stated{200, {}, ""};
    stated.headers.add("Content-Length", "4096");
    EXPECT_EQ(encode_response(stated, {.head = true}, example_time),
              "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n"
              "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
}

TEST(ResponseEncoder, NotModifiedCarriesNoContent) {
    HttpResponse response{304, {}, "ignored"};

    EXPECT_EQ(encode_response(response, {}, example_time),
              "HTTP/1.1 304 Not Modified\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
}

TEST(ResponseEncoder, DropsFieldsThatWouldSplitTheResponse) {
    HttpResponse response{302, {}, ""};
    response.headers.add("Location", "/ok");
    response.headers.add("Location2", "/x\r\nSet-Cookie: evil=1");
    response.headers.add("Bad Name", "v");
    response.headers.add("X-Nul", std::string("a\0b", 3));

    std::string wire = encode_response(response, {}, example_time);

    EXPECT_NE(wire.find("Location: /ok\r\n"), std::string::npos);
    EXPECT_EQ(wire.find("evil"), std::string::npos);
    EXPECT_EQ(wire.find("Bad Name"), std::string::npos);
    EXPECT_EQ(wire.find("X-Nul"), std::string::npos);
}

}  // namespace
}  // namespace idpd::http
