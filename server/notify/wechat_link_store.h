#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::notify {

// What a scan event did (WechatLinkStore::link_by_scene).
struct LinkOutcome {
    enum class Kind {
        linked,   // the openid now belongs to the scene's account
        unknown,  // no such scene, it expired, or it was used already (a replay): nothing done
    };
    Kind kind = Kind::unknown;
    std::int64_t user_id = 0;                    // linked: the account
    std::optional<std::int64_t> previous_owner;  // linked: the account the openid moved from
};

// The accounts' follower openids under our WeChat official account and the one-time QR scenes
// that create them (tables wechat_mp_links, wechat_mp_scenes, schema 0040). Scenes are stored
// only as SHA-256. Errors are store::Error.
class WechatLinkStore {
public:
    explicit WechatLinkStore(store::Database& db) : db_(db) {}

    // The openid linked to `user_id`, if any.
    store::Result<std::optional<std::string>> openid_of(std::int64_t user_id);

    // Records a fresh scene (a random value the caller made) for `user_id`, valid until
    // now + ttl; deletes the scenes that expired a day ago or more on the way.
    store::Result<void> add_scene(std::string_view scene, std::int64_t user_id,
                                  std::chrono::seconds ttl, std::chrono::sys_seconds now);

    // A subscribe/SCAN event with `scene` from `openid`: uses the scene once (an UPDATE whose
    // affected-row count decides between a first delivery and its replays), then links the
    // openid to the scene's account. When the openid was linked to another account, it moves:
    // the person holding the WeChat account chose the latest account they scanned for, and one
    // openid must not receive two accounts' security notices. Run it inside a transaction.
    store::Result<LinkOutcome> link_by_scene(std::string_view scene, std::string_view openid,
                                             std::chrono::sys_seconds now);

    // Removes the link of `user_id`; whether there was one.
    store::Result<bool> unlink_user(std::int64_t user_id);

    // An `unsubscribe` event: removes the link of `openid`; the account it belonged to, if any.
    store::Result<std::optional<std::int64_t>> unlink_openid(std::string_view openid);

private:
    store::Database& db_;
};

}  // namespace idpd::notify
