// The account center through the whole app in-process: the tabs, renaming with its cooldown,
// emails (add, verify, primary, remove and the last-recovery rule), the password change that
// ends the other sessions, the sign-in history, and the JSON account API that ignores every
// member but username and name.
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>
#include <png.h>

#include "audit/audit_log.h"
#include "integration/oidc/rp_fixture.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

constexpr std::string_view new_password = "a whole new passphrase";

class AccountCenterTest : public RpTest {
protected:
    struct Mail {
        std::string to, text, kind;
    };

    std::vector<Mail> outbox() {
        auto rows = db_->query("SELECT recipient, text_body, kind FROM outbox ORDER BY id", {});
        EXPECT_TRUE(rows);
        std::vector<Mail> out;
        for (const auto& row : rows.value_or(store::Rows{})) {
            out.push_back({row.text(0), row.text(1), row.text(2)});
        }
        return out;
    }

    // The path of the first link to our issuer in a mail body.
    static std::string link_in(const std::string& text) {
        const std::string origin = "http://localhost:8080";
        auto at = text.find(origin);
        if (at == std::string::npos) {
            return {};
        }
        auto end = text.find_first_of(" \n", at);
        return text.substr(at + origin.size(), end - at - origin.size());
    }

    void verify_link(Browser& b, const std::string& link) {
        auto page = b.get(link);
        ASSERT_EQ(page.status, 200) << link;
        auto done = b.post("/verify-email", {{"csrf", Browser::csrf_of(page.body)},
                                             {"token", Browser::input_value(page.body, "token")}});
        ASSERT_EQ(done.status, 200);
    }

    std::int64_t user_id(const std::string& username) {
        auto rows = db_->query("SELECT id FROM users WHERE username = ?", {username});
        return rows && !rows->empty() ? rows->front().integer(0) : -1;
    }

    http::HttpResponse api(http::Method method, const std::string& path, const std::string& token,
                           const std::string& body = {}) {
        http::HttpRequest req;
        req.method = method;
        req.path = path;
        req.peer_ip = "127.0.0.1";
        req.headers.set("Authorization", "Bearer " + token);
        if (!body.empty()) {
            req.headers.set("Content-Type", "application/json");
            req.body = body;
        }
        return app_->handle(req);
    }

    // A PNG of width × height from libpng.
    static std::string png_of(std::uint32_t width, std::uint32_t height) {
        png_image image{};
        image.version = PNG_IMAGE_VERSION;
        image.width = width;
        image.height = height;
        image.format = PNG_FORMAT_RGB;
        std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * 3, 0x60);
        png_alloc_size_t size = 0;
        png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr);
        std::string out(size, '\0');
        png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr);
        out.resize(size);
        return out;
    }

    // POSTs `file` as the avatar form would (multipart/form-data) from browser `b`.
    http::HttpResponse upload(Browser& b, const std::string& file) {
        const std::string csrf = Browser::csrf_of(b.get("/account").body);
        const std::string boundary = "----idpdtestboundary";
        std::string body = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf +
                           "\r\n--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"avatar\"; "
                           "filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n" +
                           file + "\r\n--" + boundary + "--\r\n";
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/account/avatar";
        req.peer_ip = "198.51.100.9";
        req.headers.set("Origin", std::string(origin));
        req.headers.set("Content-Type", "multipart/form-data; boundary=" + boundary);
        std::string jar;
        for (const auto& [name, value] : b.cookies) {
            jar += (jar.empty() ? "" : "; ") + name + "=" + value;
        }
        req.headers.set("Cookie", jar);
        req.body = body;
        return app_->handle(req);
    }

    // An access token with scope `account` for the user signed in in `b`.
    std::string account_token(Browser& b) {
        add_client("center-app", {}, [](oidc::Client& c) { c.scopes.push_back("account"); });
        auto code = code_from(b.get(authorize_url("center-app", {{"scope", "openid account"}})));
        return redeem("center-app", code).value("access_token", "");
    }
};

TEST_F(AccountCenterTest, EveryTabIsLinkedAndTheCurrentOneIsMarked) {
    Browser b = signed_up("tabby");
    auto page = b.get("/account/emails");
    ASSERT_EQ(page.status, 200);
    for (const auto* path :
         {"/account\"", "/account/emails\"", "/account/phones\"", "/account/password\"",
          "/account/bindings\"", "/account/api-keys\"", "/account/notifications\"",
          "/account/security\"", "/account/delete\""}) {
        EXPECT_THAT(page.body, HasSubstr(std::string("href=\"") + path)) << path;
    }
    EXPECT_THAT(page.body, HasSubstr("href=\"/account/emails\" aria-current=\"page\""));
    EXPECT_THAT(page.body, Not(HasSubstr("href=\"/account\" aria-current")));
    for (const auto* path : {"/account", "/account/bindings", "/account/security",
                             "/account/password", "/account/apps", "/account/security/totp",
                             "/account/phones", "/account/api-keys", "/account/notifications"}) {
        EXPECT_EQ(b.get(path).status, 200) << path;
    }
    Browser stranger(*app_);
    EXPECT_EQ(stranger.get("/account/emails").status, 303);
}

TEST_F(AccountCenterTest, UsernameChangesAreUniqueAndWaitForTheCooldown) {
    signed_up("taken-name");
    Browser b = signed_up("first-name");
    auto taken = b.submit("/account", "/account/username", {{"username", "TAKEN-name"}});
    EXPECT_EQ(taken.status, 409);
    EXPECT_THAT(taken.body, HasSubstr("This username is taken"));
    auto bad = b.submit("/account", "/account/username", {{"username", "12345"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_THAT(bad.body, HasSubstr("cannot be digits only"));

    auto renamed = b.submit("/account", "/account/username", {{"username", "second-name"}});
    ASSERT_EQ(renamed.status, 303);
    EXPECT_THAT(b.get("/account").body, HasSubstr("second-name"));
    EXPECT_EQ(signed_in("second-name").cookies.size() > 0, true);

    // Within the 30 days: refused, and the page says when it is allowed.
    advance(std::chrono::hours(24 * 29));
    Browser fresh = signed_in("second-name");  // the first session has long expired
    auto again = fresh.submit("/account", "/account/username", {{"username", "third-name"}});
    EXPECT_EQ(again.status, 429);
    EXPECT_THAT(again.body, HasSubstr("You can change your username again on"));
    EXPECT_EQ(user_id("third-name"), -1);
    advance(std::chrono::hours(24 * 2));
    Browser later = signed_in("second-name");
    EXPECT_EQ(later.submit("/account", "/account/username", {{"username", "third-name"}}).status,
              303);
    EXPECT_NE(user_id("third-name"), -1);
}

TEST_F(AccountCenterTest, AddedEmailIsVerifiedByItsLinkAndThenCanBecomePrimary) {
    Browser b = signed_up("emma");
    auto added =
        b.submit("/account/emails", "/account/emails/add", {{"email", "work@example.com"}});
    ASSERT_EQ(added.status, 303);
    EXPECT_EQ(added.headers.get("Location"), "/account/emails?notice=sent");
    auto mails = outbox();
    ASSERT_EQ(mails.size(), 2u);  // the sign-up's link, then this one
    EXPECT_EQ(mails[1].to, "work@example.com");
    EXPECT_EQ(mails[1].kind, "verify_email");
    EXPECT_THAT(mails[1].text, HasSubstr("120"));  // valid 2 hours

    // Unverified: it cannot be primary yet.
    auto early =
        b.submit("/account/emails", "/account/emails/primary", {{"email", "work@example.com"}});
    EXPECT_EQ(early.headers.get("Location"), "/account/emails?notice=unverified");

    verify_link(b, link_in(mails[1].text));
    auto primary =
        b.submit("/account/emails", "/account/emails/primary", {{"email", "work@example.com"}});
    EXPECT_EQ(primary.headers.get("Location"), "/account/emails?notice=primary");
    auto rows = db_->query("SELECT email FROM user_emails WHERE user_id = ? AND is_primary = 1",
                           {user_id("emma")});
    ASSERT_TRUE(rows && rows->size() == 1);
    EXPECT_EQ(rows->front().text(0), "work@example.com");

    auto twice =
        b.submit("/account/emails", "/account/emails/add", {{"email", "WORK@example.com"}});
    EXPECT_EQ(twice.status, 409);
    EXPECT_THAT(twice.body, HasSubstr("already on your account"));
}

TEST_F(AccountCenterTest, AnAddressVerifiedOnAnotherAccountGetsANoticeAndThePageSaysTheSame) {
    Browser owner = signed_up("owner");
    verify_link(owner, link_in(outbox().at(0).text));
    Browser other = signed_up("other");
    auto r =
        other.submit("/account/emails", "/account/emails/add", {{"email", "owner@example.com"}});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"), "/account/emails?notice=sent");  // as for any address
    auto mails = outbox();
    ASSERT_EQ(mails.size(), 3u);
    EXPECT_EQ(mails[2].to, "owner@example.com");
    EXPECT_EQ(mails[2].kind, "address_in_use");
    EXPECT_THAT(mails[2].text, Not(HasSubstr("token=")));
    EXPECT_THAT(other.get("/account/emails").body, Not(HasSubstr("owner@example.com")));
}

TEST_F(AccountCenterTest, TheLastVerifiedEmailCannotBeRemoved) {
    Browser b = signed_up("solo");
    verify_link(b, link_in(outbox().at(0).text));
    auto refused =
        b.submit("/account/emails", "/account/emails/remove", {{"email", "solo@example.com"}});
    EXPECT_EQ(refused.headers.get("Location"), "/account/emails?notice=last_recovery");
    EXPECT_THAT(b.get("/account/emails").body, HasSubstr("solo@example.com"));

    // With a second verified address, either may go; the primary moves to the one left.
    b.submit("/account/emails", "/account/emails/add", {{"email", "solo2@example.com"}});
    verify_link(b, link_in(outbox().back().text));
    auto removed =
        b.submit("/account/emails", "/account/emails/remove", {{"email", "solo@example.com"}});
    EXPECT_EQ(removed.headers.get("Location"), "/account/emails?notice=removed");
    auto rows = db_->query("SELECT email, is_primary FROM user_emails WHERE user_id = ?",
                           {user_id("solo")});
    ASSERT_TRUE(rows && rows->size() == 1);
    EXPECT_EQ(rows->front().text(0), "solo2@example.com");
    EXPECT_EQ(rows->front().integer(1), 1);
}

TEST_F(AccountCenterTest, EmailChangesNeedARecentPasswordOrCode) {
    Browser b = signed_up("stale");
    advance(std::chrono::minutes(6));  // past totp.step_up_window
    auto r = b.submit("/account/emails", "/account/emails/add", {{"email", "x@example.com"}});
    ASSERT_EQ(r.status, 303);
    EXPECT_THAT(r.headers.get("Location").value_or(""), HasSubstr("/account/verify?return_to="));
    EXPECT_EQ(outbox().size(), 1u);
}

TEST_F(AccountCenterTest, AWrongOldPasswordChangesNothing) {
    Browser b = signed_up("patty");
    auto r = b.submit("/account/password", "/account/password",
                      {{"old_password", "not the password"},
                       {"password", std::string(new_password)},
                       {"confirm", std::string(new_password)}});
    EXPECT_EQ(r.status, 401);
    EXPECT_THAT(r.body, HasSubstr("The current password is not correct"));
    EXPECT_EQ(signed_in("patty").cookies.empty(), false);
}

TEST_F(AccountCenterTest, ChangingThePasswordEndsTheOtherSessionsAndMailsANotice) {
    Browser b = signed_up("chang");
    verify_link(b, link_in(outbox().at(0).text));
    Browser laptop = signed_in("chang");
    ASSERT_EQ(laptop.get("/account").status, 200);
    auto weak = b.submit(
        "/account/password", "/account/password",
        {{"old_password", std::string(password)}, {"password", "short"}, {"confirm", "short"}});
    EXPECT_EQ(weak.status, 400);

    auto r = b.submit("/account/password", "/account/password",
                      {{"old_password", std::string(password)},
                       {"password", std::string(new_password)},
                       {"confirm", std::string(new_password)}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(b.get("/account").status, 200);       // this session stays
    EXPECT_EQ(laptop.get("/account").status, 303);  // the other one ended
    EXPECT_EQ(outbox().back().kind, "password_changed");
    auto form = Browser(*app_);
    auto page = form.get("/signin");
    EXPECT_EQ(form.post("/signin", {{"identifier", "chang"},
                                    {"password", std::string(new_password)},
                                    {"csrf", Browser::input_value(page.body, "csrf")}})
                  .status,
              303);
}

TEST_F(AccountCenterTest, TheSecurityTabListsSignInsWithTheirResult) {
    signed_up("histo");
    Browser wrong(*app_);
    auto form = wrong.get("/signin");
    wrong.post("/signin", {{"identifier", "histo"},
                           {"password", "definitely wrong"},
                           {"csrf", Browser::input_value(form.body, "csrf")}});
    advance(std::chrono::minutes(2));
    Browser b = signed_in("histo");
    auto page = b.get("/account/security");
    ASSERT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("Chrome / Linux"));
    EXPECT_THAT(page.body, HasSubstr("Succeeded"));
    EXPECT_THAT(page.body, HasSubstr("Failed"));
    EXPECT_THAT(page.body, HasSubstr("sign_in.failure"));  // the audit events
}

TEST_F(AccountCenterTest, ApiPatchChangesNameAndUsernameAndIgnoresEverythingElse) {
    Browser b = signed_up("apiuser");
    const std::string token = account_token(b);
    ASSERT_FALSE(token.empty());
    auto me = api(http::Method::get, "/api/v1/me", token);
    ASSERT_EQ(me.status, 200) << me.body;
    auto body = nlohmann::json::parse(me.body);
    EXPECT_EQ(body["username"], "apiuser");
    EXPECT_EQ(body["email"], "apiuser@example.com");
    EXPECT_EQ(body["email_verified"], false);

    auto before = db_->query("SELECT COUNT(*) FROM billing_accounts", {});
    auto patched = api(http::Method::patch, "/api/v1/me", token,
                       R"({"name": "API User", "balance_fen": 100000, "plan": "enterprise-512x",
                           "role": "admin", "email_verified": true, "id": 1})");
    ASSERT_EQ(patched.status, 200) << patched.body;
    auto after = nlohmann::json::parse(patched.body);
    EXPECT_EQ(after["name"], "API User");
    EXPECT_EQ(after["email_verified"], false);
    EXPECT_EQ(after["id"], body["id"]);
    auto billing = db_->query("SELECT COUNT(*) FROM billing_accounts", {});
    EXPECT_EQ(billing->front().integer(0), before->front().integer(0));
    auto verified =
        db_->query("SELECT COUNT(*) FROM user_emails WHERE verified_at IS NOT NULL", {});
    EXPECT_EQ(verified->front().integer(0), 0);

    auto bad = api(http::Method::patch, "/api/v1/me", token, R"({"username": "1234"})");
    EXPECT_EQ(bad.status, 400);
    auto renamed = api(http::Method::patch, "/api/v1/me", token, R"({"username": "api-user2"})");
    ASSERT_EQ(renamed.status, 200);
    EXPECT_EQ(nlohmann::json::parse(renamed.body)["username"], "api-user2");

    for (const auto* path : {"/api/v1/me/emails", "/api/v1/me/sessions", "/api/v1/me/signins"}) {
        auto r = api(http::Method::get, path, token);
        EXPECT_EQ(r.status, 200) << path << r.body;
    }
    EXPECT_EQ(api(http::Method::get, "/api/v1/me", "not-a-token").status, 401);
}

TEST_F(AccountCenterTest, AnUploadedAvatarIsServedFromOurOriginAndBombsAreRefused) {
    Browser b = signed_up("avatar");
    auto saved = upload(b, png_of(32, 32));
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(saved.headers.get("Location"), "/account?notice=avatar_saved");
    const auto id = std::to_string(user_id("avatar"));
    auto image = get("/avatars/" + id, "image/*");
    ASSERT_EQ(image.status, 200);
    EXPECT_EQ(image.headers.get("Content-Type"), "image/png");
    EXPECT_EQ(image.headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_THAT(image.headers.get("Content-Security-Policy").value_or(""),
                HasSubstr("default-src 'none'"));
    EXPECT_EQ(image.body, png_of(32, 32));
    EXPECT_THAT(b.get("/account").body, HasSubstr("src=\"/avatars/" + id + "?v="));

    // A PNG whose header declares 20000 × 20000, with the IHDR's CRC fixed up: refused.
    std::string bomb = png_of(4, 4);
    for (int at : {16, 20}) {
        bomb[at] = 0;
        bomb[at + 1] = 0;
        bomb[at + 2] = static_cast<char>(0x4e);
        bomb[at + 3] = static_cast<char>(0x20);
    }
    std::uint32_t crc = 0xffffffffU;
    for (unsigned char c : bomb.substr(12, 17)) {
        crc ^= c;
        for (int k = 0; k < 8; ++k) {
            crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1U)));
        }
    }
    crc = ~crc;
    for (int i = 0; i < 4; ++i) {
        bomb[29 + i] = static_cast<char>((crc >> (24 - 8 * i)) & 0xff);
    }
    EXPECT_EQ(upload(b, bomb).headers.get("Location"), "/account?avatar_error=too_many_pixels");
    EXPECT_EQ(upload(b, "GIF89a not a png").headers.get("Location"),
              "/account?avatar_error=not_an_image");
    config_.account.avatar_max_bytes = 100;
    start_app();  // the same database and session, a new app
    Browser same(*app_);
    same.cookies = b.cookies;
    EXPECT_EQ(upload(same, png_of(64, 64)).headers.get("Location"),
              "/account?avatar_error=too_large");
    // The refused uploads left the first one in place.
    EXPECT_EQ(get("/avatars/" + id, "image/*").body, png_of(32, 32));
    EXPECT_EQ(get("/avatars/999999", "image/*").status, 404);
}

TEST_F(AccountCenterTest, AnAccountWithoutPasswordPassesTheGuardWithAMailedCode) {
    Browser b = signed_up("nopass");
    verify_link(b, link_in(outbox().at(0).text));
    ASSERT_TRUE(
        db_->execute("UPDATE users SET password_hash = NULL WHERE username = 'nopass'", {}));
    advance(std::chrono::minutes(6));
    auto gated = b.get("/account/password");
    ASSERT_EQ(gated.status, 303);
    const std::string verify = gated.headers.get("Location").value_or("");
    ASSERT_TRUE(verify.starts_with("/account/verify?return_to=")) << verify;
    auto page = b.get(verify);
    EXPECT_THAT(page.body, HasSubstr("Send me a code by email"));
    EXPECT_THAT(page.body, Not(HasSubstr("name=\"password\"")));
    auto sent = b.post("/account/verify/email-code",
                       {{"csrf", Browser::csrf_of(page.body)}, {"return_to", "/account/password"}});
    ASSERT_EQ(sent.status, 303);
    EXPECT_THAT(sent.headers.get("Location").value_or(""), HasSubstr("code=sent"));
    auto mail = outbox().back();
    EXPECT_EQ(mail.kind, "step_up_code");
    const auto at = mail.text.find_first_of("0123456789");
    const std::string code = mail.text.substr(at, 6);
    // A second request within the minute sends nothing.
    auto again = b.post("/account/verify/email-code", {{"csrf", Browser::csrf_of(page.body)},
                                                       {"return_to", "/account/password"}});
    EXPECT_THAT(again.headers.get("Location").value_or(""), HasSubstr("code=wait"));
    EXPECT_EQ(outbox().back().kind, "step_up_code");
    EXPECT_EQ(outbox().size(), 2u);  // the sign-up's link and one code

    auto wrong =
        b.post("/account/verify", {{"csrf", Browser::csrf_of(page.body)},
                                   {"return_to", "/account/password"},
                                   {"email_code", code == "000000" ? "111111" : "000000"}});
    EXPECT_EQ(wrong.status, 401);
    auto passed = b.post("/account/verify", {{"csrf", Browser::csrf_of(page.body)},
                                             {"return_to", "/account/password"},
                                             {"email_code", code}});
    ASSERT_EQ(passed.status, 303);
    EXPECT_EQ(passed.headers.get("Location"), "/account/password");
    auto form = b.get("/account/password");
    ASSERT_EQ(form.status, 200);
    EXPECT_THAT(form.body, HasSubstr("Set a password"));
    EXPECT_THAT(form.body, Not(HasSubstr("old_password")));
    auto set = b.post("/account/password", {{"csrf", Browser::csrf_of(form.body)},
                                            {"password", std::string(new_password)},
                                            {"confirm", std::string(new_password)}});
    EXPECT_EQ(set.headers.get("Location"), "/account/password?notice=set");
    // The code was single use.
    auto reuse = b.post("/account/verify", {{"csrf", Browser::csrf_of(page.body)},
                                            {"return_to", "/account/password"},
                                            {"email_code", code}});
    EXPECT_NE(reuse.status, 303);
}

}  // namespace
}  // namespace idpd::testing_support
