#include "oidc/client_assertion_jti_store.h"

#include <string>

#include "oidc/access_token_store.h"

namespace idpd::oidc {

store::Result<bool> ClientAssertionJtiStore::use(std::string_view client_id, std::string_view jti,
                                                 std::int64_t expires_at) {
    auto inserted = db_.execute(
        "INSERT INTO client_assertion_jtis (client_id, jti_hash, expires_at) VALUES (?, ?, ?)",
        {std::string(client_id), store::Blob{sha256(jti)}, expires_at});
    if (!inserted) {
        if (inserted.error().kind == store::Error::Kind::conflict) {
            return false;
        }
        return std::unexpected(inserted.error());
    }
    return true;
}

store::Result<std::uint64_t> ClientAssertionJtiStore::delete_expired(std::int64_t now) {
    auto deleted = db_.execute("DELETE FROM client_assertion_jtis WHERE expires_at < ?", {now});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::oidc
