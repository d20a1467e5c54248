#include "oidc/client_document.h"

#include <algorithm>
#include <set>

#include "oidc/scope.h"

namespace idpd::oidc {
namespace {

std::unexpected<Error> bad(const std::string& member, const std::string& problem) {
    return fail(ErrorCode::invalid_client_metadata, member + ": " + problem);
}

// Members an RP may send that we do not keep (RFC 7591 §2), or that are ours to set and are
// ignored when an RP sends them.
const std::set<std::string, std::less<>> ignored_from_rp{"client_id",
                                                         "client_secret",
                                                         "client_id_issued_at",
                                                         "client_secret_expires_at",
                                                         "client_uri",
                                                         "logo_uri",
                                                         "contacts",
                                                         "tos_uri",
                                                         "policy_uri",
                                                         "software_id",
                                                         "software_version",
                                                         "software_statement",
                                                         "first_party",
                                                         "sector_identifier",
                                                         "registration_access_token",
                                                         "registration_client_uri"};

// What responses carry and nobody sets: skipped, so a document read back can be sent again.
const std::set<std::string, std::less<>> read_only{"client_id_issued_at",
                                                   "client_secret_expires_at",
                                                   "registration_client_uri",
                                                   "registration_access_token",
                                                   "managed_by",
                                                   "dynamically_registered"};

Result<std::string> string_member(const nlohmann::json& value, const std::string& name) {
    if (!value.is_string()) {
        return bad(name, "expected a string");
    }
    return value.get<std::string>();
}

Result<std::vector<std::string>> string_array(const nlohmann::json& value,
                                              const std::string& name) {
    if (!value.is_array()) {
        return bad(name, "expected an array of strings");
    }
    std::vector<std::string> out;
    for (const auto& item : value) {
        if (!item.is_string()) {
            return bad(name, "expected an array of strings");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

Result<bool> bool_member(const nlohmann::json& value, const std::string& name) {
    if (!value.is_boolean()) {
        return bad(name, "expected true or false");
    }
    return value.get<bool>();
}

Result<jose::Alg> alg_member(const nlohmann::json& value, const std::string& name) {
    auto text = string_member(value, name);
    if (!text) {
        return std::unexpected(text.error());
    }
    auto alg = jose::parse_alg(*text);
    if (!alg) {
        return bad(name, "expected RS256, PS256, ES256 or EdDSA (never none or HMAC)");
    }
    return *alg;
}

// One member onto `client`. Returns false (as a value) for a member this reader does not know.
Result<bool> read_member(const std::string& name, const nlohmann::json& value, Client& client) {
    auto assign = [&](auto result, auto& field) -> Result<bool> {
        if (!result) {
            return std::unexpected(result.error());
        }
        field = std::move(*result);
        return true;
    };
    if (name == "client_id") {
        return assign(string_member(value, name), client.client_id);
    }
    if (name == "client_name") {
        return assign(string_member(value, name), client.name);
    }
    if (name == "redirect_uris") {
        return assign(string_array(value, name), client.redirect_uris);
    }
    if (name == "grant_types") {
        return assign(string_array(value, name), client.grant_types);
    }
    if (name == "post_logout_redirect_uris") {
        return assign(string_array(value, name), client.post_logout_redirect_uris);
    }
    if (name == "backchannel_logout_uri") {
        return assign(string_member(value, name), client.backchannel_logout_uri);
    }
    if (name == "backchannel_logout_session_required") {
        return assign(bool_member(value, name), client.backchannel_logout_session_required);
    }
    if (name == "dpop_bound_access_tokens") {
        return assign(bool_member(value, name), client.dpop_bound_access_tokens);
    }
    if (name == "first_party") {
        return assign(bool_member(value, name), client.first_party);
    }
    if (name == "sector_identifier") {
        return assign(string_member(value, name), client.sector_identifier);
    }
    if (name == "id_token_signed_response_alg") {
        return assign(alg_member(value, name), client.id_token_signed_response_alg);
    }
    if (name == "access_token_alg") {
        return assign(alg_member(value, name), client.access_token_alg);
    }
    return false;
}

// The members whose text maps onto an enum or another representation.
Result<bool> read_coded_member(const std::string& name, const nlohmann::json& value,
                               Client& client) {
    if (name == "scope") {
        auto text = string_member(value, name);
        if (!text) {
            return std::unexpected(text.error());
        }
        client.scopes = split_scope(*text);
        return true;
    }
    if (name == "jwks") {
        if (!value.is_object()) {
            return bad(name, "expected a JWK Set object {\"keys\": [...]}");
        }
        client.jwks = value.dump();
        return true;
    }
    if (name == "token_endpoint_auth_method") {
        auto text = string_member(value, name);
        auto method = text ? parse_auth_method(*text) : std::nullopt;
        if (!method) {
            return bad(name,
                       "expected client_secret_basic, client_secret_post, private_key_jwt or "
                       "none");
        }
        client.token_endpoint_auth_method = *method;
        client.type =
            *method == AuthMethod::none ? ClientType::public_client : ClientType::confidential;
        return true;
    }
    if (name == "subject_type") {
        auto text = string_member(value, name);
        auto type = text ? parse_subject_type(*text) : std::nullopt;
        if (!type) {
            return bad(name, "expected public or pairwise");
        }
        client.subject_type = *type;
        return true;
    }
    if (name == "access_token_format") {
        auto text = string_member(value, name);
        auto format = text ? parse_access_token_format(*text) : std::nullopt;
        if (!format) {
            return bad(name, "expected jwt or opaque");
        }
        client.access_token_format = *format;
        return true;
    }
    return false;
}

// RFC 7591 §2.1: response_types and grant_types must agree; we implement the code flow only.
Result<void> check_response_types(const nlohmann::json& doc, const Client& client) {
    auto it = doc.find("response_types");
    if (it == doc.end()) {
        return {};
    }
    auto types = string_array(*it, "response_types");
    if (!types) {
        return std::unexpected(types.error());
    }
    for (const auto& type : *types) {
        if (type != "code") {
            return bad("response_types", "only code is supported");
        }
    }
    if (types->empty() == client.allows_grant("authorization_code")) {
        return bad("response_types",
                   "must be [\"code\"] exactly when grant_types holds authorization_code");
    }
    return {};
}

}  // namespace

Result<void> read_client_document(const nlohmann::json& doc, DocumentAuthor author,
                                  Client& client) {
    if (!doc.is_object()) {
        return fail(ErrorCode::invalid_client_metadata, "the body must be a JSON object");
    }
    const bool by_operator = author == DocumentAuthor::operator_;
    for (const auto& [name, value] : doc.items()) {
        if (name == "jwks_uri" || name == "sector_identifier_uri") {
            return bad(name, "not supported: this server fetches nothing for a client; " +
                                 std::string(name == "jwks_uri" ? "register the keys inline as jwks"
                                                                : "use one redirect host"));
        }
        if (name == "response_types" || read_only.contains(name) ||
            (!by_operator && ignored_from_rp.contains(name))) {
            continue;
        }
        auto known = read_member(name, value, client);
        if (known && !*known) {
            known = read_coded_member(name, value, client);
        }
        if (!known) {
            return std::unexpected(known.error());
        }
        if (!*known && by_operator) {
            return bad(name, "unknown member");
        }
    }
    return check_response_types(doc, client);
}

nlohmann::json client_document(const Client& client) {
    nlohmann::json doc{
        {"client_id", client.client_id},
        {"client_name", client.name},
        {"client_id_issued_at", client.created_at},
        {"redirect_uris", client.redirect_uris},
        {"grant_types", client.grant_types},
        {"response_types", client.allows_grant("authorization_code")
                               ? nlohmann::json::array({"code"})
                               : nlohmann::json::array()},
        {"token_endpoint_auth_method", auth_method_name(client.token_endpoint_auth_method)},
        {"scope", join_scope(client.scopes)},
        {"id_token_signed_response_alg", jose::alg_name(client.id_token_signed_response_alg)},
        {"access_token_format", access_token_format_name(client.access_token_format)},
        {"access_token_alg", jose::alg_name(client.access_token_alg)},
        {"subject_type", subject_type_name(client.subject_type)},
        {"post_logout_redirect_uris", client.post_logout_redirect_uris},
        {"dpop_bound_access_tokens", client.dpop_bound_access_tokens},
        {"first_party", client.first_party}};
    if (!client.jwks.empty()) {
        doc["jwks"] = nlohmann::json::parse(client.jwks, nullptr, false);
    }
    if (!client.backchannel_logout_uri.empty()) {
        doc["backchannel_logout_uri"] = client.backchannel_logout_uri;
        doc["backchannel_logout_session_required"] = client.backchannel_logout_session_required;
    }
    if (!client.sector_identifier.empty()) {
        doc["sector_identifier"] = client.sector_identifier;
    }
    return doc;
}

}  // namespace idpd::oidc
