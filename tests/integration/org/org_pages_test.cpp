// Organizations in a browser: create with a unique handle, invite by email (a mail with a
// 7-day link that only the holder of the verified address can accept), roles enforced on every
// action, an owner who cannot leave, transfers behind step-up, and the billing pages following
// the chosen context without anything moving between accounts.
#include <gmock/gmock.h>

#include "account/user_store.h"
#include "billing/account_store.h"
#include "billing/ledger.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"

namespace idpd::testing_support {
namespace {

using namespace std::chrono_literals;
using testing::HasSubstr;
using testing::Not;

class OrgPagesTest : public AppTest {
protected:
    Browser signed_up(const std::string& name) {
        Browser b(*app_);
        b.accept_language = "en";
        auto r = b.submit("/signup", "/signup",
                          {{"username", name},
                           {"email", name + "@example.com"},
                           {"password", "correct horse battery"},
                           {"confirm", "correct horse battery"},
                           {"accept_terms", "1"}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    std::int64_t user_id(const std::string& name) {
        return account::UserStore(*db_).find_by_username(name).value().id;
    }

    void verify_email(const std::string& name) {
        auto address = account::parse_email_address(name + "@example.com").value();
        ASSERT_TRUE(account::UserStore(*db_).mark_email_verified(user_id(name), address, now()));
    }

    std::chrono::sys_seconds now() {
        return std::chrono::time_point_cast<std::chrono::seconds>(
            std::chrono::system_clock::now() + std::chrono::milliseconds(clock_offset_ms_));
    }

    // Creates an organization in `b` and returns its center's path.
    std::string create(Browser& b, const std::string& name) {
        auto r = b.submit("/account/orgs", "/account/orgs",
                          {{"name", name}, {"display_name", name + " Ltd"}});
        EXPECT_EQ(r.status, 303);
        const auto location = r.headers.get("Location").value_or("");
        EXPECT_THAT(location, HasSubstr("?done=created"));
        return location.substr(0, location.find('?'));
    }

    // The page a POST's 303 leads to.
    std::string after(Browser& b, const http::HttpResponse& r) {
        EXPECT_EQ(r.status, 303) << r.body;
        return b.get(r.headers.get("Location").value_or("/")).body;
    }

    std::string last_mail_token() {
        auto rows = db_->query(
            "SELECT text_body FROM outbox WHERE kind = 'org_invitation' "
            "ORDER BY id DESC",
            {});
        EXPECT_TRUE(rows && !rows->empty());
        if (!rows || rows->empty()) {
            return {};
        }
        const std::string body = rows->front().text(0);
        const std::string marker = "/account/orgs/invitation?token=";
        const auto at = body.find(marker);
        EXPECT_NE(at, std::string::npos) << body;
        return body.substr(at + marker.size(), 64);
    }

    // `who` follows the mail's link and presses accept.
    http::HttpResponse accept_by_link(Browser& who, const std::string& token) {
        auto page = who.get("/account/orgs/invitation?token=" + token);
        EXPECT_EQ(page.status, 200);
        const std::string marker = "action=\"/account/orgs/invitations/";
        const auto at = page.body.find(marker);
        if (at == std::string::npos) {
            return page;
        }
        const auto id = page.body.substr(
            at + marker.size(), page.body.find('/', at + marker.size()) - at - marker.size());
        return who.post("/account/orgs/invitations/" + id + "/accept",
                        {{"csrf", Browser::csrf_of(page.body)}});
    }

    // bob joins alice's organization `center` as `role` through an email invitation.
    void join(Browser& alice, const std::string& center, Browser& bob, const std::string& name,
              const std::string& role = "member") {
        verify_email(name);
        after(alice, alice.submit(center, center + "/invitations",
                                  {{"invitee", name + "@example.com"}, {"role", role}}));
        auto joined = accept_by_link(bob, last_mail_token());
        EXPECT_THAT(after(bob, joined), HasSubstr("You joined the organization."));
    }

    std::int64_t org_id(const std::string& center) {
        return std::stoll(center.substr(center.rfind('/') + 1));
    }

    billing::Account account_of(billing::OwnerKind kind, std::int64_t id) {
        return billing::AccountStore(*db_).open({kind, id}, "free-2x", now()).value();
    }
};

TEST_F(OrgPagesTest, CreatingNeedsAUniqueHandleAndTheCreatorOwnsIt) {
    Browser alice = signed_up("alice");
    const std::string center = create(alice, "Acme");
    auto page = alice.get(center);
    ASSERT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("Acme Ltd"));
    EXPECT_THAT(page.body, HasSubstr("id=\"my-role\">Owner<"));
    EXPECT_THAT(page.body, HasSubstr("Everything an admin may do"));  // the roles are stated
    EXPECT_THAT(alice.get("/account/orgs").body, HasSubstr("acme"));
    Browser bob = signed_up("bobby");
    auto taken =
        bob.submit("/account/orgs", "/account/orgs", {{"name", "ACME"}, {"display_name", "Other"}});
    EXPECT_THAT(after(bob, taken), HasSubstr("Another organization already has this name."));
    auto bad =
        bob.submit("/account/orgs", "/account/orgs", {{"name", "<b>"}, {"display_name", "Other"}});
    EXPECT_THAT(after(bob, bad), HasSubstr("A name has 3 to 32 lowercase letters"));
    // Nobody else sees it.
    EXPECT_EQ(bob.get(center).status, 404);
    // Without the CSRF token nothing is created.
    EXPECT_EQ(bob.post("/account/orgs", {{"name", "beta"}, {"display_name", "B"}}).status, 403);
    EXPECT_THAT(bob.get("/account/orgs").body, HasSubstr("You do not belong to any organization"));
}

TEST_F(OrgPagesTest, AnEmailInvitationIsAcceptedOnlyByTheVerifiedHolderWithinSevenDays) {
    Browser alice = signed_up("alice");
    Browser bob = signed_up("bobby");
    Browser carol = signed_up("carol");
    const std::string center = create(alice, "acme");
    after(alice, alice.submit(center, center + "/invitations",
                              {{"invitee", "bobby@example.com"}, {"role", "admin"}}));
    auto mail =
        db_->query("SELECT recipient, subject FROM outbox WHERE kind = 'org_invitation'", {});
    ASSERT_TRUE(mail && mail->size() == 1u);
    EXPECT_EQ(mail->front().text(0), "bobby@example.com");
    EXPECT_THAT(mail->front().text(1), HasSubstr("alice"));
    const std::string token = last_mail_token();
    // The wrong account, and the right one before verifying the address, are refused.
    EXPECT_THAT(after(carol, accept_by_link(carol, token)),
                HasSubstr("This invitation is for another account or email address."));
    EXPECT_THAT(after(bob, accept_by_link(bob, token)),
                HasSubstr("This invitation is for another account or email address."));
    verify_email("bobby");
    EXPECT_THAT(bob.get("/account/orgs").body, HasSubstr("Invitations waiting for you"));
    EXPECT_THAT(after(bob, accept_by_link(bob, token)), HasSubstr("You joined the organization."));
    EXPECT_THAT(bob.get(center).body, HasSubstr("id=\"my-role\">Admin<"));
    // A second invitation runs out after 7 days.
    verify_email("carol");
    after(alice, alice.submit(center, center + "/invitations",
                              {{"invitee", "carol@example.com"}, {"role", "member"}}));
    const std::string late = last_mail_token();
    advance(7 * 24h + 1s);
    Browser later(*app_);  // the old session has expired by now
    later.accept_language = "en";
    auto form = later.get("/signin");
    later.post("/signin", {{"identifier", "carol"},
                           {"password", "correct horse battery"},
                           {"csrf", Browser::input_value(form.body, "csrf")}});
    EXPECT_THAT(later.get("/account/orgs/invitation?token=" + late).body,
                HasSubstr("This invitation has expired."));
    auto id = db_->query("SELECT id FROM org_invitations WHERE invitee_email = ?",
                         {std::string("carol@example.com")});
    auto orgs_page = later.get("/account/orgs");
    EXPECT_THAT(orgs_page.body, Not(HasSubstr("Invitations waiting for you")));
    auto refused = later.post(
        "/account/orgs/invitations/" + std::to_string(id->front().integer(0)) + "/accept",
        {{"csrf", Browser::csrf_of(orgs_page.body)}});
    EXPECT_THAT(after(later, refused), HasSubstr("This invitation has expired."));
    EXPECT_EQ(db_->query("SELECT COUNT(*) FROM org_members WHERE user_id = ?", {user_id("carol")})
                  ->front()
                  .integer(0),
              0);
}

TEST_F(OrgPagesTest, RolesAreEnforcedAndTheOwnerCannotLeave) {
    Browser alice = signed_up("alice");
    Browser bob = signed_up("bobby");
    signed_up("carol");
    const std::string center = create(alice, "acme");
    join(alice, center, bob, "bobby");
    const std::string alice_id = std::to_string(user_id("alice"));
    // A member may not invite, change roles or remove.
    EXPECT_THAT(after(bob, bob.submit(center, center + "/invitations",
                                      {{"invitee", "carol"}, {"role", "member"}})),
                HasSubstr("Your role in this organization does not allow this."));
    EXPECT_THAT(after(bob, bob.submit(center, center + "/members/" + alice_id + "/role",
                                      {{"role", "member"}})),
                HasSubstr("does not allow this"));
    EXPECT_THAT(after(bob, bob.submit(center, center + "/members/" + alice_id + "/remove", {})),
                HasSubstr("does not allow this"));
    EXPECT_THAT(after(bob, bob.submit(center, center + "/delete", {})),
                HasSubstr("does not allow this"));
    // The owner cannot leave; the member can.
    EXPECT_THAT(after(alice, alice.submit(center, center + "/leave", {})),
                HasSubstr("Transfer ownership first."));
    EXPECT_THAT(after(bob, bob.submit(center, center + "/leave", {})),
                HasSubstr("You left the organization."));
    EXPECT_EQ(bob.get(center).status, 404);
}

TEST_F(OrgPagesTest, TransferAsksForStepUpAndLeavesOneOwner) {
    Browser alice = signed_up("alice");
    Browser bob = signed_up("bobby");
    const std::string center = create(alice, "acme");
    join(alice, center, bob, "bobby");
    const std::string bob_id = std::to_string(user_id("bobby"));
    advance(6min);  // past totp.step_up_window
    auto gated = alice.submit(center, center + "/transfer", {{"user", bob_id}});
    ASSERT_EQ(gated.status, 303);
    EXPECT_THAT(gated.headers.get("Location").value_or(""), HasSubstr("/account/verify"));
    EXPECT_THAT(alice.get(center).body, HasSubstr("id=\"my-role\">Owner<"));
    // Fresh from a password: the transfer goes through.
    Browser again(*app_);
    again.accept_language = "en";
    auto form = again.get("/signin");
    again.post("/signin", {{"identifier", "alice"},
                           {"password", "correct horse battery"},
                           {"csrf", Browser::input_value(form.body, "csrf")}});
    EXPECT_THAT(after(again, again.submit(center, center + "/transfer", {{"user", bob_id}})),
                HasSubstr("Ownership was transferred."));
    EXPECT_THAT(again.get(center).body, HasSubstr("id=\"my-role\">Admin<"));
    EXPECT_THAT(bob.get(center).body, HasSubstr("id=\"my-role\">Owner<"));
    auto owners = db_->query("SELECT COUNT(*) FROM org_members WHERE org_id = ? AND role = 'owner'",
                             {org_id(center)});
    EXPECT_EQ(owners->front().integer(0), 1);
}

TEST_F(OrgPagesTest, BillingPagesFollowTheContextAndNothingMovesBetweenAccounts) {
    Browser alice = signed_up("alice");
    Browser bob = signed_up("bobby");
    const std::string center = create(alice, "acme");
    join(alice, center, bob, "bobby");
    const auto org = account_of(billing::OwnerKind::org, org_id(center));
    const auto personal = account_of(billing::OwnerKind::user, user_id("alice"));
    ASSERT_TRUE(
        billing::credit(*db_, {org.id, billing::EntryType::top_up, 20'000, "T1", "t1"}, now()));
    std::string page = alice.get("/account/billing", "en").body;
    EXPECT_THAT(page, HasSubstr("id=\"billing-context\">alice<"));
    EXPECT_THAT(page, HasSubstr("¥0.00"));
    auto switched = alice.submit("/account/billing", "/account/billing/context",
                                 {{"org", std::to_string(org_id(center))}});
    page = after(alice, switched);
    EXPECT_THAT(page, HasSubstr("id=\"billing-context\">acme Ltd (acme)<"));
    EXPECT_THAT(page, HasSubstr("¥200.00"));
    // The owner upgrades the organization's plan from its balance; the person's is untouched.
    after(alice, alice.submit("/account/billing", "/account/billing/plan", {{"plan", "pro-8x"}}));
    EXPECT_EQ(billing::AccountStore(*db_).get(org.id)->plan, "pro-8x");
    EXPECT_EQ(billing::AccountStore(*db_).get(org.id)->balance_fen, 10'100);
    EXPECT_EQ(billing::AccountStore(*db_).get(personal.id)->balance_fen, 0);
    EXPECT_EQ(billing::AccountStore(*db_).get(personal.id)->plan, "free-2x");
    EXPECT_THAT(alice.get("/account/billing/records", "en").body, HasSubstr("T1"));
    // A member sees the organization's billing but cannot change the plan or redeem.
    after(bob, bob.submit("/account/billing", "/account/billing/context",
                          {{"org", std::to_string(org_id(center))}}));
    page = bob.get("/account/billing", "en").body;
    EXPECT_THAT(page, HasSubstr("¥101.00"));
    EXPECT_THAT(page, HasSubstr("view only"));
    EXPECT_THAT(page, Not(HasSubstr("action=\"/account/billing/plan\"")));
    auto refused = bob.submit("/account/billing", "/account/billing/plan", {{"plan", "free-2x"}});
    EXPECT_THAT(after(bob, refused), HasSubstr("only the organization&#39;s owner or an admin"));
    EXPECT_FALSE(billing::AccountStore(*db_).get(org.id)->next_plan.has_value());
    // Removed, bob falls back to his own account.
    after(alice,
          alice.submit(center, center + "/members/" + std::to_string(user_id("bobby")) + "/remove",
                       {}));
    page = bob.get("/account/billing", "en").body;
    EXPECT_THAT(page, HasSubstr("id=\"billing-context\">bobby<"));
    EXPECT_THAT(page, HasSubstr("¥0.00"));
    // A context one does not belong to cannot be chosen.
    after(bob, bob.submit("/account/billing", "/account/billing/context",
                          {{"org", std::to_string(org_id(center))}}));
    EXPECT_THAT(bob.get("/account/billing", "en").body, HasSubstr("id=\"billing-context\">bobby<"));
}

TEST_F(OrgPagesTest, AnOrganizationWithMoneyCannotBeDeleted) {
    Browser alice = signed_up("alice");
    const std::string center = create(alice, "acme");
    const auto org = account_of(billing::OwnerKind::org, org_id(center));
    ASSERT_TRUE(
        billing::credit(*db_, {org.id, billing::EntryType::top_up, 100, "T1", "t1"}, now()));
    EXPECT_THAT(after(alice, alice.submit(center, center + "/delete", {})),
                HasSubstr("balance is not zero"));
    ASSERT_TRUE(
        billing::debit(*db_, {org.id, billing::EntryType::charge, 100, "use", "u1"}, now()));
    EXPECT_THAT(after(alice, alice.submit(center, center + "/delete", {})),
                HasSubstr("The organization was deleted."));
    EXPECT_EQ(alice.get(center).status, 404);
}

}  // namespace
}  // namespace idpd::testing_support
