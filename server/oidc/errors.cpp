#include "oidc/errors.h"

#include <array>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace idpd::oidc {
namespace {

struct ErrorSpec {
    ErrorCode code;
    std::string_view wire;
    int status;
    bool may_redirect;
};

// RFC 6749 §5.2: 400 unless stated; invalid_client is 401 when the client authenticated
// through the Authorization header (we always answer 401 with a Basic challenge, as
// node-oidc-provider does). RFC 6750 §3.1: invalid_token is 401. server_error and
// temporarily_unavailable are 500 and 503 on the back channel.
constexpr std::array<ErrorSpec, 20> error_table{{
    {ErrorCode::invalid_request, "invalid_request", 400, true},
    {ErrorCode::invalid_client, "invalid_client", 401, false},
    {ErrorCode::invalid_grant, "invalid_grant", 400, true},
    {ErrorCode::unauthorized_client, "unauthorized_client", 400, true},
    {ErrorCode::unsupported_grant_type, "unsupported_grant_type", 400, true},
    {ErrorCode::invalid_scope, "invalid_scope", 400, true},
    {ErrorCode::access_denied, "access_denied", 400, true},
    {ErrorCode::unsupported_response_type, "unsupported_response_type", 400, true},
    {ErrorCode::unsupported_token_type, "unsupported_token_type", 400, true},
    {ErrorCode::invalid_token, "invalid_token", 401, false},
    {ErrorCode::login_required, "login_required", 400, true},
    {ErrorCode::consent_required, "consent_required", 400, true},
    {ErrorCode::interaction_required, "interaction_required", 400, true},
    {ErrorCode::server_error, "server_error", 500, true},
    {ErrorCode::temporarily_unavailable, "temporarily_unavailable", 503, true},
    // The redirect_uri is inside the request the request_uri names, so it is not known.
    {ErrorCode::invalid_request_uri, "invalid_request_uri", 400, false},
    {ErrorCode::invalid_redirect_uri, "invalid_redirect_uri", 400, false},
    {ErrorCode::invalid_client_metadata, "invalid_client_metadata", 400, false},
    {ErrorCode::invalid_dpop_proof, "invalid_dpop_proof", 400, false},
    {ErrorCode::unmet_authentication_requirements, "unmet_authentication_requirements", 400, true},
}};

const ErrorSpec& spec(ErrorCode code) {
    for (const auto& entry : error_table) {
        if (entry.code == code) {
            return entry;
        }
    }
    return error_table[13];  // server_error: unreachable while the table is complete
}

}  // namespace

std::string_view wire_name(ErrorCode code) {
    return spec(code).wire;
}

int http_status(ErrorCode code) {
    return spec(code).status;
}

bool may_redirect(ErrorCode code) {
    return spec(code).may_redirect;
}

std::string sanitize_description(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            // One '?' per UTF-8 sequence: skip its continuation bytes.
            while (i + 1 < text.size() &&
                   (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
                ++i;
            }
            out += '?';
        } else if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
            out += '?';
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

http::HttpResponse error_response(const http::HttpRequest& req, const Error& error) {
    const int status = http_status(error.code);
    std::string description = sanitize_description(error.description);
    if (status >= 500) {
        spdlog::error("request {}: {}: {} ({})", req.request_id, wire_name(error.code),
                      error.description, error.detail);
        description = "the server could not complete the request; request id " +
                      sanitize_description(req.request_id);
    } else if (!error.detail.empty()) {
        spdlog::info("request {}: {}: {} ({})", req.request_id, wire_name(error.code),
                     error.description, error.detail);
    }
    nlohmann::json body{{"error", wire_name(error.code)}};
    if (!description.empty()) {
        body["error_description"] = description;
    }
    auto response = http::HttpResponse::json(status, body.dump());
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    if (error.code == ErrorCode::invalid_client) {
        response.headers.set("WWW-Authenticate", "Basic realm=\"idpd\", charset=\"UTF-8\"");
    } else if (error.code == ErrorCode::invalid_token) {
        response.headers.set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    return response;
}

}  // namespace idpd::oidc
