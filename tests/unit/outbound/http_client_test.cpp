// The outbound wrapper against a real loopback server (cpp-httplib's own), as upstreams answer.
#include "outbound/http_client.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

namespace idpd::outbound {
namespace {

class Upstream : public ::testing::Test {
protected:
    void SetUp() override {
        server_.Get("/base/user", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(
                "{\"login\":\"octo\",\"auth\":\"" + req.get_header_value("Authorization") + "\"}",
                "application/json");
        });
        server_.Post("/base/token", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(req.get_header_value("Content-Type") + "|" + req.body, "text/plain");
        });
        server_.Get("/base/big", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(std::string(4096, 'x'), "text/plain");
        });
        server_.Get("/base/moved", [](const httplib::Request&, httplib::Response& res) {
            res.set_redirect("/base/user");
        });
        server_.Get("/base/slow", [](const httplib::Request&, httplib::Response& res) {
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
            res.set_content("late", "text/plain");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    void TearDown() override {
        server_.stop();
        thread_.join();
    }

    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/base"; }

    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

TEST_F(Upstream, GetJoinsTheBasePathAndSendsHeaders) {
    HttpClient client(base());
    auto res = client.get("/user", {{"Authorization", "token abc"}});
    ASSERT_TRUE(res.has_value()) << res.error().detail;
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, R"({"login":"octo","auth":"token abc"})");
    EXPECT_EQ(res->header("content-type"), "application/json");
}

TEST_F(Upstream, PostFormEncodesFields) {
    HttpClient client(base() + "/");
    auto res = client.post_form("token", {{"code", "a b&c"}, {"state", "é"}});
    ASSERT_TRUE(res.has_value()) << res.error().detail;
    EXPECT_EQ(res->body, "application/x-www-form-urlencoded|code=a%20b%26c&state=%C3%A9");
}

TEST_F(Upstream, ALargerBodyThanTheLimitFails) {
    ClientOptions small;
    small.max_response_bytes = 1024;
    HttpClient client(base(), small);
    auto res = client.get("/big");
    ASSERT_FALSE(res.has_value());
    EXPECT_EQ(res.error().kind, CallError::Kind::too_large);
    ClientOptions roomy_options;
    roomy_options.max_response_bytes = 4096;
    HttpClient roomy(base(), roomy_options);
    EXPECT_TRUE(roomy.get("/big").has_value());
}

TEST_F(Upstream, RedirectsAreNotFollowed) {
    HttpClient client(base());
    auto res = client.get("/moved");
    ASSERT_TRUE(res.has_value());
    EXPECT_EQ(res->status, 302);
    EXPECT_EQ(res->header("Location"), "/base/user");
}

TEST_F(Upstream, ASlowAnswerTimesOut) {
    ClientOptions impatient;
    impatient.read_timeout = std::chrono::milliseconds(150);
    HttpClient client(base(), impatient);
    auto res = client.get("/slow");
    ASSERT_FALSE(res.has_value());
    EXPECT_EQ(res.error().kind, CallError::Kind::timeout);
}

TEST(HttpClient, RefusesWhatIsNotAnHttpUrl) {
    for (const char* url :
         {"ftp://x/", "file:///etc/passwd", "http://user:pw@host/", "//host/", "http:///path"}) {
        auto res = HttpClient(url).get("/");
        ASSERT_FALSE(res.has_value()) << url;
        EXPECT_EQ(res.error().kind, CallError::Kind::bad_url) << url;
    }
    auto res = HttpClient("http://127.0.0.1:1").get("/a b");
    ASSERT_FALSE(res.has_value());
    EXPECT_EQ(res.error().kind, CallError::Kind::bad_url);
}

TEST(HttpClient, AClosedPortIsAConnectError) {
    // Port 1 on loopback: nothing listens there on a test machine.
    auto res = HttpClient("http://127.0.0.1:1").get("/");
    ASSERT_FALSE(res.has_value());
    EXPECT_EQ(res.error().kind, CallError::Kind::connect);
}

TEST(HttpClient, HeadersWithLineBreaksAreRefused) {
    auto res = HttpClient("http://127.0.0.1:1").get("/", {{"X-A", "b\r\nX-Evil: 1"}});
    ASSERT_FALSE(res.has_value());
    EXPECT_EQ(res.error().kind, CallError::Kind::failed);
}

}  // namespace
}  // namespace idpd::outbound
