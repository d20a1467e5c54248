// Two-step verification as the pages share it: the TOTP store, the [totp] options, checking a
// code typed into any form (TOTP or recovery code) with its audit event and its e-mail, and the
// session's level. Used by second_step_pages (sign-in), totp_pages (enrollment), verify_pages
// and step_up_guard (sensitive operations and relying parties' step-up).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "auth/totp_store.h"
#include "jose/key_encryption.h"
#include "web/page_kit.h"

namespace idpd::web {

// Config: [totp] (app/web_settings.cpp maps it).
struct TwoStepOptions {
    // The issuer shown in authenticator apps (the otpauth:// label and issuer parameter).
    std::string issuer_name = "idpd";
    // "Trust this browser" at the second step, in days; 0: not offered.
    int trust_browser_days = 0;
    // How long a session's MFA level (acr) holds after its second factor.
    std::chrono::seconds mfa_lifetime{std::chrono::hours(1)};
    // StepUpGuard: a sensitive operation needs a second factor (or, without two-step
    // verification, the password) at most this long ago.
    std::chrono::seconds step_up_window{std::chrono::minutes(5)};
    // How long a passed first factor waits for the second step.
    std::chrono::seconds pending_login_ttl{std::chrono::minutes(5)};
    auth::TotpOptions totp;  // lockout figures
};

class TwoStep {
public:
    TwoStep(PageKit& kit, const jose::MasterKey& master, TwoStepOptions options)
        : kit_(kit),
          options_(std::move(options)),
          totp_(kit.db(), master, kit.random(), options_.totp) {}

    const TwoStepOptions& options() const { return options_; }

    auth::TotpStore& totp() { return totp_; }

    // Whether `user_id` has an active TOTP secret. Errors: the database's.
    store::Result<bool> is_enrolled(std::int64_t user_id);

    // Checks `code` for `user_id`: six digits are a TOTP code, anything else a recovery code.
    // A spent recovery code is written to the audit log and mailed to the primary address
    // (a notice that someone used one). Errors: the database's.
    store::Result<auth::CodeCheck> check(const http::HttpRequest& req, const Visit& visit,
                                         std::int64_t user_id, const std::string& code);

    // The message for an outcome other than accepted, in the visit's language.
    std::string refusal(const Visit& visit, const auth::CodeCheck& check) const;

    // Whether the visit's session passed a second factor within `window`.
    bool second_factor_within(const Visit& visit, std::chrono::seconds window) const;

private:
    void notify_recovery_code_used(const http::HttpRequest& req, const Visit& visit,
                                   std::int64_t user_id);

    PageKit& kit_;
    TwoStepOptions options_;
    auth::TotpStore totp_;
};

// Whether the form's code looks like a TOTP code (six digits, spaces allowed).
bool is_totp_code(const std::string& code);

// The code without spaces (people copy "123 456").
std::string without_spaces(const std::string& code);

}  // namespace idpd::web
