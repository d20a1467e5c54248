#include "billing/order_store.h"

#include <openssl/rand.h>

#include "store/dialect.h"
#include "store/epoch.h"

namespace idpd::billing {
namespace {

using std::chrono::sys_seconds;

using store::at;
using store::epoch;

constexpr std::string_view order_columns =
    "SELECT id, order_no, account_id, amount_fen, channel, status, created_at, expires_at, "
    "paid_at, channel_txn, idempotency_key, payment_code FROM billing_orders ";

Order read(const store::Row& row) {
    Order o;
    o.id = row.integer(0);
    o.order_no = row.text(1);
    o.account_id = row.integer(2);
    o.amount_fen = row.integer(3);
    o.channel = parse_channel(row.text(4)).value_or(Channel::bank);
    o.status = row.text(5);
    o.created_at = at(row.integer(6));
    o.expires_at = at(row.integer(7));
    if (auto paid = row.optional_integer(8)) {
        o.paid_at = at(*paid);
    }
    o.channel_txn = row.optional_text(9);
    o.payment_code = row.optional_text(11);
    return o;
}

Result<std::string> new_order_no() {
    std::string no = "T";
    while (no.size() < 21) {
        unsigned char byte = 0;
        if (RAND_bytes(&byte, 1) != 1) {
            return fail(Error::Kind::unavailable, "no randomness for an order number");
        }
        if (byte < 250) {
            no.push_back(static_cast<char>('0' + byte % 10));
        }
    }
    return no;
}

Result<void> check(const NewOrder& o) {
    if (o.amount_fen <= 0 || o.amount_fen > 100'000'000) {
        return fail(Error::Kind::invalid, "a top-up is 0.01 to 1000000.00");
    }
    if (o.idempotency_key.size() > 128) {
        return fail(Error::Kind::invalid, "an Idempotency-Key has at most 128 characters");
    }
    for (char c : o.idempotency_key) {
        if (c < 0x21 || c > 0x7e) {
            return fail(Error::Kind::invalid, "an Idempotency-Key is printable ASCII");
        }
    }
    return {};
}

}  // namespace

std::string_view channel_name(Channel channel) {
    switch (channel) {
        case Channel::alipay:
            return "alipay";
        case Channel::wechatpay:
            return "wechatpay";
        case Channel::bank:
            return "bank";
    }
    return "bank";
}

std::optional<Channel> parse_channel(std::string_view name) {
    for (auto c : {Channel::alipay, Channel::wechatpay, Channel::bank}) {
        if (channel_name(c) == name) {
            return c;
        }
    }
    return std::nullopt;
}

Result<Order> OrderStore::create(const NewOrder& o, sys_seconds now, std::chrono::seconds ttl) {
    if (auto ok = check(o); !ok) {
        return std::unexpected(ok.error());
    }
    auto account = db_.query("SELECT id FROM billing_accounts WHERE id = ?", {o.account_id});
    if (!account) {
        return from_store(account.error());
    }
    if (account->empty()) {
        return fail(Error::Kind::not_found, "no such billing account");
    }
    auto no = new_order_no();
    if (!no) {
        return std::unexpected(no.error());
    }
    store::Value key = nullptr;
    if (!o.idempotency_key.empty()) {
        key = o.idempotency_key;
    }
    auto inserted = db_.execute(
        "INSERT INTO billing_orders (order_no, account_id, amount_fen, channel, status, "
        "idempotency_key, created_at, expires_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
        {*no, o.account_id, o.amount_fen, std::string(channel_name(o.channel)), key, epoch(now),
         epoch(now + ttl)});
    if (!inserted && inserted.error().kind == store::Error::Kind::conflict &&
        !o.idempotency_key.empty()) {
        auto rows =
            db_.query(std::string(order_columns) + "WHERE account_id = ? AND idempotency_key = ?",
                      {o.account_id, o.idempotency_key});
        if (!rows || rows->empty()) {
            return rows ? fail(Error::Kind::unavailable, "try again") : from_store(rows.error());
        }
        Order first = read(rows->front());
        if (first.amount_fen != o.amount_fen || first.channel != o.channel) {
            return fail(Error::Kind::conflict,
                        "this Idempotency-Key was already used for a different order");
        }
        first.replayed = true;
        return first;
    }
    if (!inserted) {
        return from_store(inserted.error());
    }
    return find(*no);
}

Result<Order> OrderStore::find(std::string_view order_no) {
    auto rows =
        db_.query(std::string(order_columns) + "WHERE order_no = ?", {std::string(order_no)});
    if (!rows) {
        return from_store(rows.error());
    }
    if (rows->empty()) {
        return fail(Error::Kind::not_found, "no such order");
    }
    return read(rows->front());
}

Result<std::vector<Order>> OrderStore::list(std::int64_t account_id, std::size_t limit) {
    auto rows =
        db_.query(std::string(order_columns) + "WHERE account_id = ? ORDER BY id DESC LIMIT ?",
                  {account_id, static_cast<std::int64_t>(limit)});
    if (!rows) {
        return from_store(rows.error());
    }
    std::vector<Order> out;
    for (const auto& row : *rows) {
        out.push_back(read(row));
    }
    return out;
}

Result<Settlement> OrderStore::settle(const Payment& payment, sys_seconds now,
                                      const PaidHook& on_paid) {
    Settlement settled;
    auto done = in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto rows = tx.query(std::string(order_columns) + "WHERE order_no = ?" +
                                 std::string(store::for_update(tx.dialect())),
                             {payment.order_no});
        if (!rows) {
            return from_store(rows.error());
        }
        if (rows->empty()) {
            return fail(Error::Kind::not_found, "no such order");
        }
        settled.order = read(rows->front());
        if (settled.order.channel != payment.channel) {
            return fail(Error::Kind::invalid, "the order is not paid through this channel");
        }
        if (settled.order.amount_fen != payment.amount_fen) {
            return fail(Error::Kind::invalid, "the paid amount differs from the order's");
        }
        auto paid = tx.execute(
            "UPDATE billing_orders SET status = 'paid', paid_at = ?, channel_txn = ? "
            "WHERE order_no = ? AND status <> 'paid'",
            {epoch(now), payment.channel_txn, payment.order_no});
        if (!paid) {
            return from_store(paid.error());
        }
        settled.replayed = paid->affected_rows == 0;
        auto entry =
            credit(tx,
                   Posting{settled.order.account_id, EntryType::top_up, settled.order.amount_fen,
                           payment.order_no, "order:" + payment.order_no},
                   now);
        if (!entry) {
            return std::unexpected(entry.error());
        }
        settled.entry = *entry;
        if (on_paid && !settled.replayed) {
            Order paid_now = settled.order;
            paid_now.status = "paid";
            paid_now.paid_at = now;
            paid_now.channel_txn = payment.channel_txn;
            return on_paid(tx, paid_now);
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    if (!settled.replayed) {
        settled.order.status = "paid";
        settled.order.paid_at = now;
        settled.order.channel_txn = payment.channel_txn;
    }
    return settled;
}

Result<void> OrderStore::set_payment_code(std::string_view order_no, std::string_view code) {
    if (code.empty() || code.size() > 1024) {
        return fail(Error::Kind::invalid, "a payment code has 1 to 1024 characters");
    }
    auto done = db_.execute(
        "UPDATE billing_orders SET payment_code = ? WHERE order_no = ? AND status = 'pending'",
        {std::string(code), std::string(order_no)});
    if (!done) {
        return from_store(done.error());
    }
    return {};
}

Result<std::uint64_t> OrderStore::expire_due(sys_seconds now) {
    auto done = db_.execute(
        "UPDATE billing_orders SET status = 'expired' WHERE status = 'pending' AND expires_at <= ?",
        {epoch(now)});
    if (!done) {
        return from_store(done.error());
    }
    return done->affected_rows;
}

}  // namespace idpd::billing
