// account::UserStore on every backend: case-insensitive unique usernames (also under a race),
// sign-in by a uniquely verified email, CJK usernames, status, pagination.
#include "account/user_store.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using account::EmailAddress;
using account::NewUser;
using account::UserStatus;
using account::UserStore;
using store::Error;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

NewUser new_user(std::string_view name) {
    auto username = account::check_username(name);
    EXPECT_TRUE(username) << name;
    return NewUser{username.value_or(account::Username{}), std::string(name), std::nullopt};
}

EmailAddress address(std::string_view text) {
    auto parsed = account::parse_email_address(text);
    EXPECT_TRUE(parsed) << text;
    return parsed.value_or(EmailAddress{});
}

TEST_P(StoreTest, UserRoundTripsWithItsRegistrationTime) {
    UserStore users{db()};
    NewUser alice = new_user("Alice");
    alice.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    auto created = users.create(alice, t0);
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_GT(created->id, 0);
    auto found = users.find_by_id(created->id);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->username, "Alice");
    EXPECT_EQ(found->display_name, "Alice");
    EXPECT_EQ(found->password_hash, alice.password_hash);
    EXPECT_EQ(found->status, UserStatus::active);
    EXPECT_EQ(found->created_at, t0);
    EXPECT_EQ(found->updated_at, t0);
    EXPECT_EQ(users.find_by_id(created->id + 100).error().kind, Error::Kind::not_found);
}

TEST_P(StoreTest, UsernamesAreUniqueIgnoringCase) {
    UserStore users{db()};
    ASSERT_TRUE(users.create(new_user("Alice"), t0));
    auto second = users.create(new_user("alice"), t0);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().kind, Error::Kind::conflict);
    auto third = users.create(new_user("ALICE"), t0);
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().kind, Error::Kind::conflict);
    auto found = users.find_by_username("aLiCe");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->username, "Alice");
    EXPECT_EQ(users.find_by_username("alic").error().kind, Error::Kind::not_found);
    EXPECT_EQ(users.find_by_username("\xff").error().kind, Error::Kind::not_found);
}

TEST_P(StoreTest, TwentyRacingCreatesOfOneUsernameLetExactlyOneWin) {
    constexpr int racers = 20;
    std::atomic<int> ready{0};
    std::atomic<int> won{0};
    std::atomic<int> conflicts{0};
    std::vector<std::string> other_errors(racers);
    std::vector<std::thread> threads;
    for (int i = 0; i < racers; ++i) {
        threads.emplace_back([&, i] {
            UserStore users{db()};
            // Every other racer changes the case: the canonical column must still decide.
            const NewUser user = new_user(i % 2 == 0 ? "racer_01" : "RACER_01");
            ++ready;
            while (ready.load() < racers) {
                std::this_thread::yield();
            }
            auto created = users.create(user, t0);
            if (created) {
                ++won;
            } else if (created.error().kind == Error::Kind::conflict) {
                ++conflicts;
            } else {
                other_errors[i] = created.error().message;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (const auto& error : other_errors) {
        EXPECT_EQ(error, "");
    }
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(conflicts.load(), racers - 1);
    auto page = UserStore{db()}.list(0, 100);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->users.size(), 1U);
}

TEST_P(StoreTest, CjkUsernamesRoundTripAndFold) {
    UserStore users{db()};
    auto created = users.create(new_user("张三丰_Dev"), t0);
    ASSERT_TRUE(created) << created.error().message;
    auto found = users.find_by_username("张三丰_dev");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->username, "张三丰_Dev");
    EXPECT_EQ(found->id, created->id);
    EXPECT_EQ(users.create(new_user("张三丰_DEV"), t0).error().kind, Error::Kind::conflict);
    // A four-byte ideograph (CJK Extension B) survives utf8mb4 and SQLite alike.
    ASSERT_TRUE(users.create(new_user("𠀀𠀁𠀂𠀃"), t0));
    auto wide = users.find_by_sign_in_identifier("𠀀𠀁𠀂𠀃");
    ASSERT_TRUE(wide) << wide.error().message;
    EXPECT_EQ(wide->username, "𠀀𠀁𠀂𠀃");
    // A compatibility ideograph finds the unified one it normalises to.
    ASSERT_TRUE(users.create(new_user("豈abc"), t0));
    EXPECT_TRUE(users.find_by_username("\uF900ABC"));
}

TEST_P(StoreTest, SignInByUsernameOrByAnEmailVerifiedOnExactlyOneAccount) {
    UserStore users{db()};
    auto alice = users.create(new_user("alice"), t0);
    ASSERT_TRUE(alice);
    ASSERT_TRUE(users.add_email(alice->id, address("Alice@Example.com"), t0));
    EXPECT_EQ(users.find_by_sign_in_identifier("alice@example.com").error().kind,
              Error::Kind::not_found);  // not verified yet
    ASSERT_TRUE(users.mark_email_verified(alice->id, address("alice@example.COM"), t0));
    auto by_email = users.find_by_sign_in_identifier("ALICE@example.com");
    ASSERT_TRUE(by_email) << by_email.error().message;
    EXPECT_EQ(by_email->id, alice->id);
    auto by_name = users.find_by_sign_in_identifier("ALICE");
    ASSERT_TRUE(by_name);
    EXPECT_EQ(by_name->id, alice->id);
    EXPECT_EQ(users.find_by_sign_in_identifier("not an address@").error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, AnEmailVerifiedOnTwoAccountsSignsInToNeither) {
    UserStore users{db()};
    auto alice = users.create(new_user("alice"), t0);
    auto bob = users.create(new_user("bob_1"), t0);
    ASSERT_TRUE(alice && bob);
    for (auto id : {alice->id, bob->id}) {
        ASSERT_TRUE(users.add_email(id, address("shared@example.com"), t0));
        ASSERT_TRUE(users.mark_email_verified(id, address("shared@example.com"), t0));
    }
    EXPECT_EQ(users.find_by_sign_in_identifier("shared@example.com").error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, AnUnverifiedEmailNeverSignsIn) {
    UserStore users{db()};
    auto alice = users.create(new_user("alice"), t0);
    auto bob = users.create(new_user("bob_1"), t0);
    ASSERT_TRUE(alice && bob);
    // On one account only, and unverified: still no sign-in.
    ASSERT_TRUE(users.add_email(alice->id, address("only@example.com"), t0));
    EXPECT_EQ(users.find_by_sign_in_identifier("only@example.com").error().kind,
              Error::Kind::not_found);
    // Verified on bob, unverified on alice: bob's.
    ASSERT_TRUE(users.add_email(bob->id, address("only@example.com"), t0));
    ASSERT_TRUE(users.mark_email_verified(bob->id, address("only@example.com"), t0));
    auto found = users.find_by_sign_in_identifier("only@example.com");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->id, bob->id);
}

TEST_P(StoreTest, EmailsAreUniquePerAccountWithOnePrimary) {
    UserStore users{db()};
    auto alice = users.create(new_user("alice"), t0);
    ASSERT_TRUE(alice);
    auto first = users.add_email(alice->id, address("a@example.com"), t0);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(first->is_primary);
    EXPECT_EQ(users.add_email(alice->id, address("A@EXAMPLE.com"), t0).error().kind,
              Error::Kind::conflict);
    auto second = users.add_email(alice->id, address("b@example.com"), t0 + std::chrono::hours(1));
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->is_primary);
    EXPECT_EQ(users.add_email(alice->id + 100, address("c@example.com"), t0).error().kind,
              Error::Kind::conflict);

    ASSERT_TRUE(users.mark_email_verified(alice->id, address("b@example.com"), t0));
    ASSERT_TRUE(
        users.mark_email_verified(alice->id, address("b@example.com"), t0 + std::chrono::hours(5)));
    ASSERT_TRUE(users.set_primary_email(alice->id, address("B@example.com")));
    EXPECT_EQ(users.set_primary_email(alice->id, address("z@example.com")).error().kind,
              Error::Kind::not_found);
    EXPECT_EQ(users.mark_email_verified(alice->id, address("z@example.com"), t0).error().kind,
              Error::Kind::not_found);

    auto emails = users.emails(alice->id);
    ASSERT_TRUE(emails) << emails.error().message;
    ASSERT_EQ(emails->size(), 2U);
    EXPECT_EQ((*emails)[0].email, "b@example.com");
    EXPECT_TRUE((*emails)[0].is_primary);
    EXPECT_EQ((*emails)[0].verified_at, t0);  // the first verification counts
    EXPECT_EQ((*emails)[1].email, "a@example.com");
    EXPECT_FALSE((*emails)[1].is_primary);
    EXPECT_FALSE((*emails)[1].is_verified());
}

TEST_P(StoreTest, DisableAndEnableAnAccount) {
    UserStore users{db()};
    auto alice = users.create(new_user("alice"), t0);
    ASSERT_TRUE(alice);
    const auto later = t0 + std::chrono::minutes(5);
    ASSERT_TRUE(users.set_status(alice->id, UserStatus::disabled, later));
    ASSERT_TRUE(users.set_status(alice->id, UserStatus::disabled, later));  // idempotent
    auto disabled = users.find_by_sign_in_identifier("alice");
    ASSERT_TRUE(disabled);
    EXPECT_FALSE(disabled->is_active());
    EXPECT_EQ(disabled->updated_at, later);
    EXPECT_EQ(disabled->created_at, t0);
    ASSERT_TRUE(users.set_status(alice->id, UserStatus::active, later));
    EXPECT_TRUE(users.find_by_id(alice->id)->is_active());
    EXPECT_EQ(users.set_status(alice->id + 100, UserStatus::disabled, later).error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, PasswordHashIsSetAndRemoved) {
    UserStore users{db()};
    auto alice = users.create(new_user("alice"), t0);
    ASSERT_TRUE(alice);
    EXPECT_FALSE(alice->has_password());
    ASSERT_TRUE(users.set_password_hash(alice->id, "$argon2id$new", t0));
    EXPECT_EQ(users.find_by_id(alice->id)->password_hash, "$argon2id$new");
    ASSERT_TRUE(users.set_password_hash(alice->id, std::nullopt, t0));
    EXPECT_FALSE(users.find_by_id(alice->id)->has_password());
    EXPECT_EQ(users.set_password_hash(alice->id + 100, "x", t0).error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, UsersArePagedById) {
    UserStore users{db()};
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 7; ++i) {
        auto created = users.create(new_user("user_" + std::to_string(i)), t0);
        ASSERT_TRUE(created);
        ids.push_back(created->id);
    }
    std::vector<std::int64_t> seen;
    std::int64_t after = 0;
    int pages = 0;
    while (true) {
        auto page = users.list(after, 3);
        ASSERT_TRUE(page) << page.error().message;
        ++pages;
        for (const auto& user : page->users) {
            seen.push_back(user.id);
        }
        if (!page->next_after) {
            break;
        }
        after = *page->next_after;
    }
    EXPECT_EQ(seen, ids);
    EXPECT_EQ(pages, 3);
    auto exact = users.list(0, 7);
    ASSERT_TRUE(exact);
    EXPECT_EQ(exact->users.size(), 7U);
    EXPECT_FALSE(exact->next_after);
}

}  // namespace
}  // namespace idpd::conformance
