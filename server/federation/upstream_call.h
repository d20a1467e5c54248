// What every connector does with an upstream's HTTP answer: transport failures, 5xx and
// unreadable bodies become federation::Error values, never exceptions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "federation/connector.h"
#include "outbound/http_client.h"

namespace idpd::federation {

using Fields = std::vector<std::pair<std::string, std::string>>;

// `base` + "?" + the fields, percent-encoded (for authorization URLs).
std::string with_query(std::string_view base, const Fields& fields);

// The body of an answer as a JSON object. A transport failure or 5xx is unavailable, another
// non-2xx rejected (its body in the detail), a body that is not a JSON object malformed.
Result<nlohmann::json> json_object(const outbound::Result<outbound::Response>& answer,
                                   std::string_view what);

// A member as text: strings as they are, integers in decimal (GitHub's and Bitbucket's ids are
// numbers), anything else or missing empty.
std::string member_text(const nlohmann::json& object, std::string_view key);

// The JSON object inside QQ's JSONP-style body `callback( {...} );`, or the body itself when it
// is plain JSON. Discarded JSON when it is neither.
nlohmann::json jsonp_object(std::string_view body);

// RFC 7617 Basic credentials for a client (RFC 6749 §2.3.1): "Basic base64(id:secret)".
std::string basic_credentials(std::string_view client_id, std::string_view client_secret);

// Adds the addresses of an upstream's email list (GitHub's /user/emails, Bitbucket's
// /2.0/user/emails values) to `identity`: each entry an object with "email", a boolean
// `verified_key` and a boolean `primary_key`; the primary one first. Other entries are skipped.
void add_emails(UpstreamIdentity& identity, const nlohmann::json& list,
                std::string_view verified_key, std::string_view primary_key);

// The standard RFC 6749 §5.1 token response's access_token; §5.2 errors are rejected.
Result<std::string> access_token_of(const nlohmann::json& token_response, std::string_view what);

}  // namespace idpd::federation
