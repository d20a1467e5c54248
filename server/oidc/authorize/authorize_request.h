#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"
#include "oidc/errors.h"

namespace idpd::oidc {

// The parameters of one /authorize request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), from the query
// of a GET or the form body of a POST. An empty value counts as absent (RFC 6749 §3.1).
struct AuthorizeRequest {
    std::map<std::string, std::string, std::less<>> params;
    // The first parameter that appeared more than once, if any (RFC 6749 §3.1: "MUST NOT be
    // included more than once"); checked after client_id and redirect_uri, so the error can be
    // sent back to a trusted redirect_uri.
    std::optional<std::string> repeated;

    std::optional<std::string> get(std::string_view name) const;
};

// Reads the request. Errors: invalid_request when a POST body is not form-urlencoded.
Result<AuthorizeRequest> read_authorize_request(const http::HttpRequest& req);

// The request as a query string again ("a=1&b=2", percent-encoded), without `drop` and with
// `add` appended: the /authorize URL the browser comes back to after signing in.
std::string to_query(const AuthorizeRequest& request, const std::vector<std::string>& drop,
                     const std::vector<std::pair<std::string, std::string>>& add);

}  // namespace idpd::oidc
