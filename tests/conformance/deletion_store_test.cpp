// Account deletion's store on every backend (account/deletion_store.h): scheduling and
// cancelling, which accounts are due, the claim that anonymises exactly once even when racing,
// the freed username and addresses, and the personal rows that go while others stay.
#include "account/deletion_store.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using account::DeletionStore;
using account::UserStore;
using std::chrono::days;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

std::int64_t make_user(store::Database& db, std::string_view name) {
    UserStore users{db};
    auto user = users.create({account::check_username(name).value(), "Someone", "$argon2id$x"}, t0);
    EXPECT_TRUE(user);
    return user ? user->id : 0;
}

TEST_P(StoreTest, ADeletionIsScheduledCancelledAndDueOnlyAfterItsTime) {
    DeletionStore deletions{db()};
    const auto id = make_user(db(), "schedule-me");
    make_user(db(), "bystander");
    ASSERT_TRUE(deletions.schedule(id, t0 + days(7), t0));
    EXPECT_EQ(UserStore(db()).find_by_id(id)->deletion_scheduled_at, t0 + days(7));
    EXPECT_TRUE(deletions.due(t0 + days(6), 10)->empty());
    EXPECT_THAT(*deletions.due(t0 + days(7), 10), testing::ElementsAre(id));
    EXPECT_TRUE(*deletions.cancel(id, t0));
    EXPECT_FALSE(*deletions.cancel(id, t0));  // nothing left to cancel
    EXPECT_FALSE(UserStore(db()).find_by_id(id)->deletion_scheduled_at);
    EXPECT_TRUE(deletions.due(t0 + days(8), 10)->empty());
    EXPECT_EQ(deletions.schedule(999'999, t0, t0).error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, AnonymisingClaimsOnceAndFreesTheUsernameAndAddresses) {
    DeletionStore deletions{db()};
    UserStore users{db()};
    const auto id = make_user(db(), "Leaving-Soon");
    ASSERT_TRUE(users.add_email(id, account::parse_email_address("leave@example.com").value(), t0));
    ASSERT_TRUE(deletions.schedule(id, t0 + days(7), t0));
    EXPECT_FALSE(*deletions.anonymise(id, t0 + days(6)));  // not due
    EXPECT_TRUE(*deletions.anonymise(id, t0 + days(7)));
    EXPECT_FALSE(*deletions.anonymise(id, t0 + days(7)));  // already done
    EXPECT_GE(*deletions.delete_personal_rows(id), 1u);

    auto row = users.find_by_id(id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->username, account::deleted_username(id));
    EXPECT_EQ(row->display_name, "");
    EXPECT_FALSE(row->has_password());
    EXPECT_FALSE(row->is_active());
    EXPECT_FALSE(row->deletion_scheduled_at);
    EXPECT_TRUE(users.emails(id)->empty());
    // A deleted account cannot be scheduled (or revived) again.
    EXPECT_EQ(deletions.schedule(id, t0, t0).error().kind, store::Error::Kind::not_found);
    EXPECT_FALSE(*deletions.cancel(id, t0));
    EXPECT_EQ(users.set_status(id, account::UserStatus::active, t0).error().kind,
              store::Error::Kind::not_found);
    EXPECT_EQ(users.set_password_hash(id, "$argon2id$y", t0).error().kind,
              store::Error::Kind::not_found);

    // The name (any case) and the address are free for someone new; the id is not reused.
    const auto again = make_user(db(), "leaving-soon");
    EXPECT_GT(again, id);
    EXPECT_TRUE(
        users.add_email(again, account::parse_email_address("leave@example.com").value(), t0));
    // Nobody can sign up as the anonymised name: ':' is no username character.
    EXPECT_FALSE(account::check_username(account::deleted_username(id)));
}

TEST_P(StoreTest, EveryPersonalTableExistsAndOtherUsersKeepTheirRows) {
    DeletionStore deletions{db()};
    UserStore users{db()};
    const auto gone = make_user(db(), "gone-user");
    const auto stays = make_user(db(), "stays-user");
    for (auto id : {gone, stays}) {
        ASSERT_TRUE(users.add_email(
            id, account::parse_email_address(std::to_string(id) + "-u@example.com").value(), t0));
    }
    auto removed = deletions.delete_personal_rows(gone);
    ASSERT_TRUE(removed) << removed.error().message;  // every listed table and column exists
    EXPECT_EQ(*removed, 1u);
    EXPECT_EQ(users.emails(stays)->size(), 1u);
}

TEST_P(StoreTest, RacingSweepsAnonymiseAnAccountOnce) {
    DeletionStore deletions{db()};
    const auto id = make_user(db(), "raced-user");
    ASSERT_TRUE(deletions.schedule(id, t0, t0));
    std::atomic<int> won{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            auto done = db().transaction([&](store::Database& tx) -> store::Result<void> {
                auto claimed = DeletionStore(tx).anonymise(id, t0 + days(1));
                if (!claimed) {
                    return std::unexpected(claimed.error());
                }
                if (*claimed) {
                    ++won;
                }
                return {};
            });
            if (!done) {
                ++failed;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(failed.load(), 0);
}

}  // namespace
}  // namespace idpd::conformance
