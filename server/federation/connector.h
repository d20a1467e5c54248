// federation: signing in through someone else's accounts (GitHub, Bitbucket, WeChat, QQ, any
// OpenID Connect or OAuth2 upstream). One Connector per upstream, the browser-bound login
// state, and the bindings of upstream identities to local accounts. Knows no HTTP page.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace idpd::federation {

// Why an upstream sign-in failed; the pages turn each kind into a clear message.
struct Error {
    enum class Kind {
        denied,       // the user said no upstream (error=access_denied and friends)
        rejected,     // the upstream refused our request: expired or reused code, bad secret
        unavailable,  // no answer, a 5xx, a timeout, a body too large
        malformed,    // an answer we cannot read, or an ID token that fails its checks
    };
    Kind kind = Kind::rejected;
    std::string detail;  // for logs only: never shown to a browser
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error::Kind kind, std::string detail) {
    return std::unexpected(Error{kind, std::move(detail)});
}

struct UpstreamEmail {
    std::string address;
    bool verified = false;  // as the upstream reports it
};

// Who the user is upstream. `subject` is the stable id: GitHub's numeric id, WeChat's unionid
// (its openid when the app has no unionid), an OIDC `sub`. Ids the same person may have been
// bound under before (WeChat's openid, once a unionid appears) go in previous_subjects.
struct UpstreamIdentity {
    std::string provider;  // "github", "wechat", …: part of the identity (GitHub 1 ≠ Bitbucket 1)
    std::string subject;
    std::vector<std::string> previous_subjects;
    std::string username;
    std::string display_name;
    std::vector<UpstreamEmail> emails;  // the primary first when the upstream says which
    std::string avatar_url;
};

// What the login URL carries. state, code_challenge and nonce come back (or are checked)
// untouched; a connector leaves out what its upstream does not support.
struct LoginRequest {
    std::string redirect_uri;    // our /federation/<name>/callback
    std::string state;           // login CSRF: bound to the browser, single use
    std::string code_challenge;  // RFC 7636 S256
    std::string nonce;           // OIDC Core §3.1.2.1
};

// The callback's query and what we kept to check it.
struct CallbackQuery {
    std::string code;
    std::string error;              // RFC 6749 §4.1.2.1 error, when the upstream sent one
    std::string error_description;  // upstream text: logged, never shown
    std::string redirect_uri;       // the same as in the LoginRequest
    std::string code_verifier;      // RFC 7636 §4.5
    std::string nonce;
};

class Connector {
public:
    virtual ~Connector() = default;

    // The route and config name: "github", "wechat", "oidc".
    virtual std::string_view name() const = 0;

    // What the button says: "GitHub", "微信"… (the configured display name for generic ones).
    virtual std::string label() const = 0;

    // Where to send the browser to sign in upstream. Errors: unavailable when the URL needs an
    // upstream document that cannot be read now (generic OIDC discovery).
    virtual Result<std::string> login_url(const LoginRequest& request) const = 0;

    // Trades the callback for who the user is upstream: the code for a token, the token for
    // the profile. Errors: denied when the query carries the user's refusal, rejected,
    // unavailable, malformed. The upstream access token is dropped when this returns.
    virtual Result<UpstreamIdentity> finish_login(const CallbackQuery& query) const = 0;
};

// The error of a callback that carries `error` (RFC 6749 §4.1.2.1): access_denied is the
// user's choice, anything else is the upstream refusing.
Error callback_error(std::string_view provider, const CallbackQuery& query);

}  // namespace idpd::federation
