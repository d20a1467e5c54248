#include "app/account_deletion.h"

#include <spdlog/spdlog.h>

#include "account/deletion_store.h"
#include "account/user_store.h"
#include "audit/audit_log.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "oidc/access_token_store.h"
#include "oidc/refresh_token_store.h"
#include "oidc/token/refresh_token_issuer.h"
#include "org/org_store.h"
#include "web/deletion_mail.h"

namespace idpd::app {
namespace {

constexpr std::size_t batch = 100;

// The account's notice address and name, read before anything is deleted.
store::Result<std::optional<web::MailTo>> notice_to(store::Database& tx, std::int64_t user_id) {
    account::UserStore users(tx);
    auto user = users.find_by_id(user_id);
    if (!user) {
        return std::unexpected(user.error());
    }
    auto emails = users.emails(user_id);
    if (!emails) {
        return std::unexpected(emails.error());
    }
    auto address = web::notice_address(*emails);
    if (!address) {
        return std::nullopt;
    }
    return web::MailTo{user_id, user->username, *address};
}

store::Result<bool> owns_an_org(store::Database& tx, std::int64_t user_id) {
    auto memberships = org::membership_lookup(tx)(user_id);
    if (!memberships) {
        return std::unexpected(memberships.error());
    }
    for (const auto& m : *memberships) {
        if (m.role == org::Role::owner) {
            return true;
        }
    }
    return false;
}

audit::Event sweep_event(audit::EventType type, std::int64_t user_id) {
    audit::Event event;
    event.type = type;
    event.user_id = user_id;
    event.ip = "";
    event.user_agent = "janitor";
    return event;
}

}  // namespace

std::uint64_t AccountDeletion::sweep(std::chrono::sys_seconds now) {
    auto due = account::DeletionStore(db_).due(now, batch);
    if (!due) {
        spdlog::warn("account deletion: cannot list due accounts, will retry: {}",
                     due.error().message);
        return 0;
    }
    std::uint64_t deleted = 0;
    for (auto user_id : *due) {
        std::vector<std::int64_t> ended;
        auto outcome = delete_one(user_id, now, ended);
        if (!outcome) {
            spdlog::warn("account deletion of user {} failed, will retry: {}", user_id,
                         outcome.error().message);
            continue;
        }
        if (*outcome == Outcome::deleted) {
            ++deleted;
            spdlog::info("account deletion: user {} deleted, {} sessions ended", user_id,
                         ended.size());
        } else if (*outcome == Outcome::refused) {
            spdlog::info("account deletion: user {} owns an organization, cancelled", user_id);
        }
        for (auto session_id : ended) {
            if (session_ended_) {
                session_ended_(user_id, session_id);
            }
        }
    }
    return deleted;
}

store::Result<AccountDeletion::Outcome> AccountDeletion::refuse(store::Database& tx,
                                                                std::int64_t user_id,
                                                                std::chrono::sys_seconds now) {
    auto to = notice_to(tx, user_id);
    if (!to) {
        return std::unexpected(to.error());
    }
    auto cancelled = account::DeletionStore(tx).cancel(user_id, now);
    if (!cancelled || !*cancelled) {
        return cancelled ? store::Result<Outcome>(Outcome::skipped)
                         : std::unexpected(cancelled.error());
    }
    auto event = sweep_event(audit::EventType::account_deletion_cancelled, user_id);
    event.detail = {{"by", "sweep"}, {"reason", "org_owner"}};
    if (auto logged = audit::record(tx, event, now); !logged) {
        return std::unexpected(logged.error());
    }
    if (*to) {
        const web::MailContext context{renderer_, web::Locale::zh_cn, issuer_};
        if (auto mailed =
                web::enqueue_deletion_mail(tx, context, web::DeletionMail::refused, **to, "", now);
            !mailed) {
            return std::unexpected(mailed.error());
        }
    }
    return Outcome::refused;
}

store::Result<AccountDeletion::Outcome> AccountDeletion::delete_one(
    std::int64_t user_id, std::chrono::sys_seconds now, std::vector<std::int64_t>& ended) {
    Outcome outcome = Outcome::skipped;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        ended.clear();
        outcome = Outcome::skipped;
        // An ownership received during the grace period: the organization needs an owner.
        auto owner = owns_an_org(tx, user_id);
        if (!owner) {
            return std::unexpected(owner.error());
        }
        if (*owner) {
            auto refused = refuse(tx, user_id, now);
            if (!refused) {
                return std::unexpected(refused.error());
            }
            outcome = *refused;
            return {};
        }
        auto to = notice_to(tx, user_id);
        if (!to) {
            return std::unexpected(to.error());
        }
        account::DeletionStore deletions(tx);
        // The claim: only the process whose UPDATE changed the row goes on.
        auto claimed = deletions.anonymise(user_id, now);
        if (!claimed || !*claimed) {
            return claimed ? store::Result<void>{} : std::unexpected(claimed.error());
        }
        auth::SessionStore sessions(tx, auth::system_random());
        auto live = sessions.list_live(user_id, now);
        if (!live) {
            return std::unexpected(live.error());
        }
        for (const auto& session : *live) {
            ended.push_back(session.id);
        }
        if (auto revoked = sessions.revoke_all(user_id, 0, now); !revoked) {
            return std::unexpected(revoked.error());
        }
        oidc::RefreshTokenStore refresh_tokens(tx);
        oidc::AccessTokenStore access_tokens(tx);
        if (auto grants = oidc::revoke_user_grants(refresh_tokens, access_tokens, user_id, "");
            !grants) {
            return store::fail(store::Error::Kind::unavailable, grants.error().detail);
        }
        if (*to) {
            const web::MailContext context{renderer_, web::Locale::zh_cn, issuer_};
            if (auto mailed = web::enqueue_deletion_mail(tx, context, web::DeletionMail::deleted,
                                                         **to, "", now);
                !mailed) {
                return mailed;
            }
        }
        auto rows = deletions.delete_personal_rows(user_id);
        if (!rows) {
            return std::unexpected(rows.error());
        }
        auto event = sweep_event(audit::EventType::account_deleted, user_id);
        event.detail = {{"rows_deleted", *rows}, {"sessions_ended", ended.size()}};
        if (auto logged = audit::record(tx, event, now); !logged) {
            return logged;
        }
        outcome = Outcome::deleted;
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return outcome;
}

}  // namespace idpd::app
