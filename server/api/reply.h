#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "http/request.h"

namespace idpd::api {

// The account API's answers: JSON, never cached (they describe one caller's account).
http::HttpResponse json(int status, const nlohmann::json& body);

// A refusal: {"error": code, "error_description": message}. Codes are stable identifiers a
// program may branch on (invalid_request, invalid_token, insufficient_scope, not_found,
// forbidden, conflict, insufficient_balance…); the description is English for developers.
http::HttpResponse error(int status, std::string_view code, std::string_view message);

// The JSON object in the request body, or nullopt when the body is not one (the caller then
// answers 400 invalid_request). Refuses duplicate members like every other JSON we read.
std::optional<nlohmann::json> read_object(const http::HttpRequest& req);

}  // namespace idpd::api
