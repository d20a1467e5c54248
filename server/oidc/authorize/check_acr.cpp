// - acr_values (OIDC Core §3.1.2.1) is a preference list and voluntary: values we do not
//   support are skipped, and a list of only those changes nothing (the ID token states the
//   level reached). A list whose only supported value is the MFA level requires it: that is
//   how an RP steps a user up (RFC 9470 §4), so it is not answered with a password session.
// - claims={"id_token":{"acr":{"essential":true,"values":[…]}}} (§5.5.1.1): an essential acr
//   must be met; one naming none of our levels is unmet_authentication_requirements at once.
#include <nlohmann/json.hpp>

#include "auth/acr.h"
#include "oidc/authorize/checks.h"
#include "oidc/scope.h"

namespace idpd::oidc {
namespace {

constexpr std::size_t max_claims_bytes = 4096;

bool is_supported(std::string_view value) {
    return value == auth::acr_password || value == auth::acr_mfa;
}

// The level a list of acceptable values asks for, in order of preference.
AcrRequest from_values(const std::vector<std::string>& values, bool binding) {
    AcrRequest out;
    bool password_ok = false;
    for (const auto& value : values) {
        if (value == auth::acr_password) {
            password_ok = true;
        } else if (value == auth::acr_mfa && !password_ok) {
            out.wants_mfa = true;
        }
    }
    out.requires_mfa = out.wants_mfa && !password_ok && binding;
    return out;
}

// The id_token.acr member of the claims parameter: the values it names and whether essential.
Result<std::optional<std::pair<std::vector<std::string>, bool>>> essential_acr(
    const std::string& text) {
    if (text.size() > max_claims_bytes) {
        return fail(ErrorCode::invalid_request, "claims is too long");
    }
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return fail(ErrorCode::invalid_request, "claims must be a JSON object");
    }
    if (!doc.contains("id_token") || !doc["id_token"].is_object() ||
        !doc["id_token"].contains("acr") || doc["id_token"]["acr"].is_null()) {
        return std::optional<std::pair<std::vector<std::string>, bool>>();
    }
    const auto& acr = doc["id_token"]["acr"];
    if (!acr.is_object()) {
        return fail(ErrorCode::invalid_request, "claims id_token.acr must be null or an object");
    }
    const bool essential = acr.contains("essential") && acr["essential"] == true;
    std::vector<std::string> values;
    if (acr.contains("value")) {
        if (!acr["value"].is_string()) {
            return fail(ErrorCode::invalid_request, "claims id_token.acr.value must be a string");
        }
        values.push_back(acr["value"].get<std::string>());
    }
    if (acr.contains("values")) {
        if (!acr["values"].is_array()) {
            return fail(ErrorCode::invalid_request, "claims id_token.acr.values must be an array");
        }
        for (const auto& v : acr["values"]) {
            if (!v.is_string()) {
                return fail(ErrorCode::invalid_request,
                            "claims id_token.acr.values must hold strings");
            }
            values.push_back(v.get<std::string>());
        }
    }
    return std::optional(std::pair{std::move(values), essential});
}

}  // namespace

Result<AcrRequest> check_acr(const AuthorizeRequest& request) {
    AcrRequest out;
    if (auto claims = request.get("claims")) {
        auto acr = essential_acr(*claims);
        if (!acr) {
            return std::unexpected(acr.error());
        }
        if (*acr && !(*acr)->first.empty()) {
            const auto& [values, essential] = **acr;
            const bool any = std::ranges::any_of(values, is_supported);
            if (essential && !any) {
                return fail(ErrorCode::unmet_authentication_requirements,
                            "none of the essential acr values is supported; supported: " +
                                std::string(auth::acr_password) + " " + std::string(auth::acr_mfa));
            }
            out = from_values(values, essential);
        }
    }
    if (auto acr_values = request.get("acr_values")) {
        const AcrRequest asked = from_values(split_scope(*acr_values), true);
        out.wants_mfa = out.wants_mfa || asked.wants_mfa;
        out.requires_mfa = out.requires_mfa || asked.requires_mfa;
    }
    return out;
}

}  // namespace idpd::oidc
