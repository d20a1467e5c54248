#include "web/two_step.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "web/form_view.h"
#include "web/mail.h"
#include "web/notices.h"

namespace idpd::web {
namespace {

std::string_view outcome_name(auth::CodeOutcome outcome) {
    switch (outcome) {
        case auth::CodeOutcome::accepted:
            return "accepted";
        case auth::CodeOutcome::wrong_code:
            return "wrong_code";
        case auth::CodeOutcome::replayed:
            return "replayed";
        case auth::CodeOutcome::throttled:
            return "throttled";
        case auth::CodeOutcome::not_enrolled:
            return "not_enrolled";
    }
    return "unknown";
}

}  // namespace

std::string without_spaces(const std::string& code) {
    std::string out;
    for (char c : code) {
        if (c != ' ') {
            out.push_back(c);
        }
    }
    return out;
}

bool is_totp_code(const std::string& code) {
    const std::string trimmed = without_spaces(code);
    return trimmed.size() == 6 &&
           std::ranges::all_of(trimmed, [](char c) { return c >= '0' && c <= '9'; });
}

store::Result<bool> TwoStep::is_enrolled(std::int64_t user_id) {
    auto status = totp_.status(user_id);
    if (!status) {
        return std::unexpected(status.error());
    }
    return status->state == auth::TotpState::active;
}

store::Result<auth::CodeCheck> TwoStep::check(const http::HttpRequest& req, const Visit& visit,
                                              std::int64_t user_id, const std::string& code) {
    const bool totp = is_totp_code(code);
    auto checked = totp ? totp_.verify(user_id, without_spaces(code), kit_.now())
                        : totp_.use_recovery_code(user_id, code, kit_.now());
    if (!checked) {
        return checked;
    }
    auto event = PageKit::audit_event(req, checked->outcome == auth::CodeOutcome::accepted
                                               ? audit::EventType::second_factor_success
                                               : audit::EventType::second_factor_failure);
    event.user_id = user_id;
    event.detail = {{"method", totp ? "otp" : "recovery_code"},
                    {"outcome", outcome_name(checked->outcome)}};
    kit_.record(event);
    if (!totp && checked->outcome == auth::CodeOutcome::accepted) {
        notify_recovery_code_used(req, visit, user_id);
    }
    return checked;
}

void TwoStep::notify_recovery_code_used(const http::HttpRequest& req, const Visit& visit,
                                        std::int64_t user_id) {
    auto event = PageKit::audit_event(req, audit::EventType::recovery_code_used);
    event.user_id = user_id;
    kit_.record(event);
    spdlog::info("user {} used a recovery code", user_id);
    account::UserStore users{kit_.db()};
    auto user = users.find_by_id(user_id);
    auto emails = users.emails(user_id);
    if (!user || !emails) {
        spdlog::error("recovery code notice for user {}: cannot read the account", user_id);
        return;
    }
    auto primary = std::ranges::find_if(*emails, [](const auto& e) { return e.is_primary; });
    // Without a primary address the notice goes only by SMS or WeChat; the audit log has it.
    const std::string address = primary == emails->end() ? "" : primary->email;
    auto status = totp_.status(user_id);
    const int left = status ? status->recovery_codes_left : 0;
    const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
    auto sent = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto queued = send_account_notice(
            tx, context, kit_.options().wechat_templates, notify::NoticeEvent::security,
            {user_id, user->username, address}, "recovery_code_used",
            {{"left", std::to_string(left)},
             {"link", kit_.options().issuer + "/account/security/totp"}},
            kit_.now());
        if (!queued) {
            return std::unexpected(queued.error());
        }
        return {};
    });
    if (!sent) {
        spdlog::error("cannot queue the recovery code notice of user {}: {}", user_id,
                      sent.error().message);
    }
}

std::string TwoStep::refusal(const Visit& visit, const auth::CodeCheck& check) const {
    switch (check.outcome) {
        case auth::CodeOutcome::replayed:
            return kit_.text(visit, "totp.errors.replayed");
        case auth::CodeOutcome::throttled: {
            const auto wait =
                check.retry_at ? *check.retry_at - kit_.now() : std::chrono::seconds{60};
            const auto minutes =
                std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::minutes>(wait).count());
            return kit_.text(visit, "totp.errors.throttled",
                             {{"minutes", std::to_string(minutes)}});
        }
        case auth::CodeOutcome::not_enrolled:
            return kit_.text(visit, "totp.errors.not_enrolled");
        case auth::CodeOutcome::accepted:
        case auth::CodeOutcome::wrong_code:
            break;
    }
    return kit_.text(visit, "totp.errors.wrong_code");
}

bool TwoStep::second_factor_within(const Visit& visit, std::chrono::seconds window) const {
    if (!visit.session || !visit.session->mfa_at) {
        return false;
    }
    const auto now = kit_.now();
    return now >= *visit.session->mfa_at && now - *visit.session->mfa_at < window;
}

}  // namespace idpd::web
