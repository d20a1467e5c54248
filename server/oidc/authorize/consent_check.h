#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/consent_store.h"
#include "oidc/authorize/checks.h"
#include "oidc/client.h"

namespace idpd::oidc {

enum class ConsentCheck { proceed, ask, consent_required, denied };

// What the consent page reported on the /authorize URL it sent the browser back to (our own
// parameters; a client that adds them only makes its own request fail or ask again).
struct ConsentAnswer {
    std::optional<std::int64_t> asked_at;  // idpd_consent_after: when /authorize asked
    bool denied = false;                   // idpd_consent=denied
};

// check_consent.cpp (OIDC Core §3.1.2.4): first-party clients never ask; otherwise the
// remembered consent must cover every scope requested, and prompt=consent asks again unless the
// consent was given after this request asked for it. prompt=none turns "ask" into
// consent_required (§3.1.2.6). A denial on the consent page is access_denied.
ConsentCheck check_consent(const Client& client, const std::vector<std::string>& scopes,
                           const Prompt& prompt, const std::optional<auth::Consent>& granted,
                           const ConsentAnswer& answer);

}  // namespace idpd::oidc
