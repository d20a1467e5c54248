#include "oidc/subject_mapper.h"

#include <charconv>

#include <openssl/sha.h>

#include "jose/base64url.h"
#include "oidc/client_auth.h"
#include "oidc/redirect_uri.h"

namespace idpd::oidc {
namespace {

constexpr std::string_view salt_label = "idpd pairwise subject v1";
constexpr std::size_t pairwise_size = 43;  // base64url of 32 bytes, unpadded

std::optional<std::int64_t> parse_user_id(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<std::string> pairwise_sector(const Client& client) {
    if (!client.sector_identifier.empty()) {
        return client.sector_identifier;
    }
    std::optional<std::string> sector;
    for (const auto& uri : client.redirect_uris) {
        auto host = redirect_uri_host(uri);
        if (!host || (sector && *sector != *host)) {
            return std::nullopt;
        }
        sector = std::move(host);
    }
    return sector;
}

SubjectMapper::SubjectMapper(store::Database& db, const ClientSecretHasher& hasher, Clock clock)
    : db_(db), salt_(hasher.hash(salt_label)), clock_(std::move(clock)) {}

std::string SubjectMapper::pairwise_subject(std::string_view sector, std::int64_t user_id) const {
    const std::string input = std::string(sector) + std::to_string(user_id) + salt_;
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return jose::base64url_encode(digest);
}

Result<std::string> SubjectMapper::subject_for(const Client& client, std::int64_t user_id) {
    if (client.subject_type != SubjectType::pairwise) {
        return std::to_string(user_id);
    }
    auto sector = pairwise_sector(client);
    if (!sector) {
        return fail(ErrorCode::invalid_client, "the client has no pairwise sector",
                    "pairwise client " + client.client_id + " has several redirect hosts");
    }
    std::string subject = pairwise_subject(*sector, user_id);
    auto known = db_.query("SELECT user_id FROM pairwise_subjects WHERE subject = ?", {subject});
    if (!known) {
        return std::unexpected(database_error(known.error()));
    }
    if (known->empty()) {
        auto added = db_.execute(
            "INSERT INTO pairwise_subjects (subject, user_id, sector, created_at) "
            "VALUES (?, ?, ?, ?)",
            {subject, user_id, *sector, unix_seconds(clock_)});
        // conflict: another process recorded the same row first, which is just as good.
        if (!added && added.error().kind != store::Error::Kind::conflict) {
            return std::unexpected(database_error(added.error()));
        }
    }
    return subject;
}

Result<std::optional<std::int64_t>> SubjectMapper::user_of(std::string_view subject) {
    // A user id has at most 19 digits, a pairwise subject exactly 43 characters: the length
    // alone tells them apart.
    if (subject.size() != pairwise_size) {
        return parse_user_id(subject);
    }
    auto rows = db_.query("SELECT user_id FROM pairwise_subjects WHERE subject = ?",
                          {std::string(subject)});
    if (!rows) {
        return std::unexpected(database_error(rows.error()));
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    return rows->front().integer(0);
}

}  // namespace idpd::oidc
