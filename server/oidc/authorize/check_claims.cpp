// - claims (OIDC Core §5.5): {"id_token": {...}, "userinfo": {...}}, each member naming a claim
//   with null or an object (essential, value, values). The ID token's standard claims are
//   carried through the code and the refresh family and added when their scope was granted;
//   /userinfo already answers every claim of a granted scope, so its member only needs to be
//   well formed. Unknown claims and members are ignored (§5.5: "MUST be ignored").
#include <nlohmann/json.hpp>

#include "oidc/authorize/checks.h"
#include "oidc/standard_claims.h"

namespace idpd::oidc {
namespace {

constexpr std::size_t max_claims_bytes = 4096;

Result<void> check_member(const nlohmann::json& doc, const char* name) {
    if (!doc.contains(name)) {
        return {};
    }
    const auto& member = doc[name];
    if (!member.is_object()) {
        return fail(ErrorCode::invalid_request,
                    std::string("claims ") + name + " must be a JSON object");
    }
    for (const auto& [claim, request] : member.items()) {
        if (!request.is_null() && !request.is_object()) {
            return fail(ErrorCode::invalid_request,
                        std::string("claims ") + name + "." + claim + " must be null or an object");
        }
    }
    return {};
}

}  // namespace

Result<std::string> check_claims(const AuthorizeRequest& request) {
    auto text = request.get("claims");
    if (!text) {
        return std::string();
    }
    if (text->size() > max_claims_bytes) {
        return fail(ErrorCode::invalid_request, "claims is too long");
    }
    auto doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return fail(ErrorCode::invalid_request, "claims must be a JSON object");
    }
    for (const char* name : {"id_token", "userinfo"}) {
        if (auto ok = check_member(doc, name); !ok) {
            return std::unexpected(ok.error());
        }
    }
    std::string names;
    if (doc.contains("id_token")) {
        for (const auto& [claim, ignored] : doc["id_token"].items()) {
            if (is_requestable_claim(claim)) {
                names += (names.empty() ? "" : " ") + claim;
            }
        }
    }
    return names;
}

}  // namespace idpd::oidc
