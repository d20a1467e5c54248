#include "oidc/step_up_challenge.h"

#include <nlohmann/json.hpp>

namespace idpd::oidc {
namespace {

// RFC 6750 §3: quoted-string values limited to %x20-21 / %x23-5B / %x5D-7E.
std::string quoted_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
            out.push_back(c);
        }
    }
    out.push_back('"');
    return out;
}

}  // namespace

std::string insufficient_user_authentication_challenge(const StepUpRequirement& needed,
                                                       std::string_view description) {
    std::string value = "Bearer error=\"insufficient_user_authentication\"";
    if (!description.empty()) {
        value += ", error_description=" + quoted_string(description);
    }
    if (needed.acr_values) {
        value += ", acr_values=" + quoted_string(*needed.acr_values);
    }
    if (needed.max_age) {
        value += ", max_age=" + quoted_string(std::to_string(*needed.max_age));
    }
    return value;
}

http::HttpResponse insufficient_user_authentication(const StepUpRequirement& needed,
                                                    std::string_view description) {
    nlohmann::json body{{"error", "insufficient_user_authentication"}};
    if (!description.empty()) {
        body["error_description"] = std::string(description);
    }
    auto response = http::HttpResponse::json(401, body.dump());
    response.headers.set("WWW-Authenticate",
                         insufficient_user_authentication_challenge(needed, description));
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace idpd::oidc
