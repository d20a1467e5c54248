#include "oidc/backchannel_logout.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "jose/base64url.h"
#include "jose/jwt.h"

namespace idpd::oidc {

Result<std::string> sign_logout_token(jose::KeyStore& keys, const Options& options,
                                      const Client& client, const SessionClient& entry,
                                      std::int64_t now, const std::string& jti) {
    auto key = keys.signing_key(client.id_token_signed_response_alg);
    if (!key) {
        return fail(ErrorCode::server_error, "cannot sign the logout token",
                    std::string(jose::code_name(key.error().code)) + ": " + key.error().detail);
    }
    nlohmann::json claims{
        {"iss", options.issuer},
        {"aud", client.client_id},
        {"iat", now},
        {"exp", now + options.logout_token_ttl.count()},
        {"jti", jti},
        {"sub", entry.subject},
        {"sid", entry.sid},
        {"events",
         {{"http://schemas.openid.net/event/backchannel-logout", nlohmann::json::object()}}},
    };
    auto token = jose::sign_jwt(*key, jose::TokenType::logout_jwt, claims);
    if (!token) {
        return fail(ErrorCode::server_error, "cannot sign the logout token",
                    std::string(jose::code_name(token.error().code)) + ": " + token.error().detail);
    }
    return std::move(*token);
}

outbound::ClientOptions BackchannelLogout::default_http_options() {
    outbound::ClientOptions http;
    http.connect_timeout = std::chrono::seconds(2);
    http.read_timeout = std::chrono::seconds(5);
    http.write_timeout = std::chrono::seconds(5);
    http.max_response_bytes = 64 * 1024;
    return http;
}

BackchannelLogout::BackchannelLogout(const Options& options, jose::KeyStore& keys,
                                     ClientStore& clients, SessionClientStore& session_clients,
                                     Clock clock, RandomBytes random, outbound::ClientOptions http)
    : options_(options),
      keys_(keys),
      clients_(clients),
      session_clients_(session_clients),
      clock_(std::move(clock)),
      random_(std::move(random)),
      http_("", std::move(http)) {
    thread_ = std::thread([this] { run(); });
}

BackchannelLogout::~BackchannelLogout() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    for (const auto& sid : ended_) {
        spdlog::warn("back-channel logout: shutting down; session {} not announced", sid);
    }
    for (const auto& delivery : deliveries_) {
        spdlog::warn("back-channel logout to {} for session {}: shutting down; dropped",
                     delivery.client_id, delivery.sid);
    }
}

void BackchannelLogout::session_ended(std::string sid) {
    if (sid.empty()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        ended_.push_back(std::move(sid));
    }
    wake_.notify_all();
}

void BackchannelLogout::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (!ended_.empty()) {
            std::string sid = std::move(ended_.front());
            ended_.pop_front();
            lock.unlock();
            prepare(sid);
            lock.lock();
            continue;
        }
        auto next = std::ranges::min_element(deliveries_, {}, &Delivery::due);
        if (next == deliveries_.end()) {
            wake_.wait(lock);
            continue;
        }
        if (next->due > std::chrono::steady_clock::now()) {
            wake_.wait_until(lock, next->due);
            continue;
        }
        Delivery delivery = std::move(*next);
        deliveries_.erase(next);
        lock.unlock();
        attempt(std::move(delivery));
        lock.lock();
    }
}

void BackchannelLogout::prepare(const std::string& sid) {
    auto entries = session_clients_.take(sid);
    if (!entries) {
        spdlog::error("back-channel logout for session {}: cannot read its clients: {}", sid,
                      entries.error().message);
        return;
    }
    const std::int64_t now = unix_seconds(clock_);
    for (const auto& entry : *entries) {
        auto client = clients_.find(entry.client_id);
        if (!client) {
            spdlog::warn("back-channel logout to {} for session {}: client unreadable: {}",
                         entry.client_id, sid, client.error().message);
            continue;
        }
        if (client->backchannel_logout_uri.empty()) {
            continue;  // the client did not ask to be told
        }
        auto token = sign_logout_token(keys_, options_, *client, entry, now,
                                       jose::base64url_encode(random_(16)));
        if (!token) {
            spdlog::error("back-channel logout to {} for session {}: {} ({})", entry.client_id, sid,
                          token.error().description, token.error().detail);
            continue;
        }
        std::lock_guard lock(mutex_);
        deliveries_.push_back(Delivery{sid, entry.client_id, client->backchannel_logout_uri,
                                       std::move(*token), 1, std::chrono::steady_clock::now()});
    }
}

void BackchannelLogout::attempt(Delivery delivery) {
    // §2.5: "The OP sends an HTTP POST request to the RP's back-channel logout URI" with the
    // token as the form parameter logout_token.
    auto response = http_.post_form(delivery.uri, {{"logout_token", delivery.token}});
    std::string problem;
    bool retry = true;
    if (!response) {
        problem = std::string(outbound::kind_name(response.error().kind)) + ": " +
                  response.error().detail;
    } else if (response->status >= 200 && response->status < 300) {
        // §2.8: 200 OK means the RP logged the session out (some answer 204).
        spdlog::info("back-channel logout to {} for session {}: delivered (HTTP {})",
                     delivery.client_id, delivery.sid, response->status);
        return;
    } else {
        problem = "HTTP " + std::to_string(response->status);
        // §2.8: a 400 is the RP refusing this token; sending it again changes nothing.
        retry = response->status >= 500 || response->status == 429;
    }
    if (!retry || delivery.attempt >= options_.backchannel_logout_attempts) {
        spdlog::error("back-channel logout to {} for session {}: failed after {} attempt(s): {}",
                      delivery.client_id, delivery.sid, delivery.attempt, problem);
        return;
    }
    const auto wait = options_.backchannel_logout_retry_delay * (1 << (delivery.attempt - 1));
    spdlog::warn(
        "back-channel logout to {} for session {}: attempt {} failed ({}), retrying in {} ms",
        delivery.client_id, delivery.sid, delivery.attempt, problem, wait.count());
    delivery.attempt += 1;
    delivery.due = std::chrono::steady_clock::now() + wait;
    {
        std::lock_guard lock(mutex_);
        deliveries_.push_back(std::move(delivery));
    }
    wake_.notify_all();
}

}  // namespace idpd::oidc
