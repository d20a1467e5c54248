#include "http/request_parser.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace idpd::http {
namespace {

using Status = RequestParser::Status;

ParserLimits small_limits() {
    return ParserLimits{.max_header_bytes = 256, .max_body_bytes = 64};
}

// Feeds `wire` in pieces of `step` bytes, as a network would, until the parser decides.
Status feed_in_pieces(RequestParser& parser, std::string_view wire, std::size_t step) {
    Status status = Status::need_more;
    while (!wire.empty() && status == Status::need_more) {
        std::string_view piece = wire.substr(0, step);
        wire.remove_prefix(piece.size());
        status = parser.feed(piece);
        EXPECT_TRUE(piece.empty() || status != Status::need_more);
    }
    return status;
}

TEST(RequestParser, ABodyWithABareLfInTheSameReadAsTheHeadIsNotALineEnding) {
    // What a browser sends for a PNG upload: the head and the body's first bytes in one read.
    const std::string body = "\x89PNG\r\n\x1a\nrest";
    const std::string wire =
        "POST /up HTTP/1.1\r\nHost: idp\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    for (std::size_t step : {1u, 7u, 1000u}) {
        RequestParser parser(small_limits());
        ASSERT_EQ(feed_in_pieces(parser, wire, step), Status::complete) << step;
        EXPECT_EQ(parser.take().request.body, body);
    }
}

TEST(RequestParser, ReadsARequestWhateverTheReadBoundaries) {
    std::string wire =
        "POST /a%20b/c?x=1&y=%2F HTTP/1.1\r\nHost: idp\r\nX-Dup: 1\r\nx-dup: 2\r\n"
        "Content-Length: 5\r\n\r\nhello";
    for (std::size_t step : {1u, 2u, 3u, 7u, 1000u}) {
        RequestParser parser(small_limits());
        ASSERT_EQ(feed_in_pieces(parser, wire, step), Status::complete) << step;
        ParsedRequest parsed = parser.take();
        EXPECT_EQ(parsed.request.method, Method::post);
        EXPECT_EQ(parsed.request.path, "/a b/c");
        EXPECT_EQ(parsed.request.query, "x=1&y=%2F");
        EXPECT_EQ(parsed.request.version, "HTTP/1.1");
        EXPECT_EQ(parsed.request.body, "hello");
        ASSERT_EQ(parsed.request.headers.fields().size(), 4u);
        EXPECT_EQ(parsed.request.headers.fields()[2].first, "x-dup");
        EXPECT_EQ(parsed.request.headers.fields()[2].second, "2");
        EXPECT_TRUE(parsed.keep_alive);
    }
}

TEST(RequestParser, LeavesTheNextPipelinedRequestInTheInput) {
    RequestParser parser(small_limits());
    std::string_view input =
        "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n";

    ASSERT_EQ(parser.feed(input), Status::complete);
    EXPECT_EQ(parser.take().request.path, "/one");
    ASSERT_EQ(parser.feed(input), Status::complete);
    EXPECT_EQ(parser.take().request.path, "/two");
    EXPECT_TRUE(input.empty());
}

TEST(RequestParser, DecodesChunkedBodiesAndDiscardsTrailers) {
    RequestParser parser(small_limits());
    std::string wire =
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
        "3;name=value\r\nabc\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT";
    std::string_view input = wire;

    ASSERT_EQ(feed_in_pieces(parser, input, 1), Status::complete);
    EXPECT_EQ(parser.take().request.body, "abc0123456789");
}

TEST(RequestParser, SkipsBlankLinesBeforeARequest) {
    RequestParser parser(small_limits());
    std::string_view input = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";

    EXPECT_EQ(parser.feed(input), Status::complete);
}

TEST(RequestParser, AcceptsTheAbsoluteAndAsteriskForms) {
    RequestParser absolute(small_limits());
    std::string_view input = "GET https://idp.example/p?q=1 HTTP/1.1\r\nHost: idp.example\r\n\r\n";
    ASSERT_EQ(absolute.feed(input), Status::complete);
    auto parsed = absolute.take();
    EXPECT_EQ(parsed.request.path, "/p");
    EXPECT_EQ(parsed.request.query, "q=1");

    RequestParser asterisk(small_limits());
    input = "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n";
    ASSERT_EQ(asterisk.feed(input), Status::complete);
    EXPECT_EQ(asterisk.take().request.path, "*");
}

TEST(RequestParser, DecidesPersistenceAsRfc9112Says) {
    struct Case {
        std::string_view head;
        bool keep_alive;
    };

    for (auto [head, keep_alive] : {
             Case{"GET / HTTP/1.1\r\nHost: a\r\n\r\n", true},
             Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n", false},
             Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: TE, close\r\n\r\n", false},
             Case{"GET / HTTP/1.0\r\n\r\n", false},
             Case{"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true},
         }) {
        RequestParser parser(small_limits());
        std::string_view input = head;
        ASSERT_EQ(parser.feed(input), Status::complete) << head;
        EXPECT_EQ(parser.take().keep_alive, keep_alive) << head;
    }
}

TEST(RequestParser, ReportsExpectContinueOnlyWhenABodyFollows) {
    RequestParser with_body(small_limits());
    std::string_view input =
        "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
    EXPECT_EQ(with_body.feed(input), Status::need_more);
    EXPECT_TRUE(with_body.headers_complete());
    EXPECT_TRUE(with_body.expects_continue());

    RequestParser without_body(small_limits());
    input = "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n";
    EXPECT_EQ(without_body.feed(input), Status::complete);
    EXPECT_FALSE(without_body.expects_continue());
}

TEST(RequestParser, TracksProgressForTimeouts) {
    RequestParser parser(small_limits());
    EXPECT_FALSE(parser.has_started());
    std::string_view input = "\r\n";
    parser.feed(input);
    EXPECT_FALSE(parser.has_started());  // blank lines are not a request
    input = "POST / HTTP/1.1\r\nHost: a\r\n";
    parser.feed(input);
    EXPECT_TRUE(parser.has_started());
    EXPECT_FALSE(parser.headers_complete());
    input = "Content-Length: 2\r\n\r\nx";
    parser.feed(input);
    EXPECT_TRUE(parser.headers_complete());
    input = "y";
    EXPECT_EQ(parser.feed(input), Status::complete);
    parser.take();
    EXPECT_FALSE(parser.has_started());
}

TEST(RequestParser, RefusesWhatCouldBeFramedTwoWays) {
    struct Case {
        std::string_view wire;
        int status;
    };

    for (auto [wire, status] : {
             Case{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n",
                  400},
             Case{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n", 400},
             Case{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                  400},
             Case{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", 400},
             Case{"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
             Case{"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
             Case{"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400},
             Case{"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400},
             Case{"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
             Case{"GET / HTTP/1.1\nHost: a\n\n", 400},
             Case{"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
             Case{"GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400},
             Case{"GET /%00 HTTP/1.1\r\nHost: a\r\n\r\n", 400},
             Case{"GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400},
             Case{"GET / HTTP/1.1\r\n\r\n", 400},
             Case{"GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505},
             Case{"GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400},
             Case{"CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", 501},
             Case{"get / HTTP/1.1\r\nHost: a\r\n\r\n", 501},  // methods are case-sensitive
         }) {
        RequestParser parser(small_limits());
        std::string_view input = wire;
        ASSERT_EQ(parser.feed(input), Status::failed) << wire;
        EXPECT_EQ(parser.error().status, status) << wire;
    }
}

TEST(RequestParser, EnforcesTheLimitsBeforeBuffering) {
    struct Case {
        std::string wire;
        int status;
    };

    for (const auto& [wire, status] : {
             Case{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n", 413},
             Case{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                  413},
             Case{"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 413},
             Case{"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "40\r\n" +
                      std::string(64, 'x') + "\r\n1\r\n",
                  413},
             Case{"GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(300, 'x'), 431},
             Case{"GET /" + std::string(300, 'x'), 414},
         }) {
        RequestParser parser(small_limits());
        std::string_view input = wire;
        ASSERT_EQ(parser.feed(input), Status::failed) << wire;
        EXPECT_EQ(parser.error().status, status) << wire;
    }
}

TEST(RequestParser, AcceptsAHeaderSectionOfExactlyTheLimit) {
    std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
    head += std::string(256 - head.size() - 4, 'x') + "\r\n\r\n";
    ASSERT_EQ(head.size(), 256u);
    RequestParser parser(small_limits());
    std::string_view input = head;

    EXPECT_EQ(parser.feed(input), Status::complete);
}

}  // namespace
}  // namespace idpd::http
