// audit::record and audit::tail on every backend: newest last, filters, limits on stored
// text, and an event recorded in a rolled-back transaction leaves no trace.
#include "audit/audit_log.h"

#include <chrono>

#include <gmock/gmock.h>

#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using audit::EventType;
using std::chrono::seconds;
using testing::HasSubstr;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

audit::Event event(EventType type, std::optional<std::int64_t> user = std::nullopt) {
    audit::Event e;
    e.type = type;
    e.user_id = user;
    e.ip = "198.51.100.9";
    e.user_agent = "curl/8";
    return e;
}

TEST_P(StoreTest, AuditTailIsNewestLastAndFilters) {
    ASSERT_TRUE(audit::record(db(), event(EventType::sign_up, 1), t0));
    auto failure = event(EventType::sign_in_failure);
    failure.identifier = "Alice";
    failure.detail = {{"reason", "unknown_account"}};
    ASSERT_TRUE(audit::record(db(), failure, t0 + seconds(1)));
    ASSERT_TRUE(audit::record(db(), event(EventType::sign_in_success, 1), t0 + seconds(2)));
    ASSERT_TRUE(audit::record(db(), event(EventType::sign_out, 2), t0 + seconds(3)));

    auto all = audit::tail(db(), {});
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 4u);
    EXPECT_EQ(all->front().type, "sign_up");
    EXPECT_EQ(all->back().type, "sign_out");
    EXPECT_EQ(all->back().occurred_at, t0 + seconds(3));

    auto last_two = audit::tail(db(), {2, std::nullopt, std::nullopt});
    ASSERT_TRUE(last_two);
    ASSERT_EQ(last_two->size(), 2u);
    EXPECT_EQ((*last_two)[0].type, "sign_in.success");

    auto user_one = audit::tail(db(), {20, 1, std::nullopt});
    ASSERT_TRUE(user_one);
    EXPECT_EQ(user_one->size(), 2u);

    auto failures = audit::tail(db(), {20, std::nullopt, "sign_in.failure"});
    ASSERT_TRUE(failures);
    ASSERT_EQ(failures->size(), 1u);
    EXPECT_EQ(failures->front().identifier, "Alice");
    EXPECT_FALSE(failures->front().user_id);
    EXPECT_EQ(failures->front().ip, "198.51.100.9");
    EXPECT_THAT(failures->front().detail, HasSubstr("\"reason\":\"unknown_account\""));
}

TEST_P(StoreTest, AuditCutsTheUserAgentAndKeepsTheIdentifierAsTyped) {
    auto e = event(EventType::sign_in_failure);
    e.user_agent = std::string(1000, 'u') + "\x01";
    e.identifier = "云用户_01";
    ASSERT_TRUE(audit::record(db(), e, t0));
    auto rows = audit::tail(db(), {});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().user_agent, std::string(256, 'u'));
    EXPECT_EQ(rows->front().identifier, "云用户_01");
}

TEST_P(StoreTest, AuditEventsCommitWithTheirTransaction) {
    auto rolled_back = db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto recorded = audit::record(tx, event(EventType::sign_up, 5), t0);
        if (!recorded) {
            return recorded;
        }
        return store::fail(store::Error::Kind::conflict, "the sign-up lost a race");
    });
    EXPECT_FALSE(rolled_back);
    ASSERT_TRUE(db().transaction([&](store::Database& tx) -> store::Result<void> {
        return audit::record(tx, event(EventType::sign_up, 6), t0);
    }));
    auto rows = audit::tail(db(), {});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().user_id, 6);
}

}  // namespace
}  // namespace idpd::conformance
