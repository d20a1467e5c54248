#pragma once

#include <functional>
#include <optional>
#include <string>

#include "http/request.h"
#include "oidc/client.h"
#include "oidc/errors.h"
#include "oidc/form.h"
#include "oidc/token/token_response.h"

namespace idpd::oidc {

// A token request after the endpoint's common checks: parameters parsed, client authenticated,
// grant_type known and allowed for the client.
struct TokenRequest {
    const http::HttpRequest& http;
    const FormParams& form;
    const Client& client;
    // The RFC 7638 thumbprint of the key of a valid DPoP proof (RFC 9449 §5), if one came:
    // the access token is bound to it.
    std::optional<std::string> dpop_jkt;
};

// One grant type (token/<grant>_grant.cpp): the request in, the response or an OAuth error out.
using GrantHandler = std::function<Result<TokenResponse>(const TokenRequest& request)>;

}  // namespace idpd::oidc
