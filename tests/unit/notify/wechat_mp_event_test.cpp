// The official-account callback's checks: WeChat's signature (SHA-1 over the sorted token,
// timestamp and nonce) and the XML events, read with libexpat, with no DOCTYPE accepted.
#include "notify/wechat_mp_event.h"

#include <string>

#include <gmock/gmock.h>

namespace idpd::notify {
namespace {

using testing::HasSubstr;

// sha1("1700000000" "abc" "testtoken"), computed independently (Python hashlib).
constexpr std::string_view good = "ded8a4db713766ef5f20b05fb681d1742f757982";

TEST(WechatCallbackSignature, TheSignatureOfTheSortedPartsIsAccepted) {
    EXPECT_TRUE(valid_callback_signature("testtoken", "1700000000", "abc", good));
    EXPECT_TRUE(valid_callback_signature("testtoken", "1700000000", "abc",
                                         "DED8A4DB713766EF5F20B05FB681D1742F757982"));
}

TEST(WechatCallbackSignature, AnythingElseIsRefused) {
    EXPECT_FALSE(valid_callback_signature("othertoken", "1700000000", "abc", good));
    EXPECT_FALSE(valid_callback_signature("testtoken", "1700000001", "abc", good));
    EXPECT_FALSE(valid_callback_signature("testtoken", "1700000000", "abd", good));
    EXPECT_FALSE(valid_callback_signature("testtoken", "1700000000", "abc", good.substr(1)));
    EXPECT_FALSE(valid_callback_signature("testtoken", "1700000000", "abc", ""));
    EXPECT_FALSE(valid_callback_signature("", "1700000000", "abc", good))
        << "without a configured token nothing validates";
}

TEST(WechatMpEvent, ASubscribeWithASceneIsRead) {
    auto e = parse_mp_event(
        "<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName>"
        "<FromUserName><![CDATA[oAbC-123_xyz]]></FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_0123abcd]]></EventKey>"
        "<Ticket><![CDATA[TICKET]]></Ticket></xml>");
    ASSERT_TRUE(e) << e.error();
    EXPECT_EQ(e->to_user, "gh_123456789abc");
    EXPECT_EQ(e->from_user, "oAbC-123_xyz");
    EXPECT_EQ(e->create_time, 1700000000);
    EXPECT_EQ(e->msg_type, "event");
    EXPECT_EQ(e->event, "subscribe");
    EXPECT_EQ(e->event_key, "qrscene_0123abcd");
}

TEST(WechatMpEvent, AnUnsubscribeHasNoKey) {
    auto e = parse_mp_event(
        "<xml><FromUserName>oUser</FromUserName><MsgType>event</MsgType>"
        "<Event>unsubscribe</Event><EventKey></EventKey></xml>");
    ASSERT_TRUE(e) << e.error();
    EXPECT_EQ(e->event, "unsubscribe");
    EXPECT_EQ(e->event_key, "");
}

TEST(WechatMpEvent, ADoctypeIsRefused) {
    auto e = parse_mp_event(
        "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"oAttacker\">]>"
        "<xml><FromUserName>&a;</FromUserName><MsgType>event</MsgType></xml>");
    ASSERT_FALSE(e);
    EXPECT_THAT(e.error(), HasSubstr("DOCTYPE"));
    auto external = parse_mp_event(
        "<!DOCTYPE xml SYSTEM \"file:///etc/passwd\"><xml><FromUserName>o</FromUserName>"
        "<MsgType>event</MsgType></xml>");
    EXPECT_FALSE(external);
}

TEST(WechatMpEvent, MalformedOrUnexpectedShapesAreRefused) {
    EXPECT_FALSE(parse_mp_event("<xml><FromUserName>o</FromUserName>"));
    EXPECT_FALSE(
        parse_mp_event("<root><FromUserName>o</FromUserName><MsgType>event</MsgType></root>"));
    EXPECT_FALSE(
        parse_mp_event("<xml><FromUserName><b>o</b></FromUserName><MsgType>event</MsgType></xml>"));
    EXPECT_FALSE(parse_mp_event("<xml><MsgType>event</MsgType></xml>")) << "no sender";
    EXPECT_FALSE(parse_mp_event(
        "<xml><FromUserName>o</FromUserName><MsgType>event</MsgType><CreateTime>12x</CreateTime>"
        "</xml>"));
    EXPECT_FALSE(parse_mp_event(std::string(70 * 1024, ' ')));
}

}  // namespace
}  // namespace idpd::notify
