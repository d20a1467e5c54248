// Two-step verification through the whole app: enrollment pages (the served QR code decodes
// with zbarimg to the secret shown as text; oathtool's codes activate it), the second step of
// sign-in (nothing exists before it passes), recovery codes (audited, mailed, single-use),
// relying parties' acr/amr step-up without a new password, the MFA level lapsing, the
// configured answer for a user without a second factor, and the sensitive-operation guard.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "auth/acr.h"
#include "auth/totp.h"
#include "integration/oidc/authorization_code_fixture.h"

namespace idpd::testing_support {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    char buffer[512];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        out.append(buffer, n);
    }
    ::pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out;
}

json claims_of(const std::string& jwt) {
    const auto first = jwt.find('.');
    const auto second = jwt.find('.', first + 1);
    auto payload = jose::base64url_decode(jwt.substr(first + 1, second - first - 1));
    return json::parse(payload.value_or("{}"));
}

class TwoStepTest : public AuthorizationCodeFlowTest {
protected:
    void SetUp() override {
        AuthorizationCodeFlowTest::SetUp();
        add_client("rp", oidc::AccessTokenFormat::jwt);
    }

    std::chrono::sys_seconds app_now() const {
        return std::chrono::time_point_cast<std::chrono::seconds>(
            std::chrono::system_clock::now() + std::chrono::milliseconds(clock_offset_ms_));
    }

    // The code oathtool (an independent generator) prints for `secret_b32` at the app's time.
    std::string oathtool_code(const std::string& secret_b32) {
        const std::time_t t = app_now().time_since_epoch().count();
        char utc[64];
        std::strftime(utc, sizeof utc, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
        return run("oathtool --totp -b " + secret_b32 + " --now \"" + utc + "\"");
    }

    // The next code: moves the clock one step on first, since every step is usable once.
    std::string next_code(const std::string& secret_b32) {
        advance(std::chrono::seconds(30));
        return oathtool_code(secret_b32);
    }

    static std::string secret_on_page(const std::string& html) {
        std::smatch m;
        if (!std::regex_search(html, m, std::regex("id=\"totp-secret\">([A-Z2-7 ]+)<"))) {
            return {};
        }
        std::string secret = m[1];
        std::erase(secret, ' ');
        return secret;
    }

    static std::vector<std::string> recovery_codes_on(const std::string& html) {
        std::vector<std::string> codes;
        const std::regex code("<li>([0-9A-Z]{5}-[0-9A-Z]{5})</li>");
        for (auto it = std::sregex_iterator(html.begin(), html.end(), code);
             it != std::sregex_iterator(); ++it) {
            codes.push_back((*it)[1]);
        }
        return codes;
    }

    // Turns two-step verification on for `b`'s user through the pages; returns the base32
    // secret and fills `codes` with the recovery codes shown.
    std::string enroll(Browser& b, std::vector<std::string>* codes = nullptr) {
        auto started = b.submit("/account/security/totp", "/account/security/totp/start", {});
        EXPECT_EQ(started.status, 303);
        EXPECT_EQ(started.headers.get("Location"), "/account/security/totp/setup");
        auto setup = b.get("/account/security/totp/setup");
        EXPECT_EQ(setup.status, 200);
        const std::string secret = secret_on_page(setup.body);
        EXPECT_EQ(secret.size(), 32u) << "160 bits are 32 base32 characters";
        auto activated =
            b.post("/account/security/totp/activate",
                   {{"csrf", Browser::csrf_of(setup.body)}, {"code", next_code(secret)}});
        EXPECT_EQ(activated.status, 200) << activated.body;
        const auto shown = recovery_codes_on(activated.body);
        EXPECT_EQ(shown.size(), 10u);
        if (codes != nullptr) {
            *codes = shown;
        }
        return secret;
    }

    Browser sign_in(const std::string& name) {
        Browser b(*app_);
        auto r = b.submit("/signin", "/signin",
                          {{"identifier", name}, {"password", std::string(password)}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    // The ID token's claims after the browser runs the code flow with `extra` parameters.
    json id_token_claims(Browser& b, std::map<std::string, std::string> extra = {}) {
        auto r = b.get(authorize_url("rp", std::move(extra)));
        auto tokens = redeem("rp", code_from(r));
        EXPECT_EQ(tokens.status, 200) << tokens.body;
        return claims_of(json::parse(tokens.body)["id_token"].get<std::string>());
    }

    std::int64_t sessions_of(const std::string& name) {
        return count(
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE "
            "u.username = '" +
            name + "' AND s.revoked_at IS NULL");
    }
};

TEST_F(TwoStepTest, ServedQrCodeDecodesToTheOtpauthUriOfTheSecretShownAsText) {
    Browser b = signed_up("alice");
    b.submit("/account/security/totp", "/account/security/totp/start", {});
    auto setup = b.get("/account/security/totp/setup");
    const std::string secret = secret_on_page(setup.body);
    ASSERT_FALSE(secret.empty());
    auto svg = b.get("/account/security/totp/qr.svg");
    ASSERT_EQ(svg.status, 200);
    EXPECT_EQ(svg.headers.get("Content-Type"), "image/svg+xml");
    const auto dir =
        std::filesystem::temp_directory_path() / ("idpd-2fa-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "qr.svg") << svg.body;
    run("rsvg-convert -w 400 -h 400 -o " + (dir / "qr.png").string() + " " +
        (dir / "qr.svg").string());
    const std::string decoded = run("zbarimg --quiet --raw " + (dir / "qr.png").string());
    std::filesystem::remove_all(dir);
    const auto raw = auth::base32_decode(secret);
    ASSERT_TRUE(raw);
    EXPECT_EQ(decoded, auth::otpauth_uri("idpd", "alice", *raw));
    EXPECT_THAT(decoded, HasSubstr("secret=" + secret + "&"));
    // Nothing is on until a code proves the app has the secret.
    auto status = b.get("/account/security/totp");
    EXPECT_THAT(status.body, HasSubstr("/account/security/totp/start"));
}

TEST_F(TwoStepTest, ActivationNeedsOneValidCodeAndAWrongOneEnablesNothing) {
    Browser b = signed_up("alice");
    b.submit("/account/security/totp", "/account/security/totp/start", {});
    auto setup = b.get("/account/security/totp/setup");
    const std::string secret = secret_on_page(setup.body);
    auto wrong = b.post("/account/security/totp/activate",
                        {{"csrf", Browser::csrf_of(setup.body)}, {"code", "000000"}});
    EXPECT_EQ(wrong.status, 401);
    auto tampered = b.post("/account/security/totp/activate",
                           {{"csrf", Browser::csrf_of(setup.body)}, {"code", "12ab56"}});
    EXPECT_EQ(tampered.status, 400);
    EXPECT_EQ(count("SELECT COUNT(*) FROM totp_secrets WHERE state = 'active'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM recovery_codes"), 0);
    auto right = b.post("/account/security/totp/activate",
                        {{"csrf", Browser::csrf_of(setup.body)}, {"code", oathtool_code(secret)}});
    EXPECT_EQ(right.status, 200);
    EXPECT_EQ(recovery_codes_on(right.body).size(), 10u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM totp_secrets WHERE state = 'active'"), 1);
}

TEST_F(TwoStepTest, SignInOpensNoSessionBeforeTheSecondStepPasses) {
    Browser enrolling = signed_up("alice");
    const std::string secret = enroll(enrolling);
    const auto before = sessions_of("alice");

    Browser b(*app_);
    const std::string authorize = authorize_url("rp");
    auto to_signin = b.get(authorize);
    const std::string signin = to_signin.headers.get("Location").value_or("");
    auto r = b.submit(signin, "/signin",
                      {{"identifier", "alice"},
                       {"password", std::string(password)},
                       {"return_to", Browser::input_value(b.get(signin).body, "return_to")}});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"), "/signin/second-step");
    EXPECT_EQ(sessions_of("alice"), before) << "no session before the second step";
    EXPECT_FALSE(b.cookies.contains("__Host-idpd_session"));
    // Neither the account nor /authorize treat the browser as signed in.
    EXPECT_THAT(b.get("/account").headers.get("Location").value_or(""), HasSubstr("/signin"));
    EXPECT_THAT(b.get(authorize).headers.get("Location").value_or(""), HasSubstr("/signin"));

    auto page = b.get("/signin/second-step");
    EXPECT_EQ(page.status, 200);
    auto wrong =
        b.post("/signin/second-step", {{"csrf", Browser::csrf_of(page.body)}, {"code", "123456"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(sessions_of("alice"), before);
    const std::string pending = b.cookies["__Host-idpd_pending"];
    auto passed = b.post("/signin/second-step",
                         {{"csrf", Browser::csrf_of(page.body)}, {"code", next_code(secret)}});
    ASSERT_EQ(passed.status, 303) << passed.body;
    EXPECT_THAT(passed.headers.get("Location").value_or(""), HasSubstr("/authorize?"));
    EXPECT_EQ(sessions_of("alice"), before + 1);
    // The pending login was single-use: replaying its cookie opens nothing more.
    Browser replay(*app_);
    replay.cookies["__Host-idpd_pending"] = pending;
    auto again = replay.submit("/signin", "/signin/second-step", {{"code", next_code(secret)}});
    EXPECT_EQ(again.headers.get("Location"), "/signin?second_step=expired");
    EXPECT_EQ(sessions_of("alice"), before + 1);

    const json claims = id_token_claims(b);
    EXPECT_EQ(claims["acr"], std::string(auth::acr_mfa));
    EXPECT_EQ(claims["amr"], json::array({"pwd", "otp", "mfa"}));
}

TEST_F(TwoStepTest, PendingSecondStepExpires) {
    Browser enrolling = signed_up("alice");
    const std::string secret = enroll(enrolling);
    Browser b = sign_in("alice");
    advance(std::chrono::minutes(6));  // totp.pending_login_ttl is 5 minutes
    auto r = b.submit("/signin", "/signin/second-step", {{"code", oathtool_code(secret)}});
    EXPECT_EQ(r.headers.get("Location"), "/signin?second_step=expired");
    EXPECT_EQ(sessions_of("alice"), 1);  // only the enrolling browser's
}

TEST_F(TwoStepTest, RecoveryCodeSignsInOnceIsAuditedAndMailed) {
    Browser enrolling = signed_up("alice");
    std::vector<std::string> codes;
    enroll(enrolling, &codes);
    ASSERT_FALSE(codes.empty());
    Browser b = sign_in("alice");
    auto r = b.submit("/signin/second-step", "/signin/second-step", {{"code", codes[0]}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.headers.get("Location"), "/account");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE type = 'recovery_code.used'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'recovery_code_used'"), 1);
    const json claims = id_token_claims(b);
    EXPECT_EQ(claims["acr"], std::string(auth::acr_mfa));
    EXPECT_EQ(claims["amr"], json::array({"pwd", "mfa"}));

    Browser again = sign_in("alice");
    auto reused = again.submit("/signin/second-step", "/signin/second-step", {{"code", codes[0]}});
    EXPECT_EQ(reused.status, 401);
    EXPECT_THAT(reused.body, HasSubstr("已使用过"));  // "already used", in zh-CN
}

TEST_F(TwoStepTest, PasswordSessionIsSteppedUpWithACodeAndNoNewPassword) {
    Browser b = signed_up("alice");  // signed in with the password only
    Browser other = sign_in("alice");
    const std::string secret = enroll(other);

    const json plain = id_token_claims(b);
    EXPECT_EQ(plain["acr"], std::string(auth::acr_password));
    EXPECT_EQ(plain["amr"], json::array({"pwd"}));

    auto r = b.get(authorize_url("rp", {{"acr_values", std::string(auth::acr_mfa)}}));
    ASSERT_EQ(r.status, 303);
    const std::string verify = r.headers.get("Location").value_or("");
    ASSERT_THAT(verify, HasSubstr("/account/verify?level=mfa&return_to="));
    auto page = b.get(verify);
    EXPECT_THAT(page.body, HasSubstr("name=\"code\""));
    EXPECT_THAT(page.body, ::testing::Not(HasSubstr("name=\"password\"")));
    auto stepped =
        b.post("/account/verify", {{"csrf", Browser::csrf_of(page.body)},
                                   {"return_to", Browser::input_value(page.body, "return_to")},
                                   {"code", next_code(secret)}});
    ASSERT_EQ(stepped.status, 303);
    const auto back = b.get(stepped.headers.get("Location").value_or(""));
    auto tokens = redeem("rp", code_from(back));
    const json mfa = claims_of(json::parse(tokens.body)["id_token"].get<std::string>());
    EXPECT_EQ(mfa["acr"], std::string(auth::acr_mfa));
    EXPECT_EQ(mfa["amr"], json::array({"pwd", "otp", "mfa"}));
    EXPECT_EQ(mfa["auth_time"], plain["auth_time"]) << "the same sign-in, stepped up";
    // The access token and userinfo say the same (RFC 9068 §2.2.1, for RFC 9470 APIs).
    const std::string access_token = json::parse(tokens.body)["access_token"];
    const json at = claims_of(access_token);
    EXPECT_EQ(at["acr"], std::string(auth::acr_mfa));
    EXPECT_EQ(at["amr"], json::array({"pwd", "otp", "mfa"}));
    EXPECT_EQ(at["auth_time"], plain["auth_time"]);
    const json info = json::parse(userinfo(access_token).body);
    EXPECT_EQ(info["acr"], std::string(auth::acr_mfa));
    EXPECT_EQ(info["amr"], json::array({"pwd", "otp", "mfa"}));
    EXPECT_EQ(info["auth_time"], plain["auth_time"]);
}

TEST_F(TwoStepTest, OpaqueTokenIntrospectionCarriesTheAuthentication) {
    add_client("opaque-rp", oidc::AccessTokenFormat::opaque);
    Browser b = signed_up("alice");
    enroll(b);
    auto r = b.get(authorize_url("opaque-rp", {{"acr_values", std::string(auth::acr_mfa)}}));
    auto tokens = redeem("opaque-rp", code_from(r));
    const std::string access_token = json::parse(tokens.body)["access_token"];
    const json info = json::parse(userinfo(access_token).body);
    EXPECT_EQ(info["acr"], std::string(auth::acr_mfa));
    EXPECT_EQ(info["amr"], json::array({"pwd", "otp", "mfa"}));
    EXPECT_TRUE(info["auth_time"].is_number_integer());
    http::HttpRequest req;
    req.method = http::Method::post;
    req.path = "/introspect";
    req.peer_ip = "127.0.0.1";
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    req.body = "client_id=opaque-rp&token=" + http::url_encode(access_token);
    const json introspected = json::parse(app_->handle(req).body);
    EXPECT_EQ(introspected["active"], true) << introspected.dump();
    EXPECT_EQ(introspected["acr"], std::string(auth::acr_mfa));
    EXPECT_EQ(introspected["amr"], json::array({"pwd", "otp", "mfa"}));
    EXPECT_EQ(introspected["auth_time"], info["auth_time"]);
}

TEST_F(TwoStepTest, EssentialAcrClaimStepsUpAndTheMfaLevelLapses) {
    Browser b = signed_up("alice");
    const std::string secret = enroll(b);  // activation raised this session
    const std::string essential = R"({"id_token":{"acr":{"essential":true,"values":[")" +
                                  std::string(auth::acr_mfa) + R"("]}}})";
    EXPECT_EQ(id_token_claims(b, {{"claims", essential}})["acr"], std::string(auth::acr_mfa));
    advance(std::chrono::minutes(61));  // totp.mfa_lifetime is 1 hour
    b.get("/account");                  // keep the session from idling out
    EXPECT_EQ(id_token_claims(b)["acr"], std::string(auth::acr_password));
    auto r = b.get(authorize_url("rp", {{"claims", essential}}));
    EXPECT_THAT(r.headers.get("Location").value_or(""), HasSubstr("/account/verify?level=mfa"));
    auto none = b.get(authorize_url("rp", {{"claims", essential}, {"prompt", "none"}}));
    EXPECT_EQ(query_of(none.headers.get("Location").value_or(""))["error"], "interaction_required");
    (void)secret;
}

TEST_F(TwoStepTest, RequiredMfaWithoutASecondFactorIsUnmetOrOffersEnrollment) {
    Browser b = signed_up("bobby");
    auto r = b.get(authorize_url("rp", {{"acr_values", std::string(auth::acr_mfa)}}));
    EXPECT_EQ(query_of(r.headers.get("Location").value_or(""))["error"],
              "unmet_authentication_requirements");
    // Preferred but not required: the password level is answered.
    const std::string both = std::string(auth::acr_mfa) + " " + std::string(auth::acr_password);
    EXPECT_EQ(id_token_claims(b, {{"acr_values", both}})["acr"], std::string(auth::acr_password));
    // Unknown acr_values are voluntary; an essential unknown acr is not.
    EXPECT_EQ(id_token_claims(b, {{"acr_values", "urn:other:gold"}})["acr"],
              std::string(auth::acr_password));
    auto unknown = b.get(authorize_url(
        "rp", {{"claims", R"({"id_token":{"acr":{"essential":true,"value":"urn:x"}}})"}}));
    EXPECT_EQ(query_of(unknown.headers.get("Location").value_or(""))["error"],
              "unmet_authentication_requirements");
    auto bad = b.get(authorize_url("rp", {{"claims", "not json"}}));
    EXPECT_EQ(query_of(bad.headers.get("Location").value_or(""))["error"], "invalid_request");

    config_.totp.mfa_unavailable = "enroll";
    start_app();
    Browser c = signed_up("carol");
    auto offered = c.get(authorize_url("rp", {{"acr_values", std::string(auth::acr_mfa)}}));
    auto verify = c.get(offered.headers.get("Location").value_or(""));
    EXPECT_THAT(verify.headers.get("Location").value_or(""),
                HasSubstr("/account/security/totp?return_to=%2Fauthorize"));
}

TEST_F(TwoStepTest, GuardSendsRegenerationToVerifyAndBackAndVoidsTheOldCodes) {
    Browser b = signed_up("alice");
    std::vector<std::string> old_codes;
    const std::string secret = enroll(b, &old_codes);
    advance(std::chrono::minutes(6));  // past totp.step_up_window
    auto gated = b.submit("/account/security/totp", "/account/security/totp/recovery-codes", {});
    ASSERT_EQ(gated.status, 303);
    const std::string verify = gated.headers.get("Location").value_or("");
    EXPECT_EQ(verify, "/account/verify?return_to=%2Faccount%2Fsecurity%2Ftotp");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE type = "
                    "'recovery_codes.regenerated'"),
              0);
    auto page = b.get(verify);
    auto verified = b.post("/account/verify", {{"csrf", Browser::csrf_of(page.body)},
                                               {"return_to", "/account/security/totp"},
                                               {"code", next_code(secret)}});
    EXPECT_EQ(verified.headers.get("Location"), "/account/security/totp");
    auto fresh = b.submit("/account/security/totp", "/account/security/totp/recovery-codes", {});
    ASSERT_EQ(fresh.status, 200);
    EXPECT_EQ(recovery_codes_on(fresh.body).size(), 10u);
    Browser later = sign_in("alice");
    auto old = later.submit("/signin/second-step", "/signin/second-step", {{"code", old_codes[1]}});
    EXPECT_EQ(old.status, 401) << "regeneration voids the old set";
}

TEST_F(TwoStepTest, GuardAsksThePasswordOfAUserWithoutTotpAndNeverAnOffSiteTarget) {
    Browser b = signed_up("bobby");
    advance(std::chrono::minutes(6));
    auto page = b.get("/account/verify?return_to=https://evil.example/");
    EXPECT_THAT(page.body, HasSubstr("name=\"password\""));
    auto wrong = b.post("/account/verify", {{"csrf", Browser::csrf_of(page.body)},
                                            {"return_to", "https://evil.example/"},
                                            {"password", "nope"}});
    EXPECT_EQ(wrong.status, 401);
    auto right = b.post("/account/verify", {{"csrf", Browser::csrf_of(page.body)},
                                            {"return_to", "https://evil.example/"},
                                            {"password", std::string(password)}});
    EXPECT_EQ(right.headers.get("Location"), "/account");
}

TEST_F(TwoStepTest, GuardPasswordGuessesAreThrottledWithTheUsersSignInFailures) {
    Browser b = signed_up("guesser");
    advance(std::chrono::minutes(6));
    auto page = b.get("/account/verify");
    const std::string csrf = Browser::csrf_of(page.body);
    for (int i = 0; i < 2; ++i) {  // two failures within a second: the quick-login wait
        auto wrong = b.post("/account/verify", {{"csrf", csrf}, {"password", "wrong guess"}});
        EXPECT_EQ(wrong.status, 401);
    }
    auto refused = b.post("/account/verify", {{"csrf", csrf}, {"password", std::string(password)}});
    EXPECT_EQ(refused.status, 429) << "even the right password waits";
    EXPECT_THAT(refused.body, Not(HasSubstr("Location")));
    advance(std::chrono::minutes(2));
    auto right = b.post("/account/verify", {{"csrf", csrf}, {"password", std::string(password)}});
    EXPECT_EQ(right.status, 303);
    EXPECT_EQ(right.headers.get("Location"), "/account");
}

TEST_F(TwoStepTest, DisablingNeedsACurrentCodeAndThenSignInHasOneStep) {
    Browser b = signed_up("alice");
    const std::string secret = enroll(b);
    auto wrong =
        b.submit("/account/security/totp", "/account/security/totp/disable", {{"code", "000000"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(count("SELECT COUNT(*) FROM totp_secrets"), 1);
    auto off = b.submit("/account/security/totp", "/account/security/totp/disable",
                        {{"code", next_code(secret)}});
    EXPECT_EQ(off.headers.get("Location"), "/account/security/totp?disabled=1");
    EXPECT_EQ(count("SELECT COUNT(*) FROM totp_secrets"), 0);
    Browser later = sign_in("alice");
    EXPECT_TRUE(later.cookies.contains("__Host-idpd_session"));
}

TEST_F(TwoStepTest, TrustedBrowserSkipsTheCodeButStaysAtThePasswordLevel) {
    config_.totp.trust_browser_days = 30;
    start_app();
    Browser enrolling = signed_up("alice");
    const std::string secret = enroll(enrolling);
    Browser b = sign_in("alice");
    auto page = b.get("/signin/second-step");
    EXPECT_THAT(page.body, HasSubstr("30"));
    auto passed = b.post(
        "/signin/second-step",
        {{"csrf", Browser::csrf_of(page.body)}, {"code", next_code(secret)}, {"trust", "1"}});
    ASSERT_EQ(passed.status, 303);
    ASSERT_TRUE(b.cookies.contains("__Host-idpd_trusted"));
    b.submit("/account", "/signout", {});
    auto again = b.submit("/signin", "/signin",
                          {{"identifier", "alice"}, {"password", std::string(password)}});
    EXPECT_EQ(again.headers.get("Location"), "/account");
    EXPECT_EQ(id_token_claims(b)["acr"], std::string(auth::acr_password));
}

TEST_F(TwoStepTest, DiscoveryAdvertisesBothLevelsAndTheClaimsParameter) {
    const json doc = json::parse(get("/.well-known/openid-configuration").body);
    EXPECT_EQ(doc["acr_values_supported"],
              json::array({std::string(auth::acr_password), std::string(auth::acr_mfa)}));
    EXPECT_EQ(doc["claims_parameter_supported"], true);
    EXPECT_THAT(doc["claims_supported"].dump(), HasSubstr("\"acr\""));
}

}  // namespace
}  // namespace idpd::testing_support
