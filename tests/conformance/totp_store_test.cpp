// auth::TotpStore on every backend: enrollment is pending until one valid code, every code
// works once (also under a race), wrong codes are throttled, a disabled secret accepts
// nothing, recovery codes are single-use and regeneration voids the old set.
#include "auth/totp_store.h"

#include <atomic>
#include <chrono>
#include <span>
#include <string>
#include <thread>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "auth/totp.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using auth::CodeOutcome;
using auth::TotpState;
using auth::TotpStore;
using std::chrono::seconds;

const std::chrono::sys_seconds t0{seconds{1'700'000'010}};

class CountingRandom final : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        ++calls_;
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = static_cast<std::uint8_t>(calls_ * 31 + i * 7);
        }
    }

private:
    int calls_ = 0;
};

std::int64_t add_user(store::Database& db, std::string_view name) {
    account::UserStore users{db};
    auto username = account::check_username(name);
    EXPECT_TRUE(username);
    auto user = users.create({*username, std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user) << user.error().message;
    return user ? user->id : 0;
}

const jose::MasterKey& master() {
    static const auto key = jose::MasterKey::from_bytes(std::string(32, 'm')).value();
    return key;
}

class TotpFixture {
public:
    explicit TotpFixture(store::Database& db) : totp(db, master(), random) {}

    CountingRandom random;
    TotpStore totp;
};

// Enrolls and activates `user`; returns the raw secret.
std::string enrolled(TotpStore& totp, std::int64_t user) {
    auto secret = totp.enroll(user, t0);
    EXPECT_TRUE(secret) << secret.error().message;
    auto activated = totp.activate(user, auth::totp(*secret, t0), t0);
    EXPECT_TRUE(activated);
    EXPECT_EQ(activated->outcome, CodeOutcome::accepted);
    return *secret;
}

TEST_P(StoreTest, TotpIsPendingUntilOneValidCodeActivatesIt) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    EXPECT_EQ(f.totp.status(user)->state, TotpState::none);
    auto secret = f.totp.enroll(user, t0);
    ASSERT_TRUE(secret) << secret.error().message;
    EXPECT_EQ(secret->size(), 20U);
    EXPECT_EQ(f.totp.status(user)->state, TotpState::pending);
    // Only the sealed form is stored.
    auto stored = db().query("SELECT secret FROM totp_secrets WHERE user_id = ?", {user});
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->front().text(0).find(*secret), std::string::npos);
    // A pending secret signs nothing in.
    EXPECT_EQ(f.totp.verify(user, auth::totp(*secret, t0), t0)->outcome, CodeOutcome::not_enrolled);
    EXPECT_EQ(f.totp.activate(user, "000000", t0)->outcome, CodeOutcome::wrong_code);
    EXPECT_EQ(f.totp.status(user)->state, TotpState::pending);
    auto activated = f.totp.activate(user, auth::totp(*secret, t0), t0);
    ASSERT_TRUE(activated);
    EXPECT_EQ(activated->outcome, CodeOutcome::accepted);
    ASSERT_TRUE(activated->proof);
    EXPECT_EQ(activated->proof->user_id(), user);
    const auto status = f.totp.status(user);
    EXPECT_EQ(status->state, TotpState::active);
    EXPECT_EQ(status->activated_at, t0);
    // The activating code is spent; the next step's code works.
    EXPECT_EQ(f.totp.verify(user, auth::totp(*secret, t0), t0)->outcome, CodeOutcome::replayed);
    EXPECT_EQ(f.totp.verify(user, auth::totp(*secret, t0 + seconds(30)), t0 + seconds(30))->outcome,
              CodeOutcome::accepted);
    // Enrolling again needs disabling first.
    EXPECT_EQ(f.totp.enroll(user, t0).error().kind, store::Error::Kind::conflict);
}

TEST_P(StoreTest, TotpReEnrollingWhilePendingReplacesTheSecret) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    auto first = f.totp.enroll(user, t0);
    auto second = f.totp.enroll(user, t0);
    ASSERT_TRUE(first && second);
    EXPECT_NE(*first, *second);
    EXPECT_EQ(f.totp.activate(user, auth::totp(*first, t0), t0)->outcome, CodeOutcome::wrong_code);
    EXPECT_EQ(f.totp.activate(user, auth::totp(*second, t0), t0)->outcome, CodeOutcome::accepted);
}

TEST_P(StoreTest, TotpReplayedCodeIsRefusedInsideTheWindow) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    const auto secret = enrolled(f.totp, user);
    const auto later = t0 + seconds(60);
    const auto code = auth::totp(secret, later);
    EXPECT_EQ(f.totp.verify(user, code, later)->outcome, CodeOutcome::accepted);
    EXPECT_EQ(f.totp.verify(user, code, later)->outcome, CodeOutcome::replayed);
    EXPECT_EQ(f.totp.verify(user, code, later + seconds(30))->outcome, CodeOutcome::replayed);
    // An older step's code, though inside the window, is also spent now.
    EXPECT_EQ(f.totp.verify(user, auth::totp(secret, later - seconds(30)), later)->outcome,
              CodeOutcome::replayed);
    // Replays are not counted as guesses.
    auto failures =
        db().query("SELECT failed_attempts FROM totp_secrets WHERE user_id = ?", {user});
    EXPECT_EQ(failures->front().integer(0), 0);
}

TEST_P(StoreTest, TotpWrongCodesAreThrottledWithGrowingLockouts) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    const auto secret = enrolled(f.totp, user);
    auto now = t0 + seconds(60);
    for (int i = 1; i <= 4; ++i) {
        EXPECT_EQ(f.totp.verify(user, "000000", now)->outcome, CodeOutcome::wrong_code) << i;
    }
    auto fifth = f.totp.verify(user, "000000", now);
    EXPECT_EQ(fifth->outcome, CodeOutcome::wrong_code);
    // Locked for 30 s: even the right code is refused unchecked.
    auto locked = f.totp.verify(user, auth::totp(secret, now), now);
    EXPECT_EQ(locked->outcome, CodeOutcome::throttled);
    EXPECT_EQ(locked->retry_at, now + seconds(30));
    EXPECT_EQ(f.totp.use_recovery_code(user, "AAAAA-AAAAA", now)->outcome, CodeOutcome::throttled);
    // The sixth failure locks for 60 s.
    now += seconds(30);
    EXPECT_EQ(f.totp.verify(user, "000000", now)->outcome, CodeOutcome::wrong_code);
    EXPECT_EQ(f.totp.verify(user, "000000", now + seconds(59))->retry_at, now + seconds(60));
    // After the lockout, a right code is accepted and resets the count.
    now += seconds(60);
    EXPECT_EQ(f.totp.verify(user, auth::totp(secret, now), now)->outcome, CodeOutcome::accepted);
    EXPECT_EQ(f.totp.verify(user, "000000", now)->outcome, CodeOutcome::wrong_code);
    EXPECT_EQ(
        f.totp.verify(user, auth::totp(secret, now + seconds(30)), now + seconds(30))->outcome,
        CodeOutcome::accepted);
}

TEST_P(StoreTest, TotpDisabledSecretAcceptsNothing) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    const auto secret = enrolled(f.totp, user);
    auto codes = f.totp.regenerate_recovery_codes(user, t0);
    ASSERT_TRUE(codes);
    const auto now = t0 + seconds(30);
    auto proof = f.totp.verify(user, auth::totp(secret, now), now);
    ASSERT_TRUE(proof && proof->proof);
    // A proof too old is refused.
    EXPECT_EQ(f.totp.disable(*proof->proof, now + seconds(301)).error().kind,
              store::Error::Kind::conflict);
    EXPECT_EQ(f.totp.status(user)->state, TotpState::active);
    ASSERT_TRUE(f.totp.disable(*proof->proof, now + seconds(10)));
    EXPECT_EQ(f.totp.status(user)->state, TotpState::none);
    const auto later = now + seconds(30);
    EXPECT_EQ(f.totp.verify(user, auth::totp(secret, later), later)->outcome,
              CodeOutcome::not_enrolled);
    EXPECT_EQ(f.totp.activate(user, auth::totp(secret, later), later)->outcome,
              CodeOutcome::not_enrolled);
    EXPECT_EQ(f.totp.use_recovery_code(user, codes->front(), later)->outcome,
              CodeOutcome::not_enrolled);
    auto left = db().query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?", {user});
    EXPECT_EQ(left->front().integer(0), 0);
}

TEST_P(StoreTest, RecoveryCodeWorksOnceAndCanDisableTotp) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    enrolled(f.totp, user);
    auto codes = f.totp.regenerate_recovery_codes(user, t0);
    ASSERT_TRUE(codes) << codes.error().message;
    ASSERT_EQ(codes->size(), 10U);
    for (const auto& code : *codes) {
        EXPECT_THAT(code, testing::MatchesRegex("[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}"));
    }
    EXPECT_EQ(f.totp.status(user)->recovery_codes_left, 10);
    // Only hashes are stored.
    auto stored = db().query("SELECT code_hash FROM recovery_codes WHERE user_id = ?", {user});
    for (const auto& row : *stored) {
        EXPECT_EQ(row.text(0).size(), 32U);
    }
    // Typed in lower case without the dash, it still counts.
    std::string typed = (*codes)[3];
    typed.erase(5, 1);
    for (auto& c : typed) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto used = f.totp.use_recovery_code(user, typed, t0);
    ASSERT_TRUE(used);
    EXPECT_EQ(used->outcome, CodeOutcome::accepted);
    EXPECT_EQ(f.totp.use_recovery_code(user, (*codes)[3], t0)->outcome, CodeOutcome::replayed);
    EXPECT_EQ(f.totp.use_recovery_code(user, "22222-22222", t0)->outcome, CodeOutcome::wrong_code);
    EXPECT_EQ(f.totp.use_recovery_code(user, "not a code", t0)->outcome, CodeOutcome::wrong_code);
    EXPECT_EQ(f.totp.status(user)->recovery_codes_left, 9);
    ASSERT_TRUE(used->proof);
    EXPECT_EQ(used->proof->method(), "recovery");
    ASSERT_TRUE(f.totp.disable(*used->proof, t0 + seconds(60)));
    EXPECT_EQ(f.totp.status(user)->state, TotpState::none);
}

TEST_P(StoreTest, RecoveryCodeRegenerationVoidsTheOldSet) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    const auto other = add_user(db(), "bobby");
    enrolled(f.totp, user);
    enrolled(f.totp, other);
    auto old_codes = f.totp.regenerate_recovery_codes(user, t0);
    auto others = f.totp.regenerate_recovery_codes(other, t0);
    auto new_codes = f.totp.regenerate_recovery_codes(user, t0);
    ASSERT_TRUE(old_codes && new_codes && others);
    EXPECT_EQ(f.totp.status(user)->recovery_codes_left, 10);
    for (const auto& code : *old_codes) {
        EXPECT_NE(f.totp.use_recovery_code(user, code, t0)->outcome, CodeOutcome::accepted);
    }
    // Another user's code is not ours.
    EXPECT_EQ(f.totp.use_recovery_code(user, others->front(), t0 + seconds(3600))->outcome,
              CodeOutcome::wrong_code);
    EXPECT_EQ(f.totp.use_recovery_code(user, new_codes->front(), t0 + seconds(7200))->outcome,
              CodeOutcome::accepted);
    // Without an active secret there is nothing to recover.
    const auto carol = add_user(db(), "carol");
    EXPECT_EQ(f.totp.regenerate_recovery_codes(carol, t0).error().kind,
              store::Error::Kind::not_found);
}

TEST_P(StoreTest, TotpSecretSealedForAnotherUserDoesNotOpen) {
    TotpFixture f{db()};
    const auto alice = add_user(db(), "alice");
    const auto bob = add_user(db(), "bobby");
    const auto secret = enrolled(f.totp, alice);
    enrolled(f.totp, bob);
    // Copy alice's sealed secret onto bob's row: the AAD ("totp:<id>") refuses it.
    auto sealed = db().query("SELECT secret FROM totp_secrets WHERE user_id = ?", {alice});
    ASSERT_TRUE(db().execute("UPDATE totp_secrets SET secret = ? WHERE user_id = ?",
                             {store::Blob{sealed->front().text(0)}, bob}));
    const auto now = t0 + seconds(30);
    EXPECT_FALSE(f.totp.verify(bob, auth::totp(secret, now), now));
}

TEST_P(StoreTest, TotpTwoThreadsRacingWithOneCodeGetOneSuccess) {
    TotpFixture f{db()};
    const auto user = add_user(db(), "alice");
    const auto secret = enrolled(f.totp, user);
    auto codes = f.totp.regenerate_recovery_codes(user, t0);
    ASSERT_TRUE(codes);
    for (int round = 1; round <= 5; ++round) {
        const auto now = t0 + seconds(30 * round);
        const auto code = auth::totp(secret, now);
        std::atomic<int> accepted{0};
        std::atomic<int> recovered{0};
        std::atomic<int> errors{0};
        auto race = [&] {
            TotpStore mine{db(), master(), f.random};
            auto r = mine.verify(user, code, now);
            if (!r) {
                ++errors;
            } else if (r->outcome == CodeOutcome::accepted) {
                ++accepted;
            }
            auto rc = mine.use_recovery_code(user, (*codes)[static_cast<std::size_t>(round)], now);
            if (!rc) {
                ++errors;
            } else if (rc->outcome == CodeOutcome::accepted) {
                ++recovered;
            }
        };
        std::thread a(race);
        std::thread b(race);
        a.join();
        b.join();
        EXPECT_EQ(errors.load(), 0) << round;
        EXPECT_EQ(accepted.load(), 1) << round;
        EXPECT_EQ(recovered.load(), 1) << round;
    }
}

}  // namespace
}  // namespace idpd::conformance
