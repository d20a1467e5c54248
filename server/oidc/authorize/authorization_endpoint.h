#pragma once

#include "auth/consent_store.h"
#include "http/request.h"
#include "oidc/authorization_code_store.h"
#include "oidc/authorize/browser_session.h"
#include "oidc/client_store.h"
#include "oidc/options.h"
#include "oidc/random.h"

namespace idpd::oidc {

// GET and POST /authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2): runs the checks of
// authorize/checks.h in order, sends a browser without a fitting session to /signin (with a
// return_to back here) and, for a consent not yet given, to /consent (idem), and answers a
// signed-in one with a single-use code. Every response to the client carries state and iss (RFC
// 9207).
class AuthorizationEndpoint {
public:
    AuthorizationEndpoint(const Options& options, ClientStore& clients,
                          AuthorizationCodeStore& codes, auth::ConsentStore& consents,
                          SessionLookup sessions, Clock clock, RandomBytes random)
        : options_(options),
          clients_(clients),
          codes_(codes),
          consents_(consents),
          sessions_(std::move(sessions)),
          clock_(std::move(clock)),
          random_(std::move(random)) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

private:
    const Options& options_;
    ClientStore& clients_;
    AuthorizationCodeStore& codes_;
    auth::ConsentStore& consents_;
    SessionLookup sessions_;
    Clock clock_;
    RandomBytes random_;
};

}  // namespace idpd::oidc
