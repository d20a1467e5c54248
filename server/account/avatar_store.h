#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::account {

// An account's avatar: an uploaded image or a URL (never both).
struct Avatar {
    std::int64_t user_id = 0;
    std::optional<std::string> content_type;  // uploads: image/png, image/jpeg, image/webp
    std::string image;                        // uploads: the bytes as validated
    std::optional<std::string> url;           // an https URL, stored as given, never fetched
    std::chrono::sys_seconds updated_at{};

    bool is_upload() const { return content_type.has_value(); }
};

// Whether `url` may be stored as an avatar URL: https, a host, at most 512 bytes, printable
// ASCII without spaces or quotes (it is rendered into an href and the `picture` claim).
bool is_avatar_url(std::string_view url);

// Where an avatar is shown from: our /avatars/:id path for an upload, versioned by its update
// time so caches never hide a new one (prefix it with the issuer for an absolute URL), or the
// URL the user gave.
std::string avatar_location(const Avatar& avatar);

// The avatars table (schema 0027). Errors are store::Error: the database's, not_found.
class AvatarStore {
public:
    explicit AvatarStore(store::Database& db) : db_(db) {}

    // Replaces the account's avatar with an image already validated (account/avatar_image.h).
    store::Result<void> set_image(std::int64_t user_id, std::string_view content_type,
                                  std::string_view image, std::chrono::sys_seconds now);

    // Replaces the account's avatar with a URL that passed is_avatar_url().
    store::Result<void> set_url(std::int64_t user_id, std::string_view url,
                                std::chrono::sys_seconds now);

    // Removes the account's avatar, if any.
    store::Result<void> clear(std::int64_t user_id);

    // The account's avatar; nullopt when it has none. `with_image`: also read the bytes.
    store::Result<std::optional<Avatar>> find(std::int64_t user_id, bool with_image);

private:
    store::Result<void> replace(std::int64_t user_id, const store::Value& content_type,
                                const store::Value& image, const store::Value& url,
                                std::chrono::sys_seconds now);

    store::Database& db_;
};

}  // namespace idpd::account
