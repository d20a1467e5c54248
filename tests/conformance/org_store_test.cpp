// Organizations on every backend: unique handles, roles enforced by the store, invitations that
// expire and bind to their invitee, an owner who cannot leave, and transfers that keep exactly
// one owner when two race.
#include "org/org_store.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "billing/account_store.h"
#include "billing/ledger.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using namespace std::chrono_literals;
using org::Code;
using org::Role;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

class CountingRandom final : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        ++counter_;  // every call gives another value: the first 8 bytes count the calls
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = static_cast<std::uint8_t>(i < 8 ? counter_ >> (8 * i) : i);
        }
    }

private:
    std::uint64_t counter_ = 0;
};

// The organizations of one test database, with helpers to set them up.
class Orgs {
public:
    explicit Orgs(store::Database& db) : db_(db) {}

    store::Database& db() { return db_; }

    std::int64_t user(std::string_view name) {
        auto username = account::check_username(name);
        EXPECT_TRUE(username) << name;
        auto created = account::UserStore(db()).create(
            {username.value_or(account::Username{}), std::string(name), std::nullopt}, t0);
        EXPECT_TRUE(created) << created.error().message;
        return created ? created->id : 0;
    }

    // An organization owned by `owner` with `member` joined as `role` through an invitation.
    std::int64_t org_with(std::int64_t owner, std::int64_t member, Role role,
                          std::string_view name = "acme") {
        auto made = store().create(owner, name, "Acme Ltd", t0);
        EXPECT_TRUE(made) << made.error().message;
        auto invited = store().invite(owner, made->id, {member, std::nullopt}, role, random_, t0);
        EXPECT_TRUE(invited) << invited.error().message;
        EXPECT_TRUE(store().accept(invited->invitation.id, {member, {}}, t0));
        return made->id;
    }

    org::OrgStore store() { return org::OrgStore(db()); }

    Role role_of(std::int64_t org_id, std::int64_t user_id) {
        return store().membership(org_id, user_id).value().role;
    }

    CountingRandom random_;

private:
    store::Database& db_;
};

TEST_P(StoreTest, OrgNamesAreUniqueLowercaseHandlesAndEachOrgHasItsOwnBillingAccount) {
    Orgs f{db()};
    const auto alice = f.user("alice");
    const auto bob = f.user("bobby");
    auto made = f.store().create(alice, "Acme", "Acme Ltd", t0);
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(made->name, "acme");
    EXPECT_EQ(f.store().create(bob, "ACME", "Other", t0).error().code, Code::name_taken);
    EXPECT_EQ(f.store().create(bob, "a", "Short", t0).error().code, Code::invalid_name);
    EXPECT_EQ(f.store().create(bob, "12345", "Digits", t0).error().code, Code::invalid_name);
    EXPECT_EQ(f.store().create(bob, "has space", "X", t0).error().code, Code::invalid_name);
    EXPECT_EQ(f.store().create(bob, "beta", "", t0).error().code, Code::invalid_display_name);
    auto account = billing::AccountStore(f.db()).find({billing::OwnerKind::org, made->id});
    ASSERT_TRUE(account);
    EXPECT_EQ(account->plan, "free-2x");
    EXPECT_EQ(account->balance_fen, 0);
    EXPECT_EQ(f.role_of(made->id, alice), Role::owner);
    auto mine = f.store().memberships(alice).value();
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].name, "acme");
    EXPECT_TRUE(f.store().memberships(bob).value().empty());
}

TEST_P(StoreTest, OrgAUserMayBelongToManyOrganizations) {
    Orgs f{db()};
    const auto alice = f.user("alice");
    const auto bob = f.user("bobby");
    f.org_with(alice, bob, Role::member, "acme");
    f.org_with(alice, bob, Role::admin, "zeta");
    auto mine = f.store().memberships(bob).value();
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[0].name, "acme");
    EXPECT_EQ(mine[0].role, Role::member);
    EXPECT_EQ(mine[1].role, Role::admin);
    // The lookup other capabilities take says the same.
    auto looked_up = org::membership_lookup(f.db())(bob);
    ASSERT_TRUE(looked_up);
    EXPECT_EQ(looked_up->size(), 2u);
}

TEST_P(StoreTest, OrgInvitationsExpireAfterSevenDaysAndBindToTheirInvitee) {
    Orgs f{db()};
    const auto alice = f.user("alice");
    const auto bob = f.user("bobby");
    const auto carol = f.user("carol");
    const auto id = f.store().create(alice, "acme", "Acme", t0).value().id;
    auto by_mail =
        f.store().invite(alice, id, {std::nullopt, "Bob@Example.com"}, Role::member, f.random_, t0);
    ASSERT_TRUE(by_mail) << by_mail.error().message;
    EXPECT_EQ(by_mail->invitation.expires_at, t0 + 7 * 24h);
    EXPECT_EQ(f.store().find_by_token(by_mail->token).value().id, by_mail->invitation.id);
    // Only whoever has the address verified may answer it.
    EXPECT_EQ(
        f.store().accept(by_mail->invitation.id, {carol, {"carol@example.com"}}, t0).error().code,
        Code::wrong_invitee);
    EXPECT_EQ(f.store().decline(by_mail->invitation.id, {carol, {}}, t0).error().code,
              Code::wrong_invitee);
    EXPECT_EQ(f.store().pending_for({bob, {"bob@example.com"}}, t0).value().size(), 1u);
    // Seven days later it is gone.
    const auto late = t0 + 7 * 24h;
    EXPECT_EQ(
        f.store().accept(by_mail->invitation.id, {bob, {"bob@example.com"}}, late).error().code,
        Code::invitation_expired);
    EXPECT_TRUE(f.store().pending_for({bob, {"bob@example.com"}}, late).value().empty());
    auto joined = f.store().accept(by_mail->invitation.id, {bob, {"BOB@example.com"}}, late - 1s);
    ASSERT_TRUE(joined) << joined.error().message;
    EXPECT_EQ(f.role_of(id, bob), Role::member);
    EXPECT_EQ(f.store().accept(by_mail->invitation.id, {bob, {"bob@example.com"}}, t0).error().code,
              Code::invitation_closed);
    // An account invitation: only that account.
    auto by_name = f.store().invite(alice, id, {carol, std::nullopt}, Role::admin, f.random_, t0);
    ASSERT_TRUE(by_name);
    EXPECT_EQ(f.store().accept(by_name->invitation.id, {bob, {}}, t0).error().code,
              Code::wrong_invitee);
    EXPECT_TRUE(f.store().decline(by_name->invitation.id, {carol, {}}, t0));
    EXPECT_EQ(f.store().accept(by_name->invitation.id, {carol, {}}, t0).error().code,
              Code::invitation_closed);
    EXPECT_EQ(
        f.store().invite(alice, id, {bob, std::nullopt}, Role::member, f.random_, t0).error().code,
        Code::already_member);
}

TEST_P(StoreTest, OrgRolesDecideWhoMayInviteChangeRolesRemoveAndDelete) {
    Orgs f{db()};
    const auto alice = f.user("alice");
    const auto bob = f.user("bobby");
    const auto carol = f.user("carol");
    const auto dave = f.user("david");
    const auto id = f.org_with(alice, bob, Role::member);
    auto invited = f.store().invite(alice, id, {carol, std::nullopt}, Role::admin, f.random_, t0);
    ASSERT_TRUE(f.store().accept(invited->invitation.id, {carol, {}}, t0));
    // A member can do none of it.
    EXPECT_EQ(
        f.store().invite(bob, id, {dave, std::nullopt}, Role::member, f.random_, t0).error().code,
        Code::forbidden);
    EXPECT_EQ(f.store().change_role(bob, id, carol, Role::member).error().code, Code::forbidden);
    EXPECT_EQ(f.store().remove(bob, id, carol).error().code, Code::forbidden);
    EXPECT_EQ(f.store().remove_org(bob, id).error().code, Code::forbidden);
    EXPECT_EQ(f.store().transfer(bob, id, bob).error().code, Code::invalid_role);
    EXPECT_EQ(f.store().transfer(bob, id, carol).error().code, Code::forbidden);
    // An admin invites, changes roles and removes, but never touches the owner.
    EXPECT_TRUE(f.store().invite(carol, id, {dave, std::nullopt}, Role::member, f.random_, t0));
    EXPECT_TRUE(f.store().change_role(carol, id, bob, Role::admin));
    EXPECT_EQ(f.role_of(id, bob), Role::admin);
    EXPECT_EQ(f.store().change_role(carol, id, alice, Role::member).error().code,
              Code::owner_must_transfer);
    EXPECT_EQ(f.store().remove(carol, id, alice).error().code, Code::owner_must_transfer);
    EXPECT_EQ(f.store().change_role(carol, id, bob, Role::owner).error().code, Code::invalid_role);
    EXPECT_EQ(f.store().remove_org(carol, id).error().code, Code::forbidden);
    EXPECT_TRUE(f.store().remove(carol, id, bob));
    EXPECT_EQ(f.store().membership(id, bob).error().code, Code::not_found);
    // Someone outside sees nothing.
    EXPECT_EQ(f.store().members(dave, id).error().code, Code::not_found);
}

TEST_P(StoreTest, OrgTheOwnerCannotLeaveButMembersCan) {
    Orgs f{db()};
    const auto alice = f.user("alice");
    const auto bob = f.user("bobby");
    const auto id = f.org_with(alice, bob, Role::admin);
    EXPECT_EQ(f.store().leave(alice, id).error().code, Code::owner_must_transfer);
    EXPECT_EQ(f.role_of(id, alice), Role::owner);
    EXPECT_TRUE(f.store().leave(bob, id));
    EXPECT_EQ(f.store().leave(bob, id).error().code, Code::not_found);
}

TEST_P(StoreTest, OrgDeletingNeedsAZeroBalanceAndKeepsTheRecords) {
    Orgs f{db()};
    const auto alice = f.user("alice");
    const auto id = f.store().create(alice, "acme", "Acme", t0).value().id;
    const auto account = billing::AccountStore(f.db()).find({billing::OwnerKind::org, id}).value();
    ASSERT_TRUE(
        billing::credit(f.db(), {account.id, billing::EntryType::top_up, 100, "T1", "k1"}, t0));
    EXPECT_EQ(f.store().remove_org(alice, id).error().code, Code::balance_not_zero);
    ASSERT_TRUE(
        billing::debit(f.db(), {account.id, billing::EntryType::charge, 100, "use", "k2"}, t0));
    EXPECT_TRUE(f.store().remove_org(alice, id));
    EXPECT_TRUE(f.store().memberships(alice).value().empty());
    EXPECT_TRUE(billing::AccountStore(f.db()).get(account.id));
    // The handle is free again, the id is new.
    auto again = f.store().create(alice, "acme", "Acme", t0);
    ASSERT_TRUE(again);
    EXPECT_NE(again->id, id);
}

TEST_P(StoreTest, OrgTwoRacingTransfersLeaveExactlyOneOwner) {
    Orgs f{db()};
    for (int round = 0; round < 5; ++round) {
        const auto alice = f.user("alice" + std::to_string(round));
        const auto bob = f.user("bobby" + std::to_string(round));
        const auto carol = f.user("carol" + std::to_string(round));
        const auto id = f.org_with(alice, bob, Role::member, "org" + std::to_string(round));
        auto inv = f.store().invite(alice, id, {carol, std::nullopt}, Role::member, f.random_, t0);
        ASSERT_TRUE(f.store().accept(inv->invitation.id, {carol, {}}, t0));
        std::atomic<bool> go{false};
        std::atomic<int> wins{0};
        std::vector<std::thread> threads;
        for (auto target : {bob, carol}) {
            threads.emplace_back([&, target] {
                while (!go) {
                    std::this_thread::yield();
                }
                if (f.store().transfer(alice, id, target)) {
                    ++wins;
                }
            });
        }
        go = true;
        for (auto& t : threads) {
            t.join();
        }
        EXPECT_EQ(wins, 1);
        int owners = 0;
        const auto members = f.store().members(alice, id).value();
        for (const auto& m : members) {
            owners += m.role == Role::owner ? 1 : 0;
        }
        EXPECT_EQ(owners, 1);
        EXPECT_EQ(f.role_of(id, alice), Role::admin);
    }
}

TEST_P(StoreTest, OrgTwoRacingAcceptsOfOneInvitationJoinOnce) {
    Orgs f{db()};
    const auto alice = f.user("alice");
    const auto bob = f.user("bobby");
    const auto id = f.store().create(alice, "acme", "Acme", t0).value().id;
    auto inv = f.store().invite(alice, id, {bob, std::nullopt}, Role::member, f.random_, t0);
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            if (f.store().accept(inv->invitation.id, {bob, {}}, t0)) {
                ++wins;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(wins, 1);
    EXPECT_EQ(f.store().members(alice, id).value().size(), 2u);
}

}  // namespace
}  // namespace idpd::conformance
