// GET /dev/outbox through the whole app: a queued message shows with its link clickable and
// everything escaped; the page answers only loopback clients and only when configured.
#include <gmock/gmock.h>

#include "integration/app_fixture.h"
#include "notify/outbox.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

class DevOutboxTest : public AppTest {
protected:
    void enqueue_reset_mail() {
        notify::Message m{notify::Channel::email,
                          "alice@example.com",
                          "重置密码 <b>",
                          "请打开 https://localhost:8080/reset?token=abc&x=1 完成。\n"
                          "<script>alert(1)</script> javascript:alert(2)",
                          "",
                          "password_reset"};
        ASSERT_TRUE(notify::enqueue(*db_, m,
                                    std::chrono::sys_seconds{std::chrono::seconds{1'700'000'000}}));
    }
};

TEST_F(DevOutboxTest, AQueuedMessageShowsWithAClickableEscapedLink) {
    enqueue_reset_mail();
    auto r = get("/dev/outbox", "text/html");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_THAT(r.body, HasSubstr("<a href=\"https://localhost:8080/reset?token=abc&amp;x=1\">"
                                  "https://localhost:8080/reset?token=abc&amp;x=1</a>"));
    EXPECT_THAT(r.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(2)"));
    EXPECT_THAT(r.body, Not(HasSubstr("<script>")));
    EXPECT_THAT(r.body, HasSubstr("重置密码 &lt;b&gt;"));
    EXPECT_THAT(r.body, HasSubstr("alice@example.com"));
    EXPECT_THAT(r.body, HasSubstr("password_reset"));
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
}

TEST_F(DevOutboxTest, OnlyLoopbackClientsSeeIt) {
    enqueue_reset_mail();
    http::HttpRequest req;
    req.method = http::Method::get;
    req.path = "/dev/outbox";
    req.peer_ip = "192.0.2.10";
    req.headers.set("Accept", "text/html");
    auto r = app_->handle(req);
    EXPECT_EQ(r.status, 404);
    EXPECT_THAT(r.body, Not(HasSubstr("token=abc")));
}

TEST_F(DevOutboxTest, ItIsNotRoutedWhenTurnedOff) {
    config_.notify.dev_outbox_page = false;
    app_ = std::make_unique<app::App>(config_, *db_);
    EXPECT_EQ(get("/dev/outbox", "text/html").status, 404);
}

}  // namespace
}  // namespace idpd::testing_support
