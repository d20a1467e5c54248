#include "phone/phone_flows.h"

#include "account/user_store.h"
#include "notify/outbox.h"

namespace idpd::phone {

store::Result<Started> PhoneFlows::issue(const CodeRequest& request, bool send, const SmsText& text,
                                         std::chrono::sys_seconds now) {
    Started started;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        CodeStore codes(tx, random_, limits_);
        auto issued = codes.issue(request, now);
        if (!issued) {
            return std::unexpected(issued.error());
        }
        if (issued->throttled()) {
            started = Started{true, issued->retry_after};
            return {};
        }
        started = Started{};
        if (!send) {
            return {};
        }
        const std::string kind =
            request.purpose == CodePurpose::bind ? "phone_bind" : "phone_sign_in";
        auto queued = notify::enqueue(
            tx,
            notify::Message{notify::Channel::sms, request.phone, "", text(issued->code), "", kind},
            now);
        if (!queued) {
            return std::unexpected(queued.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return started;
}

store::Result<Started> PhoneFlows::start_bind(std::int64_t user_id, const std::string& e164,
                                              const std::string& ip, const SmsText& text,
                                              std::chrono::sys_seconds now) {
    PhoneStore phones(db_);
    auto holder = phones.by_number(e164);
    if (!holder) {
        return std::unexpected(holder.error());
    }
    // Another account's number (or this account's own): no SMS, and the same answer.
    const bool send = !*holder;
    return issue(CodeRequest{CodePurpose::bind, e164, user_id, ip}, send, text, now);
}

store::Result<Bound> PhoneFlows::confirm_bind(std::int64_t user_id, const std::string& e164,
                                              const std::string& code,
                                              std::chrono::sys_seconds now) {
    CodeStore codes(db_, random_, limits_);
    auto owner = codes.redeem(CodePurpose::bind, e164, user_id, code, now);
    if (!owner) {
        return std::unexpected(owner.error());
    }
    if (!*owner) {
        return Bound{BindOutcome::wrong_code, std::nullopt};
    }
    PhoneStore phones(db_);
    auto before = phones.of_user(user_id);
    if (!before) {
        return std::unexpected(before.error());
    }
    auto bound = phones.bind(user_id, e164, now);
    if (!bound) {
        if (bound.error().kind == store::Error::Kind::conflict) {
            return Bound{BindOutcome::taken, std::nullopt};
        }
        return std::unexpected(bound.error());
    }
    Bound result{BindOutcome::bound, std::nullopt};
    if (*before) {
        result.previous = (*before)->phone;
    }
    return result;
}

store::Result<UnbindOutcome> PhoneFlows::unbind(std::int64_t user_id) {
    UnbindOutcome outcome = UnbindOutcome::unbound;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        account::UserStore users(tx);
        auto user = users.find_by_id(user_id);
        auto emails = users.emails(user_id);
        if (!user || !emails) {
            return std::unexpected(!user ? user.error() : emails.error());
        }
        bool recoverable = user->has_password();
        for (const auto& email : *emails) {
            recoverable = recoverable || email.is_verified();
        }
        PhoneStore phones(tx);
        auto bound = phones.of_user(user_id);
        if (!bound) {
            return std::unexpected(bound.error());
        }
        if (!*bound) {
            outcome = UnbindOutcome::none;
            return {};
        }
        if (!recoverable) {
            outcome = UnbindOutcome::last_recovery;
            return {};
        }
        return phones.unbind(user_id);
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return outcome;
}

store::Result<Started> PhoneFlows::start_sign_in(const std::string& e164, const std::string& ip,
                                                 const SmsText& text,
                                                 std::chrono::sys_seconds now) {
    PhoneStore phones(db_);
    auto holder = phones.by_number(e164);
    if (!holder) {
        return std::unexpected(holder.error());
    }
    std::optional<std::int64_t> owner;
    if (*holder) {
        account::UserStore users(db_);
        auto user = users.find_by_id((*holder)->user_id);
        if (!user && user.error().kind != store::Error::Kind::not_found) {
            return std::unexpected(user.error());
        }
        if (user && user->is_active()) {
            owner = user->id;
        }
    }
    return issue(CodeRequest{CodePurpose::sign_in, e164, owner, ip}, owner.has_value(), text, now);
}

store::Result<std::optional<std::int64_t>> PhoneFlows::finish_sign_in(
    const std::string& e164, const std::string& code, std::chrono::sys_seconds now) {
    CodeStore codes(db_, random_, limits_);
    auto owner = codes.redeem(CodePurpose::sign_in, e164, std::nullopt, code, now);
    if (!owner || !*owner) {
        return owner;
    }
    // The number may have moved to another account since the code was sent.
    PhoneStore phones(db_);
    auto holder = phones.by_number(e164);
    if (!holder) {
        return std::unexpected(holder.error());
    }
    if (!*holder || (*holder)->user_id != **owner) {
        return std::optional<std::int64_t>{};
    }
    return owner;
}

}  // namespace idpd::phone
