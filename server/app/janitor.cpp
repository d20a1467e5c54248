#include "app/janitor.h"

#include <spdlog/spdlog.h>

#include "auth/captcha_store.h"
#include "auth/pending_login_store.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "auth/step_up_code_store.h"
#include "auth/trusted_browser_store.h"
#include "billing/order_store.h"
#include "billing/subscriptions.h"
#include "federation/login_state_store.h"
#include "federation/pending_identity_store.h"
#include "oidc/access_token_store.h"
#include "oidc/authorization_code_store.h"
#include "oidc/client_assertion_jti_store.h"
#include "oidc/dpop.h"
#include "oidc/pushed_request_store.h"
#include "oidc/refresh_token_store.h"
#include "oidc/session_client_store.h"
#include "phone/code_store.h"

namespace idpd::app {
namespace {

store::Result<std::uint64_t> billing_expired_orders(store::Database& db,
                                                    std::chrono::sys_seconds now) {
    auto expired = billing::OrderStore(db).expire_due(now);
    if (!expired) {
        return store::fail(store::Error::Kind::unavailable, expired.error().message);
    }
    return *expired;
}

// Counts what a delete removed; a failure is logged and counts as nothing.
std::uint64_t removed(const store::Result<std::uint64_t>& result, std::string_view what) {
    if (!result) {
        spdlog::warn("cleanup of {} failed, will retry: {}", what, result.error().message);
        return 0;
    }
    return *result;
}

}  // namespace

SweepReport Janitor::sweep() {
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    const std::int64_t now_s = now.time_since_epoch().count();
    SweepReport report;
    auth::SessionStore sessions(db_, auth::system_random());
    report.sessions = removed(sessions.delete_ended(now - std::chrono::days(1)), "sessions");
    report.access_tokens =
        removed(oidc::AccessTokenStore(db_).delete_expired(now_s), "access tokens");
    report.authorization_codes =
        removed(oidc::AuthorizationCodeStore(db_).delete_expired(now_s), "authorization codes");
    report.captchas = removed(
        auth::CaptchaStore(db_, auth::system_random(), auth::system_random(), {}).sweep(now),
        "captchas");
    report.login_failures =
        removed(auth::LoginThrottle(db_, throttle_).sweep(clock_()), "login failures");
    report.pushed_requests =
        removed(oidc::PushedRequestStore(db_).delete_expired(now_s), "pushed requests");
    report.session_clients = removed(
        oidc::SessionClientStore(db_).delete_created_before(now_s - session_lifetime_.count()),
        "session clients");
    report.client_assertion_jtis =
        removed(oidc::ClientAssertionJtiStore(db_).delete_expired(now_s), "client assertion jtis");
    report.refresh_tokens =
        removed(oidc::RefreshTokenStore(db_).delete_expired(now_s), "refresh tokens");
    report.dpop_proofs = removed(oidc::DpopReplayCache(db_).delete_expired(now_s), "DPoP proofs");
    report.billing_orders_expired =
        removed(billing_expired_orders(db_, now), "expired billing orders (marking)");
    if (billing_plans_) {
        const auto renewals = billing::renew_due(db_, *billing_plans_, now);
        report.billing_renewals = renewals.renewed + renewals.fell_to_free;
        if (report.billing_renewals + renewals.failed > 0) {
            spdlog::info("billing: {} periods renewed, {} fell to Free, {} failed",
                         renewals.renewed, renewals.fell_to_free, renewals.failed);
        }
    }
    // The TTL passed to the stores is unused by delete_expired; rows carry their own expiry.
    report.federation_logins =
        removed(federation::LoginStateStore(db_, auth::system_random(), {}).delete_expired(now),
                "upstream login states") +
        removed(
            federation::PendingIdentityStore(db_, auth::system_random(), {}).delete_expired(now),
            "pending upstream identities");
    report.second_step_rows =
        removed(auth::PendingLoginStore(db_, auth::system_random()).delete_expired(now),
                "pending logins") +
        removed(auth::TrustedBrowserStore(db_, auth::system_random()).delete_expired(now),
                "trusted browsers") +
        removed(auth::StepUpCodeStore(db_, auth::system_random()).delete_expired(now),
                "step-up codes");
    if (delete_accounts_) {
        report.accounts_deleted = delete_accounts_(now);
    }
    // Expired SMS codes, kept an hour past expiry for the hourly throttles.
    removed(phone::CodeStore(db_, auth::system_random()).delete_expired(now), "phone codes");
    if (report.sessions + report.access_tokens + report.authorization_codes +
            report.pushed_requests + report.session_clients + report.client_assertion_jtis +
            report.refresh_tokens + report.dpop_proofs >
        0) {
        spdlog::info(
            "cleanup removed {} sessions, {} access tokens, {} authorization codes, {} pushed "
            "requests, {} session clients, {} client assertion jtis, {} refresh tokens, {} DPoP "
            "proofs",
            report.sessions, report.access_tokens, report.authorization_codes,
            report.pushed_requests, report.session_clients, report.client_assertion_jtis,
            report.refresh_tokens, report.dpop_proofs);
    }
    return report;
}

void Janitor::start() {
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
            lock.unlock();
            sweep();
            lock.lock();
        }
    });
}

void Janitor::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

}  // namespace idpd::app
