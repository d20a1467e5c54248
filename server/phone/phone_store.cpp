#include "phone/phone_store.h"

namespace idpd::phone {

store::Result<std::optional<BoundPhone>> PhoneStore::find(std::string_view where,
                                                          const store::Value& v) {
    auto rows = db_.query(
        "SELECT id, user_id, phone, verified_at FROM user_phones WHERE " + std::string(where), {v});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    const auto& row = rows->front();
    return BoundPhone{row.integer(0), row.integer(1), row.text(2),
                      std::chrono::sys_seconds{std::chrono::seconds{row.integer(3)}}};
}

store::Result<std::optional<BoundPhone>> PhoneStore::of_user(std::int64_t user_id) {
    return find("user_id = ?", user_id);
}

store::Result<std::optional<BoundPhone>> PhoneStore::by_number(std::string_view e164) {
    return find("phone = ?", std::string(e164));
}

store::Result<BoundPhone> PhoneStore::bind(std::int64_t user_id, std::string_view e164,
                                           std::chrono::sys_seconds now) {
    BoundPhone bound;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto removed = tx.execute("DELETE FROM user_phones WHERE user_id = ?", {user_id});
        if (!removed) {
            return std::unexpected(removed.error());
        }
        const std::int64_t at = now.time_since_epoch().count();
        auto inserted = tx.execute(
            "INSERT INTO user_phones (user_id, phone, verified_at, created_at) VALUES (?, ?, ?, ?)",
            {user_id, std::string(e164), at, at});
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        bound = BoundPhone{inserted->last_insert_id, user_id, std::string(e164), now};
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return bound;
}

store::Result<void> PhoneStore::unbind(std::int64_t user_id) {
    auto removed = db_.execute("DELETE FROM user_phones WHERE user_id = ?", {user_id});
    if (!removed) {
        return std::unexpected(removed.error());
    }
    if (removed->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no phone bound");
    }
    return {};
}

}  // namespace idpd::phone
