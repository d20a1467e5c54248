#include "account/avatar_store.h"

namespace idpd::account {

bool is_avatar_url(std::string_view url) {
    constexpr std::string_view scheme = "https://";
    if (url.size() > 512 || !url.starts_with(scheme) || url.size() == scheme.size()) {
        return false;
    }
    const char host_first = url[scheme.size()];
    if (host_first == '/' || host_first == '?' || host_first == '#' || host_first == ':') {
        return false;
    }
    for (char c : url) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\') {
            return false;
        }
    }
    return true;
}

std::string avatar_location(const Avatar& avatar) {
    if (!avatar.is_upload()) {
        return avatar.url.value_or("");
    }
    return "/avatars/" + std::to_string(avatar.user_id) +
           "?v=" + std::to_string(avatar.updated_at.time_since_epoch().count());
}

store::Result<void> AvatarStore::replace(std::int64_t user_id, const store::Value& content_type,
                                         const store::Value& image, const store::Value& url,
                                         std::chrono::sys_seconds now) {
    return db_.transaction([&](store::Database& tx) -> store::Result<void> {
        if (auto gone = tx.execute("DELETE FROM avatars WHERE user_id = ?", {user_id}); !gone) {
            return std::unexpected(gone.error());
        }
        auto inserted = tx.execute(
            "INSERT INTO avatars (user_id, content_type, image, url, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            {user_id, content_type, image, url, now.time_since_epoch().count()});
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        return {};
    });
}

store::Result<void> AvatarStore::set_image(std::int64_t user_id, std::string_view content_type,
                                           std::string_view image, std::chrono::sys_seconds now) {
    return replace(user_id, std::string(content_type), store::Blob{std::string(image)}, nullptr,
                   now);
}

store::Result<void> AvatarStore::set_url(std::int64_t user_id, std::string_view url,
                                         std::chrono::sys_seconds now) {
    return replace(user_id, nullptr, nullptr, std::string(url), now);
}

store::Result<void> AvatarStore::clear(std::int64_t user_id) {
    auto gone = db_.execute("DELETE FROM avatars WHERE user_id = ?", {user_id});
    if (!gone) {
        return std::unexpected(gone.error());
    }
    return {};
}

store::Result<std::optional<Avatar>> AvatarStore::find(std::int64_t user_id, bool with_image) {
    auto rows = db_.query(std::string("SELECT content_type, url, updated_at") +
                              (with_image ? ", image" : "") + " FROM avatars WHERE user_id = ?",
                          {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    const auto& row = rows->front();
    Avatar avatar;
    avatar.user_id = user_id;
    avatar.content_type = row.optional_text(0);
    avatar.url = row.optional_text(1);
    avatar.updated_at = std::chrono::sys_seconds{std::chrono::seconds{row.integer(2)}};
    if (with_image) {
        avatar.image = row.text(3);
    }
    return avatar;
}

}  // namespace idpd::account
