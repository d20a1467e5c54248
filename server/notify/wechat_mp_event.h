#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace idpd::notify {

// Whether WeChat signed a callback: `signature` is the hex SHA-1 of the lexicographically
// sorted concatenation of our [notify] wechat_callback_token, `timestamp` and `nonce`
// (official-account "接入指南"). An empty token never validates. Constant-time comparison.
bool valid_callback_signature(std::string_view token, std::string_view timestamp,
                              std::string_view nonce, std::string_view signature);

// One pushed message in plain mode ("明文模式"):
//   <xml><ToUserName>gh_…</ToUserName><FromUserName>openid</FromUserName>
//   <CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>subscribe</Event>
//   <EventKey>qrscene_…</EventKey><Ticket>…</Ticket></xml>
struct MpEvent {
    std::string to_user;    // our official account's id
    std::string from_user;  // the follower's openid under our official account
    std::int64_t create_time = 0;
    std::string msg_type;  // "event" for events; text messages and others are ignored
    std::string event;     // "subscribe", "SCAN", "unsubscribe", …
    std::string event_key;
};

// Parses a pushed message with libexpat. Refused: anything but one <xml> root of simple
// elements, a DOCTYPE (and so every entity declaration), more than 64 KiB, malformed XML.
// Errors: what is wrong, for the log.
std::expected<MpEvent, std::string> parse_mp_event(std::string_view xml);

}  // namespace idpd::notify
