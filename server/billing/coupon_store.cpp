#include "billing/coupon_store.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "store/epoch.h"

namespace idpd::billing {
namespace {

using std::chrono::sys_seconds;

// No 0/O, 1/I/L: the code is read aloud and typed from paper.
constexpr std::string_view alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
constexpr std::size_t code_length = 16;

using store::epoch;

// Upper case, without spaces and dashes; empty when anything else is in it.
std::string canonical_code(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == ' ' || c == '-') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        if (alphabet.find(c) == std::string_view::npos) {
            return {};
        }
        out.push_back(c);
    }
    return out.size() == code_length ? out : std::string{};
}

store::Blob code_hash(const std::string& canonical) {
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return store::Blob{digest};
}

Result<std::string> random_code() {
    std::string code;
    while (code.size() < code_length) {
        unsigned char byte = 0;
        if (RAND_bytes(&byte, 1) != 1) {
            return fail(Error::Kind::unavailable, "no randomness for a coupon code");
        }
        // Rejection sampling keeps every character equally likely.
        if (byte < 256 - 256 % alphabet.size()) {
            code.push_back(alphabet[byte % alphabet.size()]);
        }
    }
    return code;
}

std::string grouped(const std::string& code) {
    std::string out;
    for (std::size_t i = 0; i < code.size(); i += 4) {
        if (i > 0) {
            out.push_back('-');
        }
        out.append(code, i, 4);
    }
    return out;
}

Result<void> check(const NewCoupon& c) {
    if (c.amount_fen <= 0 || c.amount_fen > 100'000'000) {
        return fail(Error::Kind::invalid, "a coupon is worth 0.01 to 1000000.00");
    }
    if (c.valid_until <= c.valid_from) {
        return fail(Error::Kind::invalid, "a coupon's validity must end after it starts");
    }
    if (c.total_uses <= 0 || c.total_uses > 10'000'000) {
        return fail(Error::Kind::invalid, "a coupon has 1 to 10000000 uses");
    }
    return {};
}

struct CouponRow {
    std::int64_t id, amount_fen, valid_from, valid_until;
    std::string hint;
};

// Takes one use of the coupon and records the account's redemption; the ledger row follows.
Result<void> take_use(store::Database& tx, const CouponRow& c, std::int64_t account_id,
                      sys_seconds now) {
    auto recorded = tx.execute(
        "INSERT INTO billing_coupon_redemptions (coupon_id, account_id, ledger_id, redeemed_at) "
        "VALUES (?, ?, 0, ?)",
        {c.id, account_id, epoch(now)});
    if (!recorded && recorded.error().kind == store::Error::Kind::conflict) {
        return fail(Error::Kind::conflict, Code::coupon_already_redeemed,
                    "this account has already redeemed this coupon");
    }
    if (!recorded) {
        return from_store(recorded.error());
    }
    auto used = tx.execute(
        "UPDATE billing_coupons SET used_count = used_count + 1 "
        "WHERE id = ? AND used_count < total_uses",
        {c.id});
    if (!used) {
        return from_store(used.error());
    }
    if (used->affected_rows == 0) {
        return fail(Error::Kind::conflict, Code::coupon_used_up, "this coupon has been used up");
    }
    return {};
}

}  // namespace

Result<CreatedCoupon> CouponStore::create(const NewCoupon& coupon, sys_seconds now) {
    if (auto ok = check(coupon); !ok) {
        return std::unexpected(ok.error());
    }
    auto code = random_code();
    if (!code) {
        return std::unexpected(code.error());
    }
    auto inserted = db_.execute(
        "INSERT INTO billing_coupons (code_hash, code_hint, amount_fen, valid_from, valid_until, "
        "total_uses, used_count, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
        {code_hash(*code), code->substr(0, 4), coupon.amount_fen, epoch(coupon.valid_from),
         epoch(coupon.valid_until), coupon.total_uses, epoch(now)});
    if (!inserted) {
        return from_store(inserted.error());
    }
    return CreatedCoupon{inserted->last_insert_id, grouped(*code)};
}

Result<Redemption> CouponStore::redeem(std::int64_t account_id, std::string_view code,
                                       sys_seconds now) {
    const std::string canonical = canonical_code(code);
    if (canonical.empty()) {
        return fail(Error::Kind::not_found, Code::coupon_unknown, "no coupon has this code");
    }
    auto rows = db_.query(
        "SELECT id, amount_fen, valid_from, valid_until, code_hint FROM billing_coupons "
        "WHERE code_hash = ?",
        {code_hash(canonical)});
    if (!rows) {
        return from_store(rows.error());
    }
    if (rows->empty()) {
        return fail(Error::Kind::not_found, Code::coupon_unknown, "no coupon has this code");
    }
    const auto& r = rows->front();
    const CouponRow c{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.text(4)};
    if (epoch(now) < c.valid_from) {
        return fail(Error::Kind::invalid, Code::coupon_not_yet_valid,
                    "this coupon is not valid yet");
    }
    if (epoch(now) >= c.valid_until) {
        return fail(Error::Kind::invalid, Code::coupon_expired, "this coupon has expired");
    }
    Redemption redemption{c.id, {}};
    auto done = in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        if (auto taken = take_use(tx, c, account_id, now); !taken) {
            return taken;
        }
        auto credited = credit(tx,
                               Posting{account_id, EntryType::coupon, c.amount_fen,
                                       "coupon " + c.hint, "coupon:" + std::to_string(c.id)},
                               now);
        if (!credited) {
            return std::unexpected(credited.error());
        }
        redemption.entry = *credited;
        auto linked = tx.execute(
            "UPDATE billing_coupon_redemptions SET ledger_id = ? WHERE coupon_id = ? AND "
            "account_id = ?",
            {credited->id, c.id, account_id});
        if (!linked) {
            return from_store(linked.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return redemption;
}

}  // namespace idpd::billing
