// Notices through notify::Notifier with the WeChat channel, against tests/fakes/wechat_mp.py:
// the notifications page shows the official account's QR code until WeChat tells us (a signed
// SCAN/subscribe event) who scanned it; a security notice then goes to that openid with the
// configured template, while the preferences and the phone decide the other channels.
#include <chrono>
#include <fstream>
#include <memory>

#include <gmock/gmock.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include "app/notify_settings.h"
#include "billing/account_store.h"
#include "billing/order_store.h"
#include "fakes/alipay_fake.h"
#include "integration/web/phones_fixture.h"
#include "support/process.h"

namespace idpd::testing_support {
namespace {

using json = nlohmann::json;
using testing::HasSubstr;
using testing::Not;

constexpr std::string_view callback_token = "test-callback-token";
constexpr std::string_view new_password = "a brand new passphrase";

class WechatNoticesTest : public PhonesTest {
protected:
    void SetUp() override {
        PhonesTest::SetUp();
        fake_ = std::make_unique<Process>(
            std::vector<std::string>{"/usr/bin/python3",
                                     std::string(IDPD_SOURCE_DIR) + "/tests/fakes/wechat_mp.py"},
            std::map<std::string, std::string>{}, std::filesystem::path(IDPD_SOURCE_DIR));
        ASSERT_TRUE(fake_->wait_for_output("\n", std::chrono::seconds(10))) << fake_->err();
        port_ = std::stoi(fake_->out().substr(fake_->out().find(' ') + 1));
        auto& n = config_.notify;
        n.wechat_api_base = "http://127.0.0.1:" + std::to_string(port_);
        n.wechat_app_id = "wxfakempappid0001";
        n.wechat_app_secret = "fake-mp-secret";
        n.wechat_template_security = "tmpl-security";
        n.wechat_template_billing = "tmpl-billing";
        n.wechat_callback_token = std::string(callback_token);
        start_app();
    }

    void TearDown() override {
        fake_.reset();
        PhonesTest::TearDown();
    }

    json fake_state() {
        httplib::Client c("127.0.0.1", port_);
        auto r = c.Get("/_control/state");
        EXPECT_TRUE(r);
        return r ? json::parse(r->body) : json::object();
    }

    static std::string sha1_hex(const std::string& text) {
        unsigned char d[SHA_DIGEST_LENGTH];
        SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d);
        std::string out;
        char buf[3];
        for (unsigned char c : d) {
            std::snprintf(buf, sizeof buf, "%02x", c);
            out += buf;
        }
        return out;
    }

    // WeChat's query string for a call signed with `token` at `at`.
    static std::string signed_query(std::string_view token, std::int64_t at,
                                    const std::string& nonce = "n0nce") {
        std::vector<std::string> parts{std::string(token), std::to_string(at), nonce};
        std::sort(parts.begin(), parts.end());
        return "signature=" + sha1_hex(parts[0] + parts[1] + parts[2]) +
               "&timestamp=" + std::to_string(at) + "&nonce=" + nonce;
    }

    static std::int64_t now_s() {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    static std::string event_xml(const std::string& openid, const std::string& event,
                                 const std::string& key) {
        return "<xml><ToUserName><![CDATA[gh_fakeaccount]]></ToUserName><FromUserName><![CDATA[" +
               openid + "]]></FromUserName><CreateTime>" + std::to_string(now_s()) +
               "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event +
               "]]></Event><EventKey><![CDATA[" + key + "]]></EventKey></xml>";
    }

    http::HttpResponse push(const std::string& xml, std::string_view token = callback_token,
                            std::int64_t at = now_s()) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/wechat/mp/events";
        req.query = signed_query(token, at);
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "text/xml");
        req.body = xml;
        return app_->handle(req);
    }

    // Opens the notifications page (which makes a QR code) and returns the scene the fake saw.
    std::string scene_of_page(Browser& b) {
        auto page = b.get("/account/notifications", "en");
        EXPECT_EQ(page.status, 200);
        EXPECT_THAT(page.body, HasSubstr("id=\"wechat-qr\""));
        EXPECT_THAT(page.body, HasSubstr("src=\"data:image/svg+xml;base64,"));
        auto codes = fake_state()["qrcodes"];
        EXPECT_FALSE(codes.empty());
        return codes.empty() ? "" : codes.back()["scene_str"].get<std::string>();
    }

    std::string linked_openid(const std::string& username) {
        auto rows = db_->query(
            "SELECT l.openid FROM wechat_mp_links l JOIN users u ON u.id = l.user_id WHERE "
            "u.username = ?",
            {username});
        EXPECT_TRUE(rows);
        return rows && !rows->empty() ? rows->front().text(0) : "";
    }

    std::int64_t outbox_count(const std::string& channel, const std::string& kind) {
        auto rows = db_->query("SELECT COUNT(*) FROM outbox WHERE channel = ? AND kind = ?",
                               {channel, kind});
        EXPECT_TRUE(rows);
        return rows ? rows->front().integer(0) : -1;
    }

    void verify_email(Browser& b) {
        auto rows = db_->query(
            "SELECT text_body FROM outbox WHERE kind = 'verify_email' ORDER BY id DESC", {});
        ASSERT_TRUE(rows && !rows->empty());
        const std::string text = rows->front().text(0);
        const std::string origin = "http://localhost:8080";
        auto at = text.find(origin);
        ASSERT_NE(at, std::string::npos);
        const std::string link =
            text.substr(at + origin.size(), text.find_first_of(" \n", at) - at - origin.size());
        auto page = b.get(link);
        ASSERT_EQ(page.status, 200);
        auto done = b.post("/verify-email", {{"csrf", Browser::csrf_of(page.body)},
                                             {"token", Browser::input_value(page.body, "token")}});
        ASSERT_EQ(done.status, 200);
    }

    http::HttpResponse change_password(Browser& b) {
        return b.submit("/account/password", "/account/password",
                        {{"old_password", std::string(phones_password)},
                         {"password", std::string(new_password)},
                         {"confirm", std::string(new_password)}});
    }

    void link(Browser& b, const std::string& openid) {
        const std::string scene = scene_of_page(b);
        auto r = push(event_xml(openid, "SCAN", scene));
        ASSERT_EQ(r.status, 200);
        ASSERT_EQ(r.body, "success");
    }

    std::unique_ptr<Process> fake_;
    int port_ = 0;
};

TEST_F(WechatNoticesTest, ThePageShowsAQrCodeUntilASignedScanLinksTheOpenid) {
    Browser b = signed_up("wendy");
    auto page = b.get("/account/notifications", "en");
    EXPECT_THAT(page.body, HasSubstr("Not linked"));
    EXPECT_THAT(page.body, HasSubstr("id=\"wechat-scanned\""));
    const std::string scene = scene_of_page(b);
    EXPECT_EQ(scene.size(), 32u);
    auto stored = db_->query("SELECT COUNT(*) FROM wechat_mp_scenes WHERE scene_hash = ?",
                             {store::Blob{scene}});
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->front().integer(0), 0) << "only the scene's hash is stored";

    auto r = push(event_xml("oWendy_openid_0001", "SCAN", scene));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "success");
    EXPECT_EQ(linked_openid("wendy"), "oWendy_openid_0001");
    page = b.get("/account/notifications", "en");
    EXPECT_THAT(page.body, HasSubstr("id=\"wechat-unlink\""));
    EXPECT_THAT(page.body, Not(HasSubstr("id=\"wechat-qr\"")));
}

TEST_F(WechatNoticesTest, ANewFollowerLinksThroughTheSubscribeEvent) {
    Browser b = signed_up("sammy");
    const std::string scene = scene_of_page(b);
    auto r = push(event_xml("oSammy", "subscribe", "qrscene_" + scene));
    EXPECT_EQ(r.body, "success");
    EXPECT_EQ(linked_openid("sammy"), "oSammy");
    auto audited = count("SELECT COUNT(*) FROM audit_events WHERE type = 'wechat_mp.linked'");
    EXPECT_EQ(audited, 1);
}

TEST_F(WechatNoticesTest, ABadSignatureIsRefusedAndLinksNothing) {
    Browser b = signed_up("mallory");
    const std::string scene = scene_of_page(b);
    EXPECT_EQ(push(event_xml("oMallory", "SCAN", scene), "wrong-token").status, 403);
    EXPECT_EQ(push(event_xml("oMallory", "SCAN", scene), callback_token, now_s() - 3600).status,
              403)
        << "an old timestamp";
    EXPECT_EQ(linked_openid("mallory"), "");
    // The URL check WeChat makes when the server URL is saved.
    auto ok = get("/wechat/mp/events?" + signed_query(callback_token, now_s()) + "&echostr=e42");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "e42");
    auto bad = get("/wechat/mp/events?" + signed_query("wrong", now_s()) + "&echostr=e42");
    EXPECT_EQ(bad.status, 403);
    // Still usable by the genuine event afterwards.
    EXPECT_EQ(push(event_xml("oMallory", "SCAN", scene)).body, "success");
    EXPECT_EQ(linked_openid("mallory"), "oMallory");
}

TEST_F(WechatNoticesTest, AReplayIsHarmlessAndUnsubscribeUnlinks) {
    Browser b = signed_up("rita");
    const std::string scene = scene_of_page(b);
    const std::string xml = event_xml("oRita", "SCAN", scene);
    ASSERT_EQ(push(xml).body, "success");
    ASSERT_EQ(push(xml).body, "success") << "a replay is answered as the first";
    EXPECT_EQ(linked_openid("rita"), "oRita");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE type = 'wechat_mp.linked'"), 1);

    EXPECT_EQ(push(event_xml("oRita", "unsubscribe", "")).body, "success");
    EXPECT_EQ(linked_openid("rita"), "");
    EXPECT_EQ(push(xml).body, "success");
    EXPECT_EQ(linked_openid("rita"), "") << "a replayed scan does not link again";
}

TEST_F(WechatNoticesTest, TheUserUnlinksWithAPost) {
    Browser b = signed_up("ursula");
    link(b, "oUrsula");
    ASSERT_EQ(linked_openid("ursula"), "oUrsula");
    auto r = b.submit("/account/notifications", "/account/notifications/wechat/unlink", {});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.headers.get("Location"), "/account/notifications?wechat=unlinked");
    EXPECT_EQ(linked_openid("ursula"), "");
    EXPECT_EQ(b.post("/account/notifications/wechat/unlink", {{"csrf", "forged"}}).status, 403);
}

TEST_F(WechatNoticesTest, APasswordChangeReachesTheLinkedWechatThroughTheDispatcher) {
    Browser b = signed_up("paula");
    link(b, "oPaula");
    auto r = change_password(b);
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(outbox_count("wechat", "password_changed"), 1);

    auto dispatcher = app::notify_dispatcher(config_, *db_, app_->wechat_token());
    ASSERT_TRUE(dispatcher) << dispatcher.error();
    auto report = (*dispatcher)->run_once();
    EXPECT_GE(report.sent, 1u);
    auto messages = fake_state()["messages"];
    ASSERT_EQ(messages.size(), 1u) << messages.dump();
    EXPECT_EQ(messages[0]["touser"], "oPaula");
    EXPECT_EQ(messages[0]["template_id"], "tmpl-security");
    EXPECT_EQ(messages[0]["data"]["keyword1"]["value"], "paula");
    EXPECT_EQ(messages[0]["url"], "http://localhost:8080/account");
}

TEST_F(WechatNoticesTest, PreferencesDecideTheChannelsButSecurityEmailStaysOn) {
    Browser b = signed_up("petra");
    verify_email(b);
    link(b, "oPetra");
    // Security by WeChat off, and an attempt to switch security email off (not on the form).
    auto saved = b.submit("/account/notifications", "/account/notifications",
                          {{"billing.email", "1"}, {"security.sms", "1"}});
    ASSERT_EQ(saved.status, 303);
    ASSERT_EQ(change_password(b).status, 303);
    EXPECT_EQ(outbox_count("email", "password_changed"), 1) << "security email cannot be off";
    EXPECT_EQ(outbox_count("wechat", "password_changed"), 0) << "switched off";
    // Product news has no template: not offered for WeChat on the page.
    auto page = b.get("/account/notifications", "en");
    EXPECT_THAT(page.body, Not(HasSubstr("name=\"product.wechat\"")));
    EXPECT_THAT(page.body, HasSubstr("name=\"security.wechat\""));
}

TEST_F(WechatNoticesTest, SmsNoticesGoOnlyToAVerifiedPhone) {
    Browser b = signed_up("simon");
    ASSERT_EQ(change_password(b).status, 303);
    EXPECT_EQ(outbox_count("sms", "password_changed"), 0) << "no phone yet";
    bind(b, "13800138000", "+8613800138000");
    auto r = b.submit("/account/password", "/account/password",
                      {{"old_password", std::string(new_password)},
                       {"password", std::string(phones_password)},
                       {"confirm", std::string(phones_password)}});
    ASSERT_EQ(r.status, 303) << r.body;
    auto texts = sms();
    ASSERT_FALSE(texts.empty());
    EXPECT_EQ(texts.back().kind, "password_changed");
    EXPECT_EQ(texts.back().to, "+8613800138000");
    EXPECT_THAT(texts.back().text, HasSubstr("simon"));
}

// A top-up's receipt, with Alipay's notice signed in-process (fakes/alipay_fake.h).
class ReceiptTest : public WechatNoticesTest {
protected:
    void SetUp() override {
        WechatNoticesTest::SetUp();
        std::ofstream(dir_ / "alipay.pem") << alipay_.public_key_pem();
        config_.billing.alipay_app_id = "2021000000000001";
        config_.billing.alipay_public_key_file = dir_ / "alipay.pem";
        std::ofstream(dir_ / "app.pem") << fakes::AlipayFake::app_private_key_pem();
        config_.billing.alipay_app_private_key_file = dir_ / "app.pem";
        start_app();
    }

    // Pays a new order of `fen` on the personal account of `username` through Alipay's notice.
    void top_up(const std::string& username, std::int64_t fen, const std::string& yuan) {
        const auto now =
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        const auto account =
            billing::AccountStore(*db_)
                .open({billing::OwnerKind::user, user_id(username)}, "free-2x", now)
                .value()
                .id;
        const auto order_no =
            billing::OrderStore(*db_)
                .create({account, fen, billing::Channel::alipay, ""}, now, std::chrono::hours(1))
                .value()
                .order_no;
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/billing/notify/alipay";
        req.peer_ip = "110.75.1.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        req.body = alipay_.notice_body(fakes::AlipayFake::paid("2021000000000001", order_no, yuan));
        auto r = app_->handle(req);
        ASSERT_EQ(r.body, "success");
        // A replay of the notice sends no second receipt.
        ASSERT_EQ(app_->handle(req).body, "success");
    }

    fakes::AlipayFake alipay_;
};

TEST_F(ReceiptTest, APaidTopUpMailsAReceiptUntilBillingEmailIsSwitchedOff) {
    Browser b = signed_up("bill");
    verify_email(b);
    top_up("bill", 8'888, "88.88");
    EXPECT_EQ(outbox_count("email", "topup_paid"), 1);
    auto rows = db_->query("SELECT subject FROM outbox WHERE kind = 'topup_paid'", {});
    ASSERT_TRUE(rows && !rows->empty());
    EXPECT_THAT(rows->front().text(0), HasSubstr("88.88"));

    auto saved = b.submit("/account/notifications", "/account/notifications",
                          {{"billing.wechat", "1"}});  // billing by email off
    ASSERT_EQ(saved.status, 303);
    link(b, "oBill");
    top_up("bill", 100, "1.00");
    EXPECT_EQ(outbox_count("email", "topup_paid"), 1) << "billing email is off now";
    EXPECT_EQ(outbox_count("wechat", "topup_paid"), 1);
    ASSERT_EQ(change_password(b).status, 303);
    EXPECT_EQ(outbox_count("email", "password_changed"), 1) << "security email stays on";
}

}  // namespace
}  // namespace idpd::testing_support
