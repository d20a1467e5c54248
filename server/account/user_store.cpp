#include "account/user_store.h"

#include <algorithm>

#include "store/dialect.h"

namespace idpd::account {
namespace {

using std::chrono::sys_seconds;

constexpr std::string_view user_columns =
    "u.id, u.username, u.display_name, u.password_hash, u.status, u.created_at, u.updated_at, "
    "u.deletion_scheduled_at";

constexpr std::string_view email_columns =
    "user_id, email, email_canonical, verified_at, is_primary, created_at";

constexpr std::size_t max_page = 1000;

sys_seconds to_time(std::int64_t seconds) {
    return sys_seconds{std::chrono::seconds{seconds}};
}

std::int64_t to_epoch(sys_seconds time) {
    return time.time_since_epoch().count();
}

User read_user(const store::Row& row) {
    User user;
    user.id = row.integer(0);
    user.username = row.text(1);
    user.display_name = row.text(2);
    user.password_hash = row.optional_text(3);
    user.status = parse_user_status(row.text(4)).value_or(UserStatus::disabled);
    user.created_at = to_time(row.integer(5));
    user.updated_at = to_time(row.integer(6));
    if (auto scheduled = row.optional_integer(7)) {
        user.deletion_scheduled_at = to_time(*scheduled);
    }
    return user;
}

UserEmail read_email(const store::Row& row) {
    UserEmail email;
    email.user_id = row.integer(0);
    email.email = row.text(1);
    email.canonical = row.text(2);
    if (auto verified = row.optional_integer(3)) {
        email.verified_at = to_time(*verified);
    }
    email.is_primary = row.integer(4) != 0;
    email.created_at = to_time(row.integer(5));
    return email;
}

std::string select_users(std::string_view rest) {
    return "SELECT " + std::string(user_columns) + " FROM users u " + std::string(rest);
}

Result<void> expect_one(const Result<store::Executed>& executed, std::string_view what) {
    if (!executed) {
        return std::unexpected(executed.error());
    }
    if (executed->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, std::string(what) + " not found");
    }
    return {};
}

}  // namespace

Result<User> UserStore::find_one(std::string_view sql, const store::Params& params) {
    auto rows = db_.query(sql, params);
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such user");
    }
    return read_user(rows->front());
}

Result<User> UserStore::create(const NewUser& user, sys_seconds now) {
    User created;
    created.username = user.username.text;
    created.display_name = user.display_name;
    created.password_hash = user.password_hash;
    created.created_at = now;
    created.updated_at = now;
    store::Value hash = nullptr;
    if (user.password_hash) {
        hash = *user.password_hash;
    }
    // In a transaction so a deadlock between racing inserts (possible on InnoDB) is retried;
    // the loser of the race then meets the UNIQUE key: conflict.
    auto done = db_.transaction([&](store::Database& tx) -> Result<void> {
        auto inserted = tx.execute(
            "INSERT INTO users (username, username_canonical, display_name, password_hash, "
            "status, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?)",
            {user.username.text, user.username.canonical, user.display_name, hash, to_epoch(now),
             to_epoch(now)});
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        created.id = inserted->last_insert_id;
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return created;
}

Result<void> UserStore::transaction(const std::function<Result<void>(UserStore& tx)>& work) {
    return db_.transaction([&](store::Database& tx) {
        UserStore users{tx};
        return work(users);
    });
}

Result<User> UserStore::find_by_id(std::int64_t id) {
    return find_one(select_users("WHERE u.id = ?"), {id});
}

Result<User> UserStore::find_by_username(std::string_view username) {
    const std::string canonical = canonical_username(username);
    if (canonical.empty()) {
        return store::fail(store::Error::Kind::not_found, "no such user");
    }
    return find_one(select_users("WHERE u.username_canonical = ?"), {canonical});
}

Result<User> UserStore::find_by_sign_in_identifier(std::string_view identifier) {
    if (identifier.find('@') == std::string_view::npos) {
        return find_by_username(identifier);
    }
    const auto email = parse_email_address(identifier);
    if (!email) {
        return store::fail(store::Error::Kind::not_found, "no such user");
    }
    // design.md §2: an address signs in only when verified on exactly one account. Two rows
    // are enough to know it is not exactly one.
    auto rows = db_.query(select_users("JOIN user_emails e ON e.user_id = u.id "
                                       "WHERE e.email_canonical = ? AND e.verified_at IS NOT NULL "
                                       "ORDER BY u.id LIMIT 2"),
                          {email->canonical});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->size() != 1) {
        return store::fail(store::Error::Kind::not_found,
                           rows->empty() ? "no account has this address verified"
                                         : "several accounts have this address verified");
    }
    return read_user(rows->front());
}

Result<void> UserStore::set_password_hash(std::int64_t id, const std::optional<std::string>& hash,
                                          sys_seconds now) {
    store::Value value = nullptr;
    if (hash) {
        value = *hash;
    }
    // A deleted account (account/deletion_store.h) stays deleted: not_found.
    return expect_one(db_.execute("UPDATE users SET password_hash = ?, updated_at = ? "
                                  "WHERE id = ? AND deleted_at IS NULL",
                                  {value, to_epoch(now), id}),
                      "user");
}

Result<void> UserStore::set_status(std::int64_t id, UserStatus status, sys_seconds now) {
    return expect_one(db_.execute("UPDATE users SET status = ?, updated_at = ? "
                                  "WHERE id = ? AND deleted_at IS NULL",
                                  {std::string(status_name(status)), to_epoch(now), id}),
                      "user");
}

Result<UserPage> UserStore::list(std::int64_t after_id, std::size_t limit) {
    limit = std::clamp<std::size_t>(limit, 1, max_page);
    // One row more than asked tells whether another page follows.
    auto rows = db_.query(select_users("WHERE u.id > ? ORDER BY u.id LIMIT ?"),
                          {after_id, static_cast<std::int64_t>(limit + 1)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    UserPage page;
    for (std::size_t i = 0; i < rows->size() && i < limit; ++i) {
        page.users.push_back(read_user((*rows)[i]));
    }
    if (rows->size() > limit) {
        page.next_after = page.users.back().id;
    }
    return page;
}

Result<UserEmail> UserStore::add_email(std::int64_t user_id, const EmailAddress& email,
                                       sys_seconds now) {
    UserEmail added;
    added.user_id = user_id;
    added.email = email.text;
    added.canonical = email.canonical;
    added.created_at = now;
    auto done = db_.transaction([&](store::Database& tx) -> Result<void> {
        // The account row is locked first, so two first addresses added at once cannot both
        // become primary.
        auto owner = tx.query(
            "SELECT id FROM users WHERE id = ?" + std::string(store::for_update(tx.dialect())),
            {user_id});
        if (!owner) {
            return std::unexpected(owner.error());
        }
        if (owner->empty()) {
            return store::fail(store::Error::Kind::conflict, "no such user");
        }
        auto existing = tx.query("SELECT COUNT(*) FROM user_emails WHERE user_id = ?", {user_id});
        if (!existing) {
            return std::unexpected(existing.error());
        }
        added.is_primary = existing->front().integer(0) == 0;
        auto inserted = tx.execute(
            "INSERT INTO user_emails (user_id, email, email_canonical, verified_at, is_primary, "
            "created_at) VALUES (?, ?, ?, NULL, ?, ?)",
            {user_id, email.text, email.canonical, std::int64_t{added.is_primary ? 1 : 0},
             to_epoch(now)});
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return added;
}

Result<void> UserStore::mark_email_verified(std::int64_t user_id, const EmailAddress& email,
                                            sys_seconds now) {
    return expect_one(db_.execute("UPDATE user_emails SET verified_at = COALESCE(verified_at, ?) "
                                  "WHERE user_id = ? AND email_canonical = ?",
                                  {to_epoch(now), user_id, email.canonical}),
                      "email address");
}

Result<void> UserStore::set_primary_email(std::int64_t user_id, const EmailAddress& email) {
    return db_.transaction([&](store::Database& tx) -> Result<void> {
        auto found =
            tx.query("SELECT id FROM user_emails WHERE user_id = ? AND email_canonical = ?" +
                         std::string(store::for_update(tx.dialect())),
                     {user_id, email.canonical});
        if (!found) {
            return std::unexpected(found.error());
        }
        if (found->empty()) {
            return store::fail(store::Error::Kind::not_found, "email address not found");
        }
        auto updated = tx.execute(
            "UPDATE user_emails SET is_primary = CASE WHEN email_canonical = ? THEN 1 ELSE 0 END "
            "WHERE user_id = ?",
            {email.canonical, user_id});
        if (!updated) {
            return std::unexpected(updated.error());
        }
        return {};
    });
}

Result<std::vector<UserEmail>> UserStore::emails(std::int64_t user_id) {
    auto rows = db_.query("SELECT " + std::string(email_columns) +
                              " FROM user_emails WHERE user_id = ? ORDER BY is_primary DESC, id",
                          {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<UserEmail> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) {
        out.push_back(read_email(row));
    }
    return out;
}

}  // namespace idpd::account
