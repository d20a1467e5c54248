// Deleting an account through the whole app in-process (issue 9 item 10): the Delete tab's
// guards (step-up, the typed username, organization owners), the banner and Cancel, the page
// after a sign-in during the grace period, and the janitor's sweep after it (injected clock):
// sessions and refresh grants end, the username and address become free, the ledger stays.
#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "account/user_store.h"
#include "app/janitor.h"
#include "billing/account_store.h"
#include "billing/ledger.h"
#include "integration/oidc/rp_fixture.h"
#include "org/org_store.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

constexpr auto day = std::chrono::hours(24);

class AccountDeletionTest : public RpTest {
protected:
    std::int64_t user_id(const std::string& username) {
        auto user = account::UserStore(*db_).find_by_username(username);
        return user ? user->id : -1;
    }

    // The app's clock, as the pages see it.
    std::chrono::sys_seconds app_now() {
        return std::chrono::time_point_cast<std::chrono::seconds>(
            std::chrono::system_clock::now() + std::chrono::milliseconds(clock_offset_ms_));
    }

    // One janitor pass at the app's time, with the app's account deletion.
    app::SweepReport sweep() {
        app::Janitor janitor(
            *db_,
            [this] {
                return std::chrono::system_clock::now() +
                       std::chrono::milliseconds(clock_offset_ms_);
            },
            std::chrono::hours(1));
        janitor.delete_accounts_with(app_->account_deletion());
        return janitor.sweep();
    }

    // Marks the user's addresses verified, so notices are mailed to them.
    void verify_emails(std::int64_t id) {
        ASSERT_TRUE(db_->execute("UPDATE user_emails SET verified_at = 1 WHERE user_id = ?", {id}));
    }

    std::vector<std::string> mail_kinds() {
        auto rows = db_->query("SELECT kind FROM outbox ORDER BY id", {});
        std::vector<std::string> out;
        for (const auto& row : rows.value_or(store::Rows{})) {
            out.push_back(row.text(0));
        }
        return out;
    }

    std::int64_t audit_count(const std::string& type, std::int64_t id) {
        return count("SELECT COUNT(*) FROM audit_events WHERE type = '" + type +
                     "' AND user_id = " + std::to_string(id));
    }

    bool scheduled(std::int64_t id) {
        return account::UserStore(*db_).find_by_id(id).value().deletion_scheduled_at.has_value();
    }

    http::HttpResponse confirm(Browser& b, const std::string& typed) {
        return b.submit("/account/delete", "/account/delete", {{"username", typed}});
    }

    http::HttpResponse refresh(const std::string& client_id, const std::string& token) {
        return post("/token", "grant_type=refresh_token&client_id=" + client_id +
                                  "&refresh_token=" + http::url_encode(token));
    }
};

TEST_F(AccountDeletionTest, TheTabExplainsAndAWrongUsernameChangesNothing) {
    Browser b = signed_up("delia");
    auto page = b.get("/account/delete");
    ASSERT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("href=\"/account/delete\" aria-current=\"page\""));
    EXPECT_THAT(page.body, HasSubstr("deleted 7 days after you confirm"));
    auto wrong = confirm(b, "delio");
    EXPECT_EQ(wrong.status, 400);
    EXPECT_THAT(wrong.body, HasSubstr("That is not your username. Nothing was changed."));
    EXPECT_EQ(confirm(b, "").status, 400);
    EXPECT_FALSE(scheduled(user_id("delia")));
    EXPECT_EQ(audit_count("account.deletion_scheduled", user_id("delia")), 0);
}

TEST_F(AccountDeletionTest, TheStepUpGuardComesFirst) {
    Browser b = signed_up("stepper");
    const std::string csrf = Browser::csrf_of(b.get("/account/delete").body);
    advance(std::chrono::minutes(10));  // past totp.step_up_window (5m) since the sign-in
    auto page = b.get("/account/delete");
    EXPECT_EQ(page.status, 303);
    EXPECT_EQ(page.headers.get("Location").value_or(""),
              "/account/verify?return_to=%2Faccount%2Fdelete");
    auto posted = b.post("/account/delete", {{"csrf", csrf}, {"username", "stepper"}});
    EXPECT_EQ(posted.status, 303);
    EXPECT_THAT(posted.headers.get("Location").value_or(""), HasSubstr("/account/verify"));
    EXPECT_FALSE(scheduled(user_id("stepper")));
    // The password typed again on the verify page opens the form.
    auto verified =
        b.submit("/account/verify?return_to=%2Faccount%2Fdelete", "/account/verify",
                 {{"password", std::string(password)}, {"return_to", "/account/delete"}});
    EXPECT_EQ(verified.status, 303);
    EXPECT_EQ(confirm(b, "stepper").status, 303);
    EXPECT_TRUE(scheduled(user_id("stepper")));
}

TEST_F(AccountDeletionTest, AnOwnerIsRefusedWithTheOrganizationsListed) {
    Browser b = signed_up("owner-1");
    auto org = org::OrgStore(*db_).create(user_id("owner-1"), "acme-co", "Acme Co", app_now());
    ASSERT_TRUE(org);
    auto page = b.get("/account/delete");
    EXPECT_THAT(page.body, HasSubstr("Transfer your organizations first"));
    EXPECT_THAT(page.body, HasSubstr("href=\"/account/orgs/" + std::to_string(org->id) + "\""));
    EXPECT_THAT(page.body, Not(HasSubstr("data-delete-account")));
    auto posted =
        b.post("/account/delete", {{"csrf", Browser::csrf_of(page.body)}, {"username", "owner-1"}});
    EXPECT_EQ(posted.status, 409);
    EXPECT_FALSE(scheduled(user_id("owner-1")));
}

TEST_F(AccountDeletionTest, SchedulingShowsTheBannerEndsOtherSessionsAndCancels) {
    Browser b = signed_up("banner-1");
    Browser other = signed_in("banner-1");
    const auto id = user_id("banner-1");
    verify_emails(id);
    auto done = confirm(b, "banner-1");
    ASSERT_EQ(done.status, 303);
    EXPECT_EQ(done.headers.get("Location").value_or(""), "/account/delete?notice=scheduled");
    EXPECT_TRUE(scheduled(id));
    EXPECT_EQ(audit_count("account.deletion_scheduled", id), 1);
    EXPECT_EQ(mail_kinds().back(), "account_deletion_scheduled");
    EXPECT_EQ(other.get("/account").status, 303);  // signed out

    auto emails = b.get("/account/emails");
    ASSERT_EQ(emails.status, 200);
    EXPECT_THAT(emails.body, HasSubstr("data-deletion-banner"));
    EXPECT_THAT(emails.body, HasSubstr("Your account is scheduled for deletion on "));
    EXPECT_THAT(b.get("/account/delete").body, HasSubstr("data-deletion-scheduled"));

    auto cancelled =
        b.submit("/account/emails", "/account/delete/cancel", {{"return_to", "/account/emails"}});
    ASSERT_EQ(cancelled.status, 303);
    EXPECT_EQ(cancelled.headers.get("Location").value_or(""), "/account/delete?notice=cancelled");
    EXPECT_FALSE(scheduled(id));
    EXPECT_EQ(audit_count("account.deletion_cancelled", id), 1);
    EXPECT_EQ(mail_kinds().back(), "account_deletion_cancelled");
    EXPECT_THAT(b.get("/account/emails").body, Not(HasSubstr("data-deletion-banner")));
    // A second cancel changes nothing and says so.
    auto again = b.submit("/account/delete", "/account/delete/cancel", {{"return_to", "/account"}});
    EXPECT_EQ(again.headers.get("Location").value_or(""), "/account/delete?notice=not_scheduled");
    EXPECT_EQ(audit_count("account.deletion_cancelled", id), 1);
}

TEST_F(AccountDeletionTest, ASignInDuringTheGracePeriodShowsThePageThenTheAuthorization) {
    add_client("grace-app");
    Browser first = signed_up("graceful");
    ASSERT_EQ(confirm(first, "graceful").status, 303);

    Browser b(*app_);
    b.accept_language = "en";
    const std::string authorize = authorize_url("grace-app");
    auto form = b.get("/signin?return_to=" + http::url_encode(authorize));
    auto signed_in = b.post("/signin", {{"identifier", "graceful"},
                                        {"password", std::string(password)},
                                        {"return_to", authorize},
                                        {"csrf", Browser::input_value(form.body, "csrf")}});
    ASSERT_EQ(signed_in.status, 303) << signed_in.body;
    const auto location = signed_in.headers.get("Location").value_or("");
    EXPECT_EQ(location, "/account/delete/scheduled?return_to=" + http::url_encode(authorize));
    auto page = b.get(location);
    ASSERT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("Your account will be deleted on "));
    EXPECT_THAT(page.body, HasSubstr("data-cancel-deletion"));
    EXPECT_THAT(page.body, HasSubstr("data-continue"));
    // Continue: the authorization goes on (the account still exists; the user may cancel).
    EXPECT_FALSE(code_from(b.get(authorize)).empty());
    // Cancel from this page also resumes the authorization.
    auto cancelled = b.post("/account/delete/cancel",
                            {{"csrf", Browser::csrf_of(page.body)}, {"return_to", authorize}});
    EXPECT_EQ(cancelled.headers.get("Location").value_or(""), authorize);
    EXPECT_FALSE(scheduled(user_id("graceful")));
}

TEST_F(AccountDeletionTest, TheSweepAfterTheGraceDeletesButKeepsTheLedger) {
    // Sessions that would outlive the grace period, to see the sweep end them.
    config_.sessions.idle_timeout = std::chrono::days(30);
    config_.sessions.absolute_timeout = std::chrono::days(60);
    start_app();
    add_client("rp-del", {}, [](oidc::Client& c) {
        c.grant_types.emplace_back("refresh_token");
        c.scopes.emplace_back("offline_access");
    });
    Browser b = signed_up("leaver");
    const auto id = user_id("leaver");
    verify_emails(id);
    auto tokens = redeem(
        "rp-del", code_from(b.get(authorize_url("rp-del", {{"scope", "openid offline_access"}}))));
    const std::string refresh_token = tokens.value("refresh_token", "");
    ASSERT_FALSE(refresh_token.empty());
    auto account =
        billing::AccountStore(*db_).open({billing::OwnerKind::user, id}, "free-2x", app_now());
    ASSERT_TRUE(account);
    ASSERT_TRUE(billing::credit(*db_, {account->id, billing::EntryType::top_up, 500, "T1", "k1"},
                                app_now()));
    ASSERT_EQ(confirm(b, "leaver").status, 303);

    EXPECT_EQ(sweep().accounts_deleted, 0u);  // not due yet
    advance(6 * day);
    EXPECT_EQ(sweep().accounts_deleted, 0u);
    EXPECT_EQ(b.get("/account").status, 200);
    auto refreshed = refresh("rp-del", refresh_token);
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;  // tokens keep working in the grace
    const std::string next = nlohmann::json::parse(refreshed.body).value("refresh_token", "");

    advance(2 * day);
    EXPECT_EQ(sweep().accounts_deleted, 1u);
    EXPECT_EQ(sweep().accounts_deleted, 0u);  // once only
    EXPECT_EQ(b.get("/account").status, 303);
    auto refused = refresh("rp-del", next);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(nlohmann::json::parse(refused.body).value("error", ""), "invalid_grant");

    auto row = account::UserStore(*db_).find_by_id(id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->username, "deleted:" + std::to_string(id));
    EXPECT_FALSE(row->is_active());
    EXPECT_FALSE(row->has_password());
    EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM user_emails WHERE user_id = " + std::to_string(id)), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM billing_ledger WHERE account_id = " +
                    std::to_string(account->id)),
              1);
    EXPECT_EQ(audit_count("account.deleted", id), 1);
    EXPECT_EQ(audit_count("account.deletion_scheduled", id), 1);  // the log stays
    EXPECT_EQ(mail_kinds().back(), "account_deletion_deleted");

    // The name and the address are free: the same sign-up works, as a new account.
    Browser old(*app_);
    auto form = old.get("/signin");
    auto signin = old.post("/signin", {{"identifier", "leaver"},
                                       {"password", std::string(password)},
                                       {"csrf", Browser::input_value(form.body, "csrf")}});
    EXPECT_NE(signin.status, 303);
    signed_up("leaver");
    EXPECT_GT(user_id("leaver"), id);
    EXPECT_EQ(count("SELECT COUNT(*) FROM user_emails WHERE email = 'leaver@example.com'"), 1);
}

TEST_F(AccountDeletionTest, AnOwnerByTheTimeOfTheSweepIsNotDeleted) {
    Browser b = signed_up("late-owner");
    const auto id = user_id("late-owner");
    verify_emails(id);
    ASSERT_EQ(confirm(b, "late-owner").status, 303);
    ASSERT_TRUE(org::OrgStore(*db_).create(id, "late-co", "Late Co", app_now()));
    advance(8 * day);
    EXPECT_EQ(sweep().accounts_deleted, 0u);
    auto row = account::UserStore(*db_).find_by_id(id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->username, "late-owner");
    EXPECT_FALSE(row->deletion_scheduled_at);
    EXPECT_EQ(mail_kinds().back(), "account_deletion_refused");
    EXPECT_EQ(audit_count("account.deletion_cancelled", id), 1);
}

}  // namespace
}  // namespace idpd::testing_support
