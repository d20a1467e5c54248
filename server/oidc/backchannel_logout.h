#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jose/key_store.h"
#include "oidc/client.h"
#include "oidc/client_store.h"
#include "oidc/errors.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/session_client_store.h"
#include "outbound/http_client.h"

namespace idpd::oidc {

// OIDC Back-Channel Logout 1.0 §2.4: the logout token for `client` about the end of session
// `entry.sid`: typ logout+jwt, iss, aud, iat, a short exp, jti, sub, sid, the back-channel
// logout event, and never a nonce (§2.4: so it cannot pass as an ID token). Signed with the
// client's id_token_signed_response_alg. Errors: server_error (no signing key).
Result<std::string> sign_logout_token(jose::KeyStore& keys, const Options& options,
                                      const Client& client, const SessionClient& entry,
                                      std::int64_t now, const std::string& jti);

// Tells the clients of an ended browser session (OIDC Back-Channel Logout 1.0 §2.5–§2.8): every
// client recorded in session_clients for it that registered a backchannel_logout_uri gets a
// logout token as a form POST `logout_token=…` through outbound::HttpClient. All of it runs on
// one sender thread of its own, so the request that ended the session never waits for a
// database read or an RP. A delivery that fails in transport or with a 5xx is retried
// (options.backchannel_logout_attempts, waits doubling from backchannel_logout_retry_delay);
// a 4xx is the RP refusing the token and is not. Each outcome is one log line. Deliveries live
// in memory: those still queued when the process stops are dropped (and logged).
class BackchannelLogout {
public:
    // `keys`, `clients` and `session_clients` must outlive this object.
    BackchannelLogout(const Options& options, jose::KeyStore& keys, ClientStore& clients,
                      SessionClientStore& session_clients, Clock clock, RandomBytes random,
                      outbound::ClientOptions http = default_http_options());
    ~BackchannelLogout();

    BackchannelLogout(const BackchannelLogout&) = delete;
    BackchannelLogout& operator=(const BackchannelLogout&) = delete;

    // Queues the notices for session `sid` and returns at once.
    void session_ended(std::string sid);

    // Short timeouts: a logout token is small, and an RP that hangs only delays the others.
    static outbound::ClientOptions default_http_options();

private:
    struct Delivery {
        std::string sid;
        std::string client_id;
        std::string uri;
        std::string token;
        int attempt = 1;
        std::chrono::steady_clock::time_point due;
    };

    void run();
    // Reads the session's clients and queues one delivery each.
    void prepare(const std::string& sid);
    // One attempt; queues the next one when it failed and attempts remain.
    void attempt(Delivery delivery);

    const Options& options_;
    jose::KeyStore& keys_;
    ClientStore& clients_;
    SessionClientStore& session_clients_;
    Clock clock_;
    RandomBytes random_;
    outbound::HttpClient http_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> ended_;     // sessions whose clients are not read yet
    std::vector<Delivery> deliveries_;  // due now or later
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace idpd::oidc
