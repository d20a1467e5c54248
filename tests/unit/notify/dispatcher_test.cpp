// The Dispatcher end to end over a real SQLite outbox: a message enqueued in a transaction
// reaches a real SMTP server and is recorded as sent; an SMS gateway answering 500 is retried
// after the back-off and then recorded; development files hold the message; "off" gives up.
#include "notify/dispatcher.h"

#include <atomic>
#include <mutex>

#include <gmock/gmock.h>
#include <httplib.h>

#include "notify/file_sender.h"
#include "notify/sms_gateway_sender.h"
#include "notify/smtp_sender.h"
#include "store/migrate.h"
#include "store/open.h"
#include "unit/notify/smtp_fixture.h"

namespace idpd::notify {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;
using testing::HasSubstr;

const sys_seconds t0{std::chrono::seconds{1'700'000'000}};

class DispatcherTest : public testing::Test {
protected:
    void SetUp() override {
        auto db =
            store::open_database(store::DatabaseOptions{"sqlite:" + (dir_ / "idpd.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        auto migrated = store::migrate(*db_);
        ASSERT_TRUE(migrated) << migrated.error().message;
    }

    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    std::int64_t enqueue_in_transaction(const Message& m, sys_seconds now) {
        std::int64_t id = 0;
        auto done = db_->transaction([&](store::Database& tx) -> store::Result<void> {
            auto enqueued = enqueue(tx, m, now);
            if (!enqueued) {
                return std::unexpected(enqueued.error());
            }
            id = *enqueued;
            return {};
        });
        EXPECT_TRUE(done) << done.error().message;
        return id;
    }

    std::filesystem::path dir_ =
        test::fresh_dir(testing::UnitTest::GetInstance()->current_test_info()->name());
    std::unique_ptr<store::Database> db_;
    std::atomic<std::int64_t> now_{t0.time_since_epoch().count()};
    Dispatcher::Clock clock_ = [this] {
        return std::chrono::system_clock::time_point{std::chrono::seconds{now_.load()}};
    };
};

TEST_F(DispatcherTest, AnEnqueuedEmailReachesTheSmtpServerAndIsRecordedAsSent) {
    test::SmtpServer server(dir_, {});
    auto smtp = SmtpSender::open({server.url(), false, "", "", "", "idpd <no-reply@localhost>"});
    ASSERT_TRUE(smtp) << smtp.error();
    DispatcherOptions options;
    options.poll_interval = 50ms;
    Dispatcher dispatcher(*db_, std::move(*smtp), nullptr, clock_, options);
    dispatcher.start();
    const auto id = enqueue_in_transaction(
        {Channel::email, "alice@example.com", "Welcome", "Hello Alice", "", "verify_email"}, t0);

    auto got = server.wait_for(1, 15s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].decoded["subject"], "Welcome");
    EXPECT_EQ(got[0].meta["rcpt_tos"], nlohmann::json::array({"alice@example.com"}));
    OutboxStore outbox{*db_};
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!outbox.find(id)->sent_at && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(outbox.find(id)->sent_at, t0);
    EXPECT_EQ(outbox.find(id)->attempts, 1);
    dispatcher.stop();
    EXPECT_EQ(server.received().size(), 1u) << "sent once";
}

TEST_F(DispatcherTest, StopIsPromptWhileIdle) {
    DispatcherOptions options;
    options.poll_interval = 1h;
    Dispatcher dispatcher(*db_, nullptr, nullptr, clock_, options);
    dispatcher.start();
    const auto started = std::chrono::steady_clock::now();
    dispatcher.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

// An SMS gateway on loopback that answers the statuses it is given, in order.
class Gateway {
public:
    explicit Gateway(std::vector<int> statuses) : statuses_(std::move(statuses)) {
        server_.Post("/v1/send", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mutex_);
            bodies_.push_back(req.body);
            authorizations_.push_back(req.get_header_value("Authorization"));
            content_types_.push_back(req.get_header_value("Content-Type"));
            res.status = statuses_.empty() ? 200 : statuses_.front();
            if (!statuses_.empty()) {
                statuses_.erase(statuses_.begin());
            }
            res.set_content(res.status == 200 ? "{\"id\":\"m1\"}" : "oops", "application/json");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) {
            std::this_thread::sleep_for(1ms);
        }
    }

    ~Gateway() {
        server_.stop();
        thread_.join();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/send"; }

    std::vector<std::string> bodies() {
        std::lock_guard lock(mutex_);
        return bodies_;
    }

    std::vector<std::string> authorizations() {
        std::lock_guard lock(mutex_);
        return authorizations_;
    }

    std::vector<std::string> content_types() {
        std::lock_guard lock(mutex_);
        return content_types_;
    }

private:
    httplib::Server server_;
    std::mutex mutex_;
    std::vector<int> statuses_;
    std::vector<std::string> bodies_, authorizations_, content_types_;
    int port_ = 0;
    std::thread thread_;
};

TEST_F(DispatcherTest, AnSmsGatewayAnswering500IsRetriedAfterTheBackOff) {
    Gateway gateway({500});
    DispatcherOptions options;
    options.retry = RetryPolicy{5, 30s, 1h};
    Dispatcher dispatcher(
        *db_, nullptr,
        std::make_unique<SmsGatewaySender>(SmsGatewayOptions{gateway.url(), "gw-token", {}}),
        clock_, options);
    const auto id = enqueue_in_transaction(
        {Channel::sms, "+8613800138000", "", "验证码 123456", "", "verify_phone"}, t0);

    auto first = dispatcher.run_once();
    EXPECT_EQ(first.retrying, 1u);
    OutboxStore outbox{*db_};
    auto after_first = outbox.find(id);
    EXPECT_EQ(after_first->next_attempt_at, t0 + 30s);
    EXPECT_THAT(after_first->last_error, HasSubstr("500"));

    now_ += 29;
    EXPECT_EQ(dispatcher.run_once().sent, 0u) << "not before the back-off";
    EXPECT_EQ(gateway.bodies().size(), 1u);
    now_ += 1;
    EXPECT_EQ(dispatcher.run_once().sent, 1u);
    EXPECT_EQ(outbox.find(id)->sent_at, t0 + 30s);
    EXPECT_EQ(outbox.find(id)->attempts, 2);

    ASSERT_EQ(gateway.bodies().size(), 2u);
    auto body = nlohmann::json::parse(gateway.bodies()[1]);
    EXPECT_EQ(body, (nlohmann::json{{"to", "+8613800138000"}, {"text", "验证码 123456"}}));
    EXPECT_EQ(gateway.authorizations()[1], "Bearer gw-token");
    EXPECT_THAT(gateway.content_types()[1], testing::StartsWith("application/json"));
}

TEST_F(DispatcherTest, AGatewayRefusingTheMessageGivesUpAtOnce) {
    Gateway gateway({400});
    Dispatcher dispatcher(
        *db_, nullptr, std::make_unique<SmsGatewaySender>(SmsGatewayOptions{gateway.url(), "", {}}),
        clock_, {});
    const auto id =
        enqueue_in_transaction({Channel::sms, "+8613800138000", "", "x", "", "verify_phone"}, t0);
    EXPECT_EQ(dispatcher.run_once().gave_up, 1u);
    EXPECT_EQ(OutboxStore{*db_}.find(id)->failed_at, t0);
    EXPECT_EQ(gateway.authorizations()[0], "") << "no token, no Authorization header";
}

TEST_F(DispatcherTest, FileTransportWritesTheMessagesForDevelopment) {
    const auto outbox_dir = dir_ / "outbox";
    Dispatcher dispatcher(*db_,
                          std::make_unique<FileSender>(outbox_dir, Mailbox{"idpd", "a@localhost"}),
                          std::make_unique<FileSender>(outbox_dir, Mailbox{}), clock_, {});
    const auto mail = enqueue_in_transaction(
        {Channel::email, "bob@example.com", "重置密码", "link", "", "password_reset"}, t0);
    const auto sms = enqueue_in_transaction(
        {Channel::sms, "+8613800138000", "", "123456", "", "verify_phone"}, t0);
    EXPECT_EQ(dispatcher.run_once().sent, 2u);
    std::ifstream eml(outbox_dir / (std::to_string(mail) + "-password_reset.eml"));
    std::string content((std::istreambuf_iterator<char>(eml)), {});
    EXPECT_THAT(content, HasSubstr("To: bob@example.com\r\n"));
    EXPECT_THAT(content, HasSubstr("Subject: =?UTF-8?B?"));
    std::ifstream txt(outbox_dir / (std::to_string(sms) + "-verify_phone.txt"));
    std::string text((std::istreambuf_iterator<char>(txt)), {});
    EXPECT_EQ(text, "To: +8613800138000\n\n123456\n");
}

TEST_F(DispatcherTest, AChannelThatIsOffGivesItsMessagesUp) {
    Dispatcher dispatcher(*db_, nullptr, nullptr, clock_, {});
    const auto id = enqueue_in_transaction(
        {Channel::email, "bob@example.com", "s", "t", "", "verify_email"}, t0);
    EXPECT_EQ(dispatcher.run_once().gave_up, 1u);
    auto m = OutboxStore{*db_}.find(id);
    EXPECT_TRUE(m->failed_at);
    EXPECT_EQ(m->last_error, "email transport is off");
}

}  // namespace
}  // namespace idpd::notify
