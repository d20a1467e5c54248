#include "oidc/token/token_response.h"

#include <nlohmann/json.hpp>

namespace idpd::oidc {

http::HttpResponse to_http(const TokenResponse& response) {
    nlohmann::json body{{"access_token", response.access_token},
                        {"token_type", response.token_type},
                        {"expires_in", response.expires_in.count()},
                        {"scope", response.scope}};
    if (response.refresh_token) {
        body["refresh_token"] = *response.refresh_token;
    }
    if (response.id_token) {
        body["id_token"] = *response.id_token;
    }
    auto http_response = http::HttpResponse::json(200, body.dump());
    http_response.headers.set("Cache-Control", "no-store");
    http_response.headers.set("Pragma", "no-cache");
    return http_response;
}

}  // namespace idpd::oidc
