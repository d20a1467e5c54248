#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "oidc/errors.h"

namespace idpd::oidc {

// The parameters of a back-channel POST (token, introspection, revocation), checked once:
// - the body is application/x-www-form-urlencoded (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1);
// - no parameter appears twice (RFC 6749 §3.1: "MUST NOT be included more than once");
// - a parameter without a value counts as absent (RFC 6749 §3.1).
class FormParams {
public:
    // Errors: invalid_request.
    static Result<FormParams> parse(const http::HttpRequest& req);

    std::optional<std::string> get(std::string_view name) const;

    bool has(std::string_view name) const { return params_.contains(name); }

private:
    std::map<std::string, std::string, std::less<>> params_;
};

}  // namespace idpd::oidc
