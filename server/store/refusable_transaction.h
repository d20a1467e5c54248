#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "store/database.h"

namespace idpd::store {

// Runs `work` in one transaction on `db` (inline when `db` is already a transaction's `tx`)
// for a capability whose errors are `E` — an error type with `std::optional<store::Error>
// cause`, set when a store error made it. Commits when `work` returns a value. A refusal
// (an `E` without a cause: "coupon used up", "not the owner") rolls back and comes back as is.
// An `E` with a cause reaches the store unchanged, so a deadlock or a busy database runs `work`
// again; if the store gives up, its error is logged under `who` and turned into an `E` by
// `from_store`.
template <class E>
std::expected<void, E> refusable_transaction(
    Database& db, std::string_view who,
    const std::function<std::expected<void, E>(Database& tx)>& work,
    const std::function<std::unexpected<E>(const Error&)>& from_store) {
    std::optional<E> refusal;
    auto done = db.transaction([&](Database& tx) -> Result<void> {
        refusal.reset();
        auto outcome = work(tx);
        if (outcome) {
            return {};
        }
        if (outcome.error().cause) {
            return std::unexpected(*outcome.error().cause);
        }
        refusal = outcome.error();
        return fail(Error::Kind::invalid, std::string(who) + ": refused, rolled back");
    });
    if (done) {
        return {};
    }
    if (refusal) {
        return std::unexpected(*refusal);
    }
    spdlog::warn("{}: database {}: {}", who, kind_name(done.error().kind), done.error().message);
    return from_store(done.error());
}

}  // namespace idpd::store
