#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "oidc/client_auth.h"
#include "oidc/options.h"
#include "oidc/pushed_request_store.h"
#include "oidc/random.h"

namespace idpd::oidc {

// RFC 9126 §2.2: the request_uri we hand out is this prefix and a reference of 256 random bits.
inline constexpr std::string_view par_urn_prefix = "urn:ietf:params:oauth:request_uri:";

// The reference (the random part) of a request_uri we could have issued, or nullopt.
std::optional<std::string> request_uri_reference(std::string_view request_uri);

// POST /par, Pushed Authorization Requests (RFC 9126 §2):
// - the client authenticates as at /token (§2: "the same as for the token endpoint");
// - the request is validated like /authorize's (authorize/check_request), redirect_uri
//   included, and may not itself carry request_uri (§2.1);
// - it is stored for oidc.par_ttl and answered 201 {"request_uri", "expires_in"}.
// Errors are JSON (§2.3): invalid_client (401), invalid_request and /authorize's codes (400).
class ParEndpoint {
public:
    ParEndpoint(const Options& options, ClientAuthenticator& authenticator,
                PushedRequestStore& pushed, Clock clock, RandomBytes random)
        : options_(options),
          authenticator_(authenticator),
          pushed_(pushed),
          clock_(std::move(clock)),
          random_(std::move(random)) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

private:
    Result<std::string> push(const http::HttpRequest& req) const;  // the request_uri

    const Options& options_;
    ClientAuthenticator& authenticator_;
    PushedRequestStore& pushed_;
    Clock clock_;
    RandomBytes random_;
};

}  // namespace idpd::oidc
