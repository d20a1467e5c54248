// The WeChat official-account links on every backend (schema 0040): a scene links once and not
// after it expired, one openid belongs to one account (a later scan moves it), an account has
// one openid, and unsubscribe unlinks; the Notifier then queues a wechat row to the openid.
#include "notify/wechat_link_store.h"

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "account/username_rules.h"
#include "conformance/backend.h"
#include "notify/notifier.h"

namespace idpd::conformance {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using Kind = notify::LinkOutcome::Kind;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

std::int64_t add_user(store::Database& db, std::string_view name) {
    auto username = account::check_username(name);
    EXPECT_TRUE(username);
    auto user = account::UserStore{db}.create({*username, std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user) << user.error().message;
    return user ? user->id : 0;
}

notify::LinkOutcome scan(store::Database& db, std::string_view scene, std::string_view openid,
                         std::chrono::sys_seconds at) {
    notify::LinkOutcome out;
    auto done = db.transaction([&](store::Database& tx) -> store::Result<void> {
        auto linked = notify::WechatLinkStore{tx}.link_by_scene(scene, openid, at);
        if (!linked) {
            return std::unexpected(linked.error());
        }
        out = *linked;
        return {};
    });
    EXPECT_TRUE(done) << done.error().message;
    return out;
}

TEST_P(StoreTest, AWechatSceneLinksOnceAndAnOpenidBelongsToOneAccount) {
    notify::WechatLinkStore links{*db_};
    const auto alice = add_user(*db_, "alice");
    const auto bob = add_user(*db_, "bobby");
    ASSERT_TRUE(links.add_scene("scene-alice", alice, minutes(10), t0));
    ASSERT_TRUE(links.add_scene("scene-late", alice, minutes(10), t0));
    ASSERT_TRUE(links.add_scene("scene-bob", bob, minutes(10), t0));

    EXPECT_EQ(scan(*db_, "scene-late", "oAlice", t0 + minutes(11)).kind, Kind::unknown)
        << "expired";
    auto first = scan(*db_, "scene-alice", "oAlice", t0 + seconds(5));
    EXPECT_EQ(first.kind, Kind::linked);
    EXPECT_EQ(first.user_id, alice);
    EXPECT_EQ(scan(*db_, "scene-alice", "oAlice", t0 + seconds(6)).kind, Kind::unknown)
        << "a replay";
    EXPECT_EQ(scan(*db_, "never-issued", "oAlice", t0).kind, Kind::unknown);
    EXPECT_EQ(links.openid_of(alice).value(), std::optional<std::string>("oAlice"));

    // The same WeChat scans Bob's code: the openid moves to Bob.
    auto moved = scan(*db_, "scene-bob", "oAlice", t0 + seconds(7));
    EXPECT_EQ(moved.kind, Kind::linked);
    EXPECT_EQ(moved.previous_owner, std::optional<std::int64_t>(alice));
    EXPECT_EQ(links.openid_of(alice).value(), std::nullopt);
    EXPECT_EQ(links.openid_of(bob).value(), std::optional<std::string>("oAlice"));

    EXPECT_EQ(links.unlink_openid("oAlice").value(), std::optional<std::int64_t>(bob));
    EXPECT_EQ(links.unlink_openid("oAlice").value(), std::nullopt);
    EXPECT_FALSE(links.unlink_user(bob).value());
}

TEST_P(StoreTest, TheNotifierQueuesAWechatRowOnlyForALinkedAccountThatWantsIt) {
    const auto alice = add_user(*db_, "alice");
    notify::WechatLinkStore links{*db_};
    ASSERT_TRUE(links.add_scene("s1", alice, minutes(10), t0));
    const notify::Notifier notifier{{"tmpl-sec", "", "", ""}};
    const notify::Notice notice{"password_changed",
                                "Subject",
                                "Body\n",
                                "SMS text",
                                {{"first", "Subject"}},
                                "https://id.example.com/account"};
    auto before = notifier.send(*db_, alice, notify::NoticeEvent::security, notice,
                                {"alice@example.com", std::nullopt}, t0);
    ASSERT_TRUE(before) << before.error().message;
    EXPECT_TRUE(before->email);
    EXPECT_FALSE(before->wechat) << "not linked yet";
    scan(*db_, "s1", "oAlice", t0);
    auto after = notifier.send(*db_, alice, notify::NoticeEvent::security, notice,
                               {std::nullopt, "+8613800138000"}, t0);
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_TRUE(after->wechat);
    EXPECT_TRUE(after->sms);
    auto billing = notifier.send(*db_, alice, notify::NoticeEvent::billing, notice,
                                 {std::nullopt, std::nullopt}, t0);
    ASSERT_TRUE(billing);
    EXPECT_FALSE(billing->wechat) << "billing has no template id";
    auto rows = db_->query(
        "SELECT recipient, text_body FROM outbox WHERE channel = 'wechat' ORDER BY id", {});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().text(0), "oAlice");
    EXPECT_THAT(rows->front().text(1), testing::HasSubstr("\"event\":\"security\""));
}

}  // namespace
}  // namespace idpd::conformance
