// The one error table: wire names, statuses, redirectability, and what a response may carry.
#include "oidc/errors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace idpd::oidc {
namespace {

TEST(ErrorTable, WireNamesSpellTheSpec) {
    EXPECT_EQ(wire_name(ErrorCode::invalid_request), "invalid_request");
    EXPECT_EQ(wire_name(ErrorCode::invalid_client), "invalid_client");
    EXPECT_EQ(wire_name(ErrorCode::unsupported_grant_type), "unsupported_grant_type");
    EXPECT_EQ(wire_name(ErrorCode::unsupported_token_type), "unsupported_token_type");
    EXPECT_EQ(wire_name(ErrorCode::temporarily_unavailable), "temporarily_unavailable");
}

TEST(ErrorTable, StatusesFollowRfc6749) {
    EXPECT_EQ(http_status(ErrorCode::invalid_request), 400);
    EXPECT_EQ(http_status(ErrorCode::invalid_grant), 400);
    EXPECT_EQ(http_status(ErrorCode::invalid_scope), 400);
    EXPECT_EQ(http_status(ErrorCode::invalid_client), 401);
    EXPECT_EQ(http_status(ErrorCode::invalid_token), 401);
    EXPECT_EQ(http_status(ErrorCode::server_error), 500);
    EXPECT_EQ(http_status(ErrorCode::temporarily_unavailable), 503);
}

TEST(ErrorTable, UnknownClientNeverRedirects) {
    EXPECT_FALSE(may_redirect(ErrorCode::invalid_client));
    EXPECT_TRUE(may_redirect(ErrorCode::access_denied));
    EXPECT_TRUE(may_redirect(ErrorCode::login_required));
}

TEST(ErrorResponse, InvalidClientIs401WithBasicChallenge) {
    http::HttpRequest req;
    auto response = error_response(
        req,
        Error{ErrorCode::invalid_client, "client authentication failed", "unknown client_id x"});
    EXPECT_EQ(response.status, 401);
    ASSERT_TRUE(response.headers.get("WWW-Authenticate"));
    EXPECT_TRUE(response.headers.get("WWW-Authenticate")->starts_with("Basic realm="));
    EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["error"], "invalid_client");
    EXPECT_EQ(body["error_description"], "client authentication failed");
    EXPECT_EQ(response.body.find("unknown client_id"), std::string::npos);
}

TEST(ErrorResponse, DescriptionCarriesNoCrLfQuotesOrNonAscii) {
    http::HttpRequest req;
    auto response = error_response(
        req, Error{ErrorCode::invalid_request, "bad\r\nSet-Cookie: x=\"1\" \\ 中文 é", {}});
    auto description = nlohmann::json::parse(response.body)["error_description"].get<std::string>();
    for (char c : description) {
        const auto u = static_cast<unsigned char>(c);
        EXPECT_TRUE(u >= 0x20 && u <= 0x7E && c != '"' && c != '\\') << int(u);
    }
    EXPECT_EQ(description, "bad??Set-Cookie: x=?1? ? ?? ?");
}

TEST(ErrorResponse, ServerErrorsNeverLeakTheirDetail) {
    http::HttpRequest req;
    req.request_id = "req-1";
    auto response = error_response(
        req, Error{ErrorCode::server_error, "SELECT failed on table clients", "sqlite: disk I/O"});
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
    EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
    EXPECT_NE(response.body.find("req-1"), std::string::npos);
}

}  // namespace
}  // namespace idpd::oidc
