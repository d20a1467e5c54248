// notify::OutboxStore on every backend: a message exists only if its transaction commits, one
// claimer of many wins, failures move the next attempt back exponentially up to a cap, and a
// message is given up after its last attempt.
#include "notify/outbox_store.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using namespace std::chrono_literals;
using notify::Channel;
using notify::Message;
using notify::OutboxStore;
using std::chrono::sys_seconds;

const sys_seconds t0{std::chrono::seconds{1'700'000'000}};

Message verification(std::string to = "alice@example.com") {
    return Message{
        Channel::email, std::move(to), "验证您的邮箱", "打开 https://id.example/v?t=1", "",
        "verify_email"};
}

TEST_P(StoreTest, AnEnqueuedMessageIsStoredAsWrittenAndDue) {
    auto id = notify::enqueue(db(), verification(), t0);
    ASSERT_TRUE(id) << id.error().message;
    OutboxStore outbox{db()};
    auto found = outbox.find(*id);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->message.to, "alice@example.com");
    EXPECT_EQ(found->message.subject, "验证您的邮箱");
    EXPECT_EQ(found->message.text, "打开 https://id.example/v?t=1");
    EXPECT_EQ(found->message.kind, "verify_email");
    EXPECT_EQ(found->created_at, t0);
    EXPECT_EQ(found->attempts, 0);
    EXPECT_FALSE(found->sent_at);
    EXPECT_THAT(*outbox.due(t0, 10), testing::ElementsAre(*id));
}

TEST_P(StoreTest, AMessageEnqueuedInARolledBackTransactionLeavesNothing) {
    auto done = db().transaction([](store::Database& tx) -> store::Result<void> {
        auto id = notify::enqueue(tx, verification(), t0);
        if (!id) {
            return std::unexpected(id.error());
        }
        return store::fail(store::Error::Kind::conflict, "the sign-up lost a race");
    });
    ASSERT_FALSE(done);
    EXPECT_TRUE(OutboxStore{db()}.due(t0 + 1h, 10)->empty());
    EXPECT_TRUE(OutboxStore{db()}.latest(10)->empty());

    ASSERT_TRUE(db().transaction([](store::Database& tx) -> store::Result<void> {
        auto id = notify::enqueue(tx, verification(), t0);
        if (!id) {
            return std::unexpected(id.error());
        }
        return {};
    }));
    EXPECT_EQ(OutboxStore{db()}.due(t0, 10)->size(), 1u);
}

TEST_P(StoreTest, BadMessagesAreRefusedAtEnqueue) {
    auto bad_address = notify::enqueue(db(), verification("a@b.example\r\nBcc: x@y.example"), t0);
    ASSERT_FALSE(bad_address);
    EXPECT_EQ(bad_address.error().kind, store::Error::Kind::invalid);
    EXPECT_FALSE(
        notify::enqueue(db(), Message{Channel::sms, "13800138000", "", "code", "", "x"}, t0));
    EXPECT_TRUE(
        notify::enqueue(db(), Message{Channel::sms, "+8613800138000", "", "code", "", "x"}, t0));
    auto subject = verification();
    subject.subject = "two\nlines";
    EXPECT_FALSE(notify::enqueue(db(), subject, t0));
}

TEST_P(StoreTest, OfManyRacingClaimersExactlyOneWinsAMessage) {
    auto id = notify::enqueue(db(), verification(), t0);
    ASSERT_TRUE(id);
    std::atomic<int> won{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&] {
            auto claimed = OutboxStore{db()}.claim(*id, t0, 5min);
            if (!claimed) {
                ++errors;
            } else if (*claimed) {
                ++won;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won, 1);
    EXPECT_EQ(errors, 0);
    OutboxStore outbox{db()};
    EXPECT_TRUE(outbox.due(t0 + 4min, 10)->empty()) << "the lease hides it from others";
    EXPECT_EQ(outbox.find(*id)->attempts, 1);
    // A claimer that died: once the lease runs out, another process takes the message.
    auto again = outbox.claim(*id, t0 + 5min, 5min);
    ASSERT_TRUE(again);
    ASSERT_TRUE(*again);
    EXPECT_EQ((*again)->attempts, 2);
}

TEST_P(StoreTest, FailuresBackOffExponentiallyUpToTheCapThenGiveUp) {
    notify::RetryPolicy policy{6, 30s, 5min};
    auto id = notify::enqueue(db(), verification(), t0);
    ASSERT_TRUE(id);
    OutboxStore outbox{db()};
    sys_seconds now = t0;
    std::vector<std::int64_t> waits;
    for (int attempt = 1; attempt <= 6; ++attempt) {
        auto claimed = outbox.claim(*id, now, 5min);
        ASSERT_TRUE(claimed && *claimed) << "attempt " << attempt;
        EXPECT_FALSE(*outbox.claim(*id, now, 5min)) << "claimed once only";
        auto outcome = outbox.record_failure(**claimed, "451 try later", false, policy, now);
        ASSERT_TRUE(outcome && *outcome);
        if (attempt < 6) {
            EXPECT_FALSE((*outcome)->gave_up);
            auto next = outbox.find(*id)->next_attempt_at;
            waits.push_back((next - now).count());
            EXPECT_TRUE(outbox.due(next - 1s, 10)->empty()) << "not due before its time";
            now = next;
        } else {
            EXPECT_TRUE((*outcome)->gave_up);
        }
    }
    EXPECT_THAT(waits, testing::ElementsAre(30, 60, 120, 240, 300));
    auto gave_up = outbox.find(*id);
    EXPECT_EQ(gave_up->failed_at, now);
    EXPECT_EQ(gave_up->attempts, 6);
    EXPECT_EQ(gave_up->last_error, "451 try later");
    EXPECT_TRUE(outbox.due(now + 24h, 10)->empty()) << "a given-up message is never sent";
}

TEST_P(StoreTest, APermanentFailureGivesUpAtOnceAndSentIsFinal) {
    OutboxStore outbox{db()};
    auto refused = notify::enqueue(db(), verification("nobody@example.com"), t0);
    auto accepted = notify::enqueue(db(), verification(), t0);
    ASSERT_TRUE(refused && accepted);
    auto claimed = outbox.claim(*refused, t0, 5min);
    ASSERT_TRUE(claimed && *claimed);
    auto outcome = outbox.record_failure(**claimed, "550 no such user", true, {}, t0);
    ASSERT_TRUE(outcome && *outcome);
    EXPECT_TRUE((*outcome)->gave_up);

    auto second = outbox.claim(*accepted, t0, 5min);
    ASSERT_TRUE(second && *second);
    ASSERT_TRUE(outbox.record_sent(*accepted, t0 + 1s));
    EXPECT_EQ(outbox.find(*accepted)->sent_at, t0 + 1s);
    EXPECT_TRUE(outbox.due(t0 + 24h, 10)->empty());
    // A late failure report from a claim that was already settled changes nothing.
    auto late = outbox.record_failure(**second, "timeout", false, {}, t0 + 2s);
    ASSERT_TRUE(late);
    EXPECT_FALSE(*late);

    auto newest = outbox.latest(10);
    ASSERT_TRUE(newest);
    ASSERT_EQ(newest->size(), 2u);
    EXPECT_EQ(newest->front().id, *accepted);
    EXPECT_EQ(*outbox.delete_finished(t0 + 1s), 1u) << "only the one finished before";
    EXPECT_EQ(*outbox.delete_finished(t0 + 2s), 1u);
    EXPECT_TRUE(outbox.latest(10)->empty());
}

}  // namespace
}  // namespace idpd::conformance
