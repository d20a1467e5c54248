#include "notify/wechat_link_store.h"

#include <openssl/sha.h>

#include "store/dialect.h"

namespace idpd::notify {
namespace {

store::Blob scene_hash(std::string_view scene) {
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(scene.data()), scene.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return store::Blob{digest};
}

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

}  // namespace

store::Result<std::optional<std::string>> WechatLinkStore::openid_of(std::int64_t user_id) {
    auto rows = db_.query("SELECT openid FROM wechat_mp_links WHERE user_id = ?", {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    return rows->front().text(0);
}

store::Result<void> WechatLinkStore::add_scene(std::string_view scene, std::int64_t user_id,
                                               std::chrono::seconds ttl,
                                               std::chrono::sys_seconds now) {
    auto purged = db_.execute("DELETE FROM wechat_mp_scenes WHERE expires_at < ?",
                              {epoch(now - std::chrono::days(1))});
    if (!purged) {
        return std::unexpected(purged.error());
    }
    auto added = db_.execute(
        "INSERT INTO wechat_mp_scenes (scene_hash, user_id, expires_at, used_at) VALUES (?, ?, ?, "
        "NULL)",
        {scene_hash(scene), user_id, epoch(now + ttl)});
    if (!added) {
        return std::unexpected(added.error());
    }
    return {};
}

store::Result<LinkOutcome> WechatLinkStore::link_by_scene(std::string_view scene,
                                                          std::string_view openid,
                                                          std::chrono::sys_seconds now) {
    const auto hash = scene_hash(scene);
    auto used = db_.execute(
        "UPDATE wechat_mp_scenes SET used_at = ? WHERE scene_hash = ? AND used_at IS NULL AND "
        "expires_at > ?",
        {epoch(now), hash, epoch(now)});
    if (!used) {
        return std::unexpected(used.error());
    }
    if (used->affected_rows != 1) {
        return LinkOutcome{};
    }
    auto rows = db_.query("SELECT user_id FROM wechat_mp_scenes WHERE scene_hash = ?", {hash});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return LinkOutcome{};
    }
    LinkOutcome out{LinkOutcome::Kind::linked, rows->front().integer(0), std::nullopt};
    auto previous = db_.query(std::string("SELECT user_id FROM wechat_mp_links WHERE openid = ?") +
                                  std::string(store::for_update(db_.dialect())),
                              {std::string(openid)});
    if (!previous) {
        return std::unexpected(previous.error());
    }
    if (!previous->empty() && previous->front().integer(0) != out.user_id) {
        out.previous_owner = previous->front().integer(0);
    }
    // The openid's old row and the account's old openid both go; then the one new row.
    auto cleared = db_.execute("DELETE FROM wechat_mp_links WHERE openid = ? OR user_id = ?",
                               {std::string(openid), out.user_id});
    if (!cleared) {
        return std::unexpected(cleared.error());
    }
    auto linked =
        db_.execute("INSERT INTO wechat_mp_links (user_id, openid, linked_at) VALUES (?, ?, ?)",
                    {out.user_id, std::string(openid), epoch(now)});
    if (!linked) {
        return std::unexpected(linked.error());
    }
    return out;
}

store::Result<bool> WechatLinkStore::unlink_user(std::int64_t user_id) {
    auto removed = db_.execute("DELETE FROM wechat_mp_links WHERE user_id = ?", {user_id});
    if (!removed) {
        return std::unexpected(removed.error());
    }
    return removed->affected_rows > 0;
}

store::Result<std::optional<std::int64_t>> WechatLinkStore::unlink_openid(std::string_view openid) {
    auto rows =
        db_.query("SELECT user_id FROM wechat_mp_links WHERE openid = ?", {std::string(openid)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    const std::int64_t user_id = rows->front().integer(0);
    auto removed = db_.execute("DELETE FROM wechat_mp_links WHERE openid = ? AND user_id = ?",
                               {std::string(openid), user_id});
    if (!removed) {
        return std::unexpected(removed.error());
    }
    if (removed->affected_rows == 0) {
        return std::nullopt;  // a concurrent event removed it first
    }
    return user_id;
}

}  // namespace idpd::notify
