#include "jose/jwks.h"

#include <set>
#include <string>

namespace idpd::jose {

Result<KeySet> KeySet::from_jwks(const nlohmann::json& jwks) {
    if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
        return fail(ErrorCode::malformed, "a JWKS is an object with a \"keys\" array");
    }
    std::vector<Key> keys;
    std::set<std::string> kids;
    for (const auto& entry : jwks["keys"]) {
        if (has_private_members(entry)) {
            return fail(ErrorCode::invalid_key, "a JWKS entry holds private key members");
        }
        const bool unnamed_rsa =
            entry.is_object() && entry.value("kty", "") == "RSA" && !entry.contains("alg");
        auto key = Key::from_public_jwk(
            entry, unnamed_rsa ? std::optional<Alg>(Alg::rs256) : std::nullopt);
        if (!key) {
            // Not one we can verify with: another use, kty, curve or alg, or a weak key.
            continue;
        }
        if (!key->kid().empty() && !kids.insert(key->kid()).second) {
            return fail(ErrorCode::invalid_key, "JWKS has two keys with kid " + key->kid());
        }
        keys.push_back(std::move(*key));
    }
    return KeySet(std::move(keys));
}

const Key* KeySet::find(std::string_view kid) const {
    for (const Key& key : keys_) {
        if (key.kid() == kid) {
            return &key;
        }
    }
    return nullptr;
}

nlohmann::json KeySet::to_jwks() const {
    nlohmann::json keys = nlohmann::json::array();
    for (const Key& key : keys_) {
        keys.push_back(key.public_jwk());
    }
    return {{"keys", std::move(keys)}};
}

}  // namespace idpd::jose
