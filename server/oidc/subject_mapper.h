#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oidc/client.h"
#include "oidc/client_secret.h"
#include "oidc/errors.h"
#include "oidc/random.h"
#include "store/database.h"

namespace idpd::oidc {

// The sector of a pairwise client (OIDC Core §8.1): its sector_identifier, else the one host
// all its redirect URIs share. Nullopt when there is no such host (several hosts, or a
// private-use scheme without one): such a client cannot be pairwise.
std::optional<std::string> pairwise_sector(const Client& client);

// The subject a client sees for a local user, and the way back (OIDC Core §8):
// - public clients get the numeric user id;
// - pairwise clients get base64url(SHA-256(sector ‖ user id ‖ salt)), 43 characters, so two
//   sectors cannot correlate a user; the salt is derived from the master key.
// Tokens carry the subject their client saw, so ID tokens, JWT access tokens, userinfo and
// introspection all agree; user_of() reads it back for /userinfo. Every call site that turns a
// local user into a `sub` (the authorization code grant, and any later grant) goes through
// subject_for().
class SubjectMapper {
public:
    // `hasher` keys the salt: HMAC(client-secret key, "idpd pairwise subject v1"), a key chain
    // from the master key. Changing the master key therefore changes every pairwise subject.
    SubjectMapper(store::Database& db, const ClientSecretHasher& hasher, Clock clock);

    // The `sub` for `user_id` as `client` sees it. A pairwise subject is recorded (once) in
    // pairwise_subjects so user_of() can map it back. Errors: invalid_client (a pairwise client
    // without a sector), server_error / temporarily_unavailable (database).
    Result<std::string> subject_for(const Client& client, std::int64_t user_id);

    // The local user a subject we issued names, or nullopt (not a user subject we know).
    // Errors: database failures only.
    Result<std::optional<std::int64_t>> user_of(std::string_view subject);

    // The pairwise subject for (sector, user_id), computed only.
    std::string pairwise_subject(std::string_view sector, std::int64_t user_id) const;

private:
    store::Database& db_;
    std::string salt_;
    Clock clock_;
};

}  // namespace idpd::oidc
