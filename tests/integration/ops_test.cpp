#include <nlohmann/json.hpp>

#include "integration/app_fixture.h"

namespace idpd {
namespace {

using AppOps = testing_support::AppTest;

TEST_F(AppOps, HealthzAnswersWithSecurityHeadersAndARequestId) {
    auto res = get("/healthz");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(nlohmann::json::parse(res.body)["status"], "ok");
    EXPECT_EQ(res.headers.get("X-Frame-Options"), "DENY");
    EXPECT_EQ(res.headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_TRUE(res.headers.has("Content-Security-Policy"));
    EXPECT_EQ(res.headers.get("X-Request-Id").value_or("").size(), 24u);
}

TEST_F(AppOps, ReadyzReportsTheDatabaseAndDraining) {
    auto res = get("/readyz");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(nlohmann::json::parse(res.body)["database"], "up");
    app_->start_draining();
    res = get("/readyz");
    EXPECT_EQ(res.status, 503);
    EXPECT_EQ(nlohmann::json::parse(res.body)["status"], "draining");
    // Liveness does not follow readiness: the process is still healthy while it drains.
    EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(AppOps, MetricsCountRequestsByRouteAndShowBuildAndPool) {
    get("/healthz");
    get("/healthz");
    get("/no-such-page");
    auto res = get("/metrics");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(res.body.find(
                  "idpd_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"),
              std::string::npos);
    EXPECT_NE(res.body.find(
                  "idpd_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
              std::string::npos);
    EXPECT_NE(res.body.find("idpd_build_info{version=\""), std::string::npos);
    EXPECT_NE(res.body.find("idpd_db_pool_size 8"), std::string::npos);
}

TEST_F(AppOps, UnknownPathsAnswerInTheClientsLanguageOfChoice) {
    auto api = get("/nope");
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(nlohmann::json::parse(api.body)["error"], "not_found");
    auto page = get("/nope", "text/html");
    EXPECT_EQ(page.status, 404);
    // A browser gets the pages' layout in its language (zh-CN by default): web::Site::not_found.
    EXPECT_NE(page.body.find("<html lang=\"zh-CN\">"), std::string::npos);
    EXPECT_NE(page.body.find("页面不存在"), std::string::npos);
    // A path is never echoed into the page, so it cannot inject markup.
    auto hostile = get("/<script>alert(1)</script>", "text/html");
    EXPECT_EQ(hostile.body.find("<script>"), std::string::npos);
}

TEST_F(AppOps, StaticFilesCarryETagsAndRevalidate) {
    auto css = get("/static/css/idpd.css", "text/css");
    ASSERT_EQ(css.status, 200);
    EXPECT_EQ(css.headers.get("Content-Type"), "text/css; charset=utf-8");
    auto etag = css.headers.get("ETag");
    ASSERT_TRUE(etag);
    http::HttpRequest again;
    again.path = "/static/css/idpd.css";
    again.headers.set("If-None-Match", *etag);
    EXPECT_EQ(app_->handle(again).status, 304);
}

TEST_F(AppOps, ForwardedHeadersCountOnlyFromTrustedProxies) {
    http::HttpRequest req;
    req.path = "/healthz";
    req.peer_ip = "203.0.113.5";
    req.headers.set("X-Forwarded-Proto", "https");
    auto res = app_->handle(req);
    EXPECT_FALSE(res.headers.has("Strict-Transport-Security"));

    config_.proxy.trusted = {"127.0.0.1"};
    app::App behind_proxy(config_, *db_);
    req.peer_ip = "127.0.0.1";
    res = behind_proxy.handle(req);
    EXPECT_EQ(res.headers.get("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
}

}  // namespace
}  // namespace idpd
