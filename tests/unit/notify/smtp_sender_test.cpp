// SmtpSender against a real SMTP server on loopback (aiosmtpd): what arrives decodes to what
// was enqueued, STARTTLS and AUTH are used as configured, and each refusal is classified so the
// dispatcher retries or gives up correctly.
#include "notify/smtp_sender.h"

#include <gmock/gmock.h>

#include "unit/notify/smtp_fixture.h"

namespace idpd::notify {
namespace {

using namespace std::chrono_literals;
using test::SmtpServer;
using testing::HasSubstr;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

OutboxMessage chinese_message(std::string to = "alice@example.com") {
    OutboxMessage m;
    m.id = 7;
    m.message =
        Message{Channel::email,
                std::move(to),
                "请验证您的邮箱地址 — idpd 身份认证服务发来的确认邮件（三十分钟内有效）",
                "您好！\n请打开下面的链接验证邮箱：\nhttps://id.example.com/verify?token=abc\n",
                "<p>您好！<a href=\"https://id.example.com/verify?token=abc\">验证</a></p>",
                "verify_email"};
    return m;
}

std::unique_ptr<SmtpSender> sender(SmtpOptions o) {
    auto s = SmtpSender::open(std::move(o));
    EXPECT_TRUE(s) << s.error();
    return s ? std::move(*s) : nullptr;
}

class SmtpSenderTest : public testing::Test {
protected:
    std::filesystem::path dir_ =
        test::fresh_dir(testing::UnitTest::GetInstance()->current_test_info()->name());

    void TearDown() override { std::filesystem::remove_all(dir_); }
};

TEST_F(SmtpSenderTest, AMessageArrivesOverStartTlsWithAuthAndDecodesAsWritten) {
    SmtpServer server(dir_, {true, "idpd:s3cret"});
    auto smtp = sender({server.url(), true, "idpd", "s3cret", server.cert_file(),
                        "身份服务 <no-reply@id.example.com>", 5s, 20s});
    ASSERT_TRUE(smtp);
    auto sent = smtp->send(chinese_message(), t0);
    ASSERT_TRUE(sent) << sent.error().detail;

    auto got = server.wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].meta["tls"], true) << "STARTTLS was used";
    EXPECT_EQ(got[0].meta["auth"], "idpd");
    EXPECT_EQ(got[0].meta["mail_from"], "no-reply@id.example.com");
    EXPECT_EQ(got[0].meta["rcpt_tos"], nlohmann::json::array({"alice@example.com"}));
    const auto& d = got[0].decoded;
    EXPECT_EQ(d["subject"], chinese_message().message.subject);
    EXPECT_EQ(d["from"], "身份服务 <no-reply@id.example.com>");
    EXPECT_EQ(d["to"], "alice@example.com");
    EXPECT_EQ(d["date"], "Tue, 14 Nov 2023 22:13:20 +0000");
    EXPECT_THAT(d["message_id"].get<std::string>(), testing::StartsWith("<7."));
    EXPECT_EQ(d["multipart"], true);
    // The body travels in canonical form (CRLF line breaks, RFC 2045 §6.8).
    std::string text = d["text"];
    std::erase(text, '\r');
    EXPECT_EQ(text,
              "您好！\n请打开下面的链接验证邮箱：\nhttps://id.example.com/verify?token=abc\n");
    EXPECT_THAT(d["html"].get<std::string>(), HasSubstr("<a href=\"https://id.example.com/verify"));
}

TEST_F(SmtpSenderTest, RequiredStartTlsThatTheServerDoesNotOfferSendsNothing) {
    SmtpServer server(dir_, {});
    auto smtp = sender({server.url(), true, "", "", "", "no-reply@localhost", 5s, 20s});
    auto sent = smtp->send(chinese_message(), t0);
    ASSERT_FALSE(sent);
    EXPECT_FALSE(sent.error().permanent) << "a configuration problem, retried once fixed";
    EXPECT_THAT(sent.error().detail, HasSubstr("SSL"));
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(server.received().empty());

    // With STARTTLS off (a local relay), the same server takes it, in the clear.
    auto plain = sender({server.url(), false, "", "", "", "no-reply@localhost", 5s, 20s});
    ASSERT_TRUE(plain->send(chinese_message(), t0));
    auto got = server.wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].meta["tls"], false);
}

TEST_F(SmtpSenderTest, AnUntrustedCertificateIsRefused) {
    SmtpServer server(dir_, {true, ""});
    auto smtp = sender({server.url(), true, "", "", "", "no-reply@localhost", 5s, 20s});
    auto sent = smtp->send(chinese_message(), t0);
    ASSERT_FALSE(sent);
    EXPECT_FALSE(sent.error().permanent);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(server.received().empty());
}

TEST_F(SmtpSenderTest, AuthIsRequiredWhenTheServerAsksAndWrongCredentialsFail) {
    SmtpServer server(dir_, {true, "idpd:s3cret"});
    auto anonymous =
        sender({server.url(), true, "", "", server.cert_file(), "a@localhost", 5s, 20s});
    auto sent = anonymous->send(chinese_message(), t0);
    ASSERT_FALSE(sent);
    EXPECT_FALSE(sent.error().permanent);
    EXPECT_THAT(sent.error().detail, HasSubstr("530"));

    auto wrong =
        sender({server.url(), true, "idpd", "guess", server.cert_file(), "a@localhost", 5s, 20s});
    sent = wrong->send(chinese_message(), t0);
    ASSERT_FALSE(sent);
    EXPECT_FALSE(sent.error().permanent);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(server.received().empty());
}

TEST_F(SmtpSenderTest, ARefusedRecipientIsAPermanentFailure) {
    SmtpServer server(dir_, {});
    auto smtp = sender({server.url(), false, "", "", "", "no-reply@localhost", 5s, 20s});
    auto sent = smtp->send(chinese_message("rejected@example.com"), t0);
    ASSERT_FALSE(sent);
    EXPECT_TRUE(sent.error().permanent);
    EXPECT_THAT(sent.error().detail, HasSubstr("550"));
}

TEST_F(SmtpSenderTest, ARecipientWithALineBreakIsNeverSent) {
    SmtpServer server(dir_, {});
    auto smtp = sender({server.url(), false, "", "", "", "no-reply@localhost", 5s, 20s});
    auto sent = smtp->send(chinese_message("a@example.com\r\nRCPT TO:<b@example.com>"), t0);
    ASSERT_FALSE(sent);
    EXPECT_TRUE(sent.error().permanent);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(server.received().empty());
}

TEST(SmtpSenderOptions, BadSettingsAreNamed) {
    EXPECT_FALSE(SmtpSender::open({"http://mail.example.com", true, "", "", "", "a@b.example"}));
    EXPECT_FALSE(SmtpSender::open({"smtp://mail.example.com", true, "", "", "", "not an address"}));
    EXPECT_TRUE(
        SmtpSender::open({"smtps://mail.example.com:465", true, "", "", "", "a@b.example"}));
}

}  // namespace
}  // namespace idpd::notify
