// Back-Channel Logout 1.0 through the whole app: whenever a browser session ends — /logout,
// POST /signout, a revoke on the account page, a new sign-in — each client issued tokens in it
// that registered a backchannel_logout_uri receives a logout token on a loopback fake RP. The
// token verifies against our JWKS as an RP checks it (§2.6), and the user's response never
// waits for the RP.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <httplib.h>

#include "integration/oidc/rp_fixture.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// An RP's back-channel logout endpoint on loopback: records every POST, answers `statuses` in
// turn (then 200), after `delay`.
class FakeRp {
public:
    struct Received {
        std::string content_type;
        std::string logout_token;
    };

    explicit FakeRp(std::vector<int> statuses = {}, std::chrono::milliseconds delay = 0ms)
        : statuses_(std::move(statuses)), delay_(delay) {
        server_.Post("/backchannel", [this](const httplib::Request& req, httplib::Response& res) {
            std::this_thread::sleep_for(delay_);
            Received got{req.get_header_value("Content-Type"), {}};
            for (auto& [k, v] : http::parse_urlencoded(req.body)) {
                if (k == "logout_token") {
                    got.logout_token = v;
                }
            }
            std::lock_guard lock(mutex_);
            res.status = received_.size() < statuses_.size() ? statuses_[received_.size()] : 200;
            received_.push_back(std::move(got));
            arrived_.notify_all();
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) {
            std::this_thread::sleep_for(1ms);
        }
    }

    ~FakeRp() {
        server_.stop();
        thread_.join();
    }

    std::string uri() const { return "http://127.0.0.1:" + std::to_string(port_) + "/backchannel"; }

    // The n-th POST (1-based), waiting at most 15 s for it.
    std::optional<Received> wait_for(std::size_t n) {
        std::unique_lock lock(mutex_);
        if (!arrived_.wait_for(lock, 15s, [&] { return received_.size() >= n; })) {
            return std::nullopt;
        }
        return received_[n - 1];
    }

    std::size_t count() {
        std::lock_guard lock(mutex_);
        return received_.size();
    }

private:
    std::vector<int> statuses_;
    std::chrono::milliseconds delay_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<Received> received_;
};

class BackchannelLogoutTest : public RpTest {
protected:
    void with_rp(std::vector<int> statuses = {}, std::chrono::milliseconds delay = 0ms) {
        rp_ = std::make_unique<FakeRp>(std::move(statuses), delay);
        add_client("app", "", [this](oidc::Client& c) {
            c.backchannel_logout_uri = rp_->uri();
            c.backchannel_logout_session_required = true;
        });
        add_client("quiet");  // registered no back-channel URI: told nothing
    }

    // The ID token claims of a code flow for `client_id` in `b`.
    json id_claims(Browser& b, const std::string& client_id) {
        return verified_claims(id_token_for(b, client_id), jose::TokenType::jwt, client_id);
    }

    // Checks a received logout token as an RP must (§2.6) and that it is about `session`.
    void expect_logout_token(const FakeRp::Received& got, const json& session) {
        EXPECT_EQ(got.content_type, "application/x-www-form-urlencoded");
        auto parts = got.logout_token.substr(0, got.logout_token.find('.'));
        auto header = json::parse(*jose::base64url_decode(parts));
        EXPECT_EQ(header["typ"], "logout+jwt");
        jose::JwtRules rules;
        rules.type = jose::TokenType::logout_jwt;
        rules.issuer = std::string(origin);
        rules.audience = "app";
        rules.required_claims = {"iat", "jti", "events", "sub", "sid"};
        auto verified = jose::verify_jwt(got.logout_token, published_keys(), rules,
                                         std::chrono::system_clock::now());
        ASSERT_TRUE(verified) << verified.error().detail;
        const auto& claims = verified->claims;
        EXPECT_EQ(claims["aud"], "app");
        EXPECT_EQ(claims["sub"], session["sub"]);
        EXPECT_EQ(claims["sid"], session["sid"]);
        EXPECT_EQ(claims["events"],
                  json({{"http://schemas.openid.net/event/backchannel-logout", json::object()}}));
        EXPECT_FALSE(claims.contains("nonce"));  // §2.4: so it never passes as an ID token
        EXPECT_LE(claims["exp"].get<std::int64_t>() - claims["iat"].get<std::int64_t>(), 120);
        EXPECT_FALSE(claims["jti"].get<std::string>().empty());
    }

    std::unique_ptr<FakeRp> rp_;
};

TEST_F(BackchannelLogoutTest, LogoutEndpointTellsTheClientsOfTheSession) {
    with_rp();
    Browser b = signed_up("alice");
    const std::string id_token = id_token_for(b, "app");
    const json session = verified_claims(id_token, jose::TokenType::jwt, "app");
    id_claims(b, "quiet");
    auto r = b.get("/logout?id_token_hint=" + http::url_encode(id_token));
    ASSERT_EQ(r.status, 200) << r.body;  // no post_logout_redirect_uri: the signed-out page
    auto got = rp_->wait_for(1);
    ASSERT_TRUE(got);
    expect_logout_token(*got, session);
    // Told once; the records of the ended session are gone.
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(rp_->count(), 1u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM session_clients"), 0);
}

TEST_F(BackchannelLogoutTest, SignOutDoesNotWaitForASlowRp) {
    with_rp({}, 1500ms);
    Browser b = signed_up("bobby");
    const json session = id_claims(b, "app");
    const auto before = std::chrono::steady_clock::now();
    auto out = b.post("/signout", {{"csrf", Browser::csrf_of(b.get("/account").body)}});
    EXPECT_EQ(out.status, 303);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    auto got = rp_->wait_for(1);
    ASSERT_TRUE(got);
    expect_logout_token(*got, session);
}

TEST_F(BackchannelLogoutTest, RevokingASessionOnTheAccountPageTellsItsClients) {
    with_rp();
    Browser phone = signed_up("carol");
    const json phone_session = id_claims(phone, "app");
    Browser laptop = signed_in("carol");
    const json laptop_session = id_claims(laptop, "app");
    ASSERT_NE(phone_session["sid"], laptop_session["sid"]);
    auto page = laptop.get("/account");
    const std::string phone_sid = phone_session["sid"];
    auto r = laptop.post("/account/sessions/" + phone_sid + "/revoke",
                         {{"csrf", Browser::csrf_of(page.body)}});
    EXPECT_EQ(r.status, 303);
    auto got = rp_->wait_for(1);
    ASSERT_TRUE(got);
    expect_logout_token(*got, phone_session);
    // Only the revoked session was announced; the laptop's is still recorded.
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(rp_->count(), 1u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM session_clients"), 1);
}

TEST_F(BackchannelLogoutTest, SigningInAgainEndsAndAnnouncesTheOldSession) {
    with_rp();
    Browser b = signed_up("dave");
    const json old_session = id_claims(b, "app");
    auto page = b.get("/signin?prompt=login");
    auto again = b.post("/signin", {{"identifier", "dave"},
                                    {"password", std::string(password)},
                                    {"csrf", Browser::input_value(page.body, "csrf")}});
    ASSERT_EQ(again.status, 303);
    auto got = rp_->wait_for(1);
    ASSERT_TRUE(got);
    expect_logout_token(*got, old_session);
}

TEST_F(BackchannelLogoutTest, AFailingRpIsRetried) {
    with_rp({503});
    Browser b = signed_up("erin");
    const json session = id_claims(b, "app");
    b.post("/signout", {{"csrf", Browser::csrf_of(b.get("/account").body)}});
    auto first = rp_->wait_for(1);
    auto second = rp_->wait_for(2);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->logout_token, second->logout_token);
    expect_logout_token(*second, session);
}

TEST_F(BackchannelLogoutTest, ASessionWithoutTokensTellsNobody) {
    with_rp();
    Browser b = signed_up("frank");
    b.post("/signout", {{"csrf", Browser::csrf_of(b.get("/account").body)}});
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(rp_->count(), 0u);
}

}  // namespace
}  // namespace idpd::testing_support
