#include "http/metrics.h"

#include <gtest/gtest.h>

namespace idpd::http {
namespace {

TEST(Metrics, CountsByRouteMethodAndStatusWithAHistogram) {
    Metrics m;
    m.observe("/healthz", "GET", 200, std::chrono::milliseconds(2));
    m.observe("/healthz", "GET", 200, std::chrono::milliseconds(30));
    m.observe("unmatched", "GET", 404, std::chrono::microseconds(100));
    std::string text = m.render();
    EXPECT_NE(
        text.find("idpd_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"),
        std::string::npos);
    EXPECT_NE(
        text.find("idpd_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
        std::string::npos);
    EXPECT_NE(
        text.find("idpd_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1"),
        std::string::npos);
    EXPECT_NE(
        text.find("idpd_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2"),
        std::string::npos);
    EXPECT_NE(text.find("idpd_http_request_duration_seconds_count{route=\"/healthz\"} 2"),
              std::string::npos);
}

TEST(Metrics, GaugesAreReadAtScrapeTimeAndInfoLabelsEscaped) {
    Metrics m;
    int value = 1;
    m.add_gauge("idpd_test_gauge", "A test gauge.", [&value] { return value; });
    m.add_info("idpd_build_info", "Build.", {{"version", "1\"2"}});
    value = 7;
    std::string text = m.render();
    EXPECT_NE(text.find("# TYPE idpd_test_gauge gauge\nidpd_test_gauge 7\n"), std::string::npos);
    EXPECT_NE(text.find("idpd_build_info{version=\"1\\\"2\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace idpd::http
