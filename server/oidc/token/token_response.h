#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "http/request.h"

namespace idpd::oidc {

// A successful token response (RFC 6749 §5.1).
struct TokenResponse {
    std::string access_token;
    std::string token_type = "Bearer";
    std::chrono::seconds expires_in{0};
    std::string scope;  // always sent, so the client knows what it got (RFC 6749 §5.1)
    std::optional<std::string> refresh_token;
    std::optional<std::string> id_token;
};

// The JSON body with Cache-Control: no-store and Pragma: no-cache (RFC 6749 §5.1).
http::HttpResponse to_http(const TokenResponse& response);

}  // namespace idpd::oidc
