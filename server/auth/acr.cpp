#include "auth/acr.h"

#include <sstream>
#include <vector>

namespace idpd::auth {
namespace {

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::istringstream in{std::string(text)};
    for (std::string word; in >> word;) {
        out.push_back(word);
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : " ") + item;
    }
    return out;
}

bool is_second_factor_method(std::string_view method) {
    return method == "otp" || method == "mfa";
}

}  // namespace

bool mfa_is_current(std::optional<std::chrono::sys_seconds> mfa_at, std::chrono::sys_seconds now,
                    std::chrono::seconds lifetime) {
    return mfa_at && now >= *mfa_at && now - *mfa_at < lifetime;
}

std::string_view session_acr(std::optional<std::chrono::sys_seconds> mfa_at,
                             std::chrono::sys_seconds now, std::chrono::seconds lifetime) {
    return mfa_is_current(mfa_at, now, lifetime) ? acr_mfa : acr_password;
}

std::string current_amr(std::string_view amr, std::optional<std::chrono::sys_seconds> mfa_at,
                        std::chrono::sys_seconds now, std::chrono::seconds lifetime) {
    if (mfa_is_current(mfa_at, now, lifetime)) {
        return std::string(amr);
    }
    std::vector<std::string> kept;
    for (auto& method : words(amr)) {
        if (!is_second_factor_method(method)) {
            kept.push_back(std::move(method));
        }
    }
    return join(kept);
}

std::string with_second_factor(std::string_view first_factor, bool totp_code) {
    std::vector<std::string> methods;
    for (auto& method : words(first_factor)) {
        if (!is_second_factor_method(method)) {
            methods.push_back(std::move(method));
        }
    }
    if (totp_code) {
        methods.emplace_back("otp");
    }
    methods.emplace_back("mfa");
    return join(methods);
}

}  // namespace idpd::auth
