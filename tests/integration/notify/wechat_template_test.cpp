// The WeChat template-message adapter against tests/fakes/wechat_mp.py: the token is fetched
// once and cached, a token WeChat declared expired (42001) or unknown (40001) is renewed once,
// and a refusal of the message itself is permanent.
#include <chrono>
#include <memory>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "notify/wechat_template_sender.h"
#include "support/process.h"

namespace idpd::testing_support {
namespace {

using json = nlohmann::json;

class WechatTemplateTest : public testing::Test {
protected:
    void SetUp() override {
        fake_ = std::make_unique<Process>(
            std::vector<std::string>{"/usr/bin/python3",
                                     std::string(IDPD_SOURCE_DIR) + "/tests/fakes/wechat_mp.py"},
            std::map<std::string, std::string>{}, std::filesystem::path(IDPD_SOURCE_DIR));
        ASSERT_TRUE(fake_->wait_for_output("\n", std::chrono::seconds(10))) << fake_->err();
        port_ = std::stoi(fake_->out().substr(fake_->out().find(' ') + 1));
    }

    void TearDown() override { fake_.reset(); }

    std::unique_ptr<notify::WechatTemplateSender> sender(std::string secret = "fake-mp-secret") {
        notify::WechatTemplateOptions options;
        options.api_base = "http://127.0.0.1:" + std::to_string(port_);
        options.app_id = "wxfakempappid0001";
        options.app_secret = std::move(secret);
        return std::make_unique<notify::WechatTemplateSender>(options, [this] { return now_; });
    }

    json state() {
        httplib::Client c("127.0.0.1", port_);
        auto r = c.Get("/_control/state");
        EXPECT_TRUE(r);
        return r ? json::parse(r->body) : json::object();
    }

    void expire_tokens() {
        httplib::Client c("127.0.0.1", port_);
        ASSERT_TRUE(c.Post("/_control/expire", "", "application/json"));
    }

    static notify::TemplateMessage notice(std::string openid) {
        return {std::move(openid),
                "tmpl-security-1",
                {{"first", "New sign-in"}, {"keyword1", "2026-11-22 08:30"}},
                "https://id.example.com/account"};
    }

    std::unique_ptr<Process> fake_;
    int port_ = 0;
    std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();
};

TEST_F(WechatTemplateTest, SendsTheTemplateWithACachedToken) {
    auto s = sender();
    ASSERT_TRUE(s->send(notice("oUser1")));
    ASSERT_TRUE(s->send(notice("oUser2")));
    auto st = state();
    EXPECT_EQ(st["token_calls"], 1) << "the token is cached between messages";
    ASSERT_EQ(st["messages"].size(), 2u);
    const json& first = st["messages"][0];
    EXPECT_EQ(first["touser"], "oUser1");
    EXPECT_EQ(first["template_id"], "tmpl-security-1");
    EXPECT_EQ(first["url"], "https://id.example.com/account");
    EXPECT_EQ(first["data"]["first"]["value"], "New sign-in");
    EXPECT_EQ(first["data"]["keyword1"]["value"], "2026-11-22 08:30");
}

TEST_F(WechatTemplateTest, AnExpiredTokenIsRenewedOnceAndTheMessageGoesOut) {
    auto s = sender();
    ASSERT_TRUE(s->send(notice("oUser1")));
    expire_tokens();  // WeChat now answers 42001 for the cached token
    ASSERT_TRUE(s->send(notice("oUser1")));
    auto st = state();
    EXPECT_EQ(st["token_calls"], 2);
    EXPECT_EQ(st["messages"].size(), 2u);
}

TEST_F(WechatTemplateTest, TheTokenIsRenewedAfterItsLifetime) {
    auto s = sender();
    ASSERT_TRUE(s->send(notice("oUser1")));
    now_ += std::chrono::hours(2);  // expires_in 7200
    ASSERT_TRUE(s->send(notice("oUser1")));
    EXPECT_EQ(state()["token_calls"], 2);
}

TEST_F(WechatTemplateTest, ARefusedMessageIsPermanentAndABadSecretIsNot) {
    auto s = sender();
    auto unfollowed = s->send(notice("unfollowed"));
    ASSERT_FALSE(unfollowed);
    EXPECT_TRUE(unfollowed.error().permanent) << unfollowed.error().detail;
    EXPECT_NE(unfollowed.error().detail.find("43004"), std::string::npos);

    auto wrong = sender("not-the-secret")->send(notice("oUser1"));
    ASSERT_FALSE(wrong);
    EXPECT_FALSE(wrong.error().permanent) << "an operator can fix the secret; retry later";
    EXPECT_EQ(state()["messages"].size(), 0u);
}

}  // namespace
}  // namespace idpd::testing_support
