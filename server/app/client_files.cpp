#include "app/client_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "app/oidc_settings.h"
#include "jose/base64url.h"
#include "oidc/client_document.h"
#include "oidc/client_store.h"

namespace idpd::app {
namespace {

using Fail = std::unexpected<std::string>;

// A TOML value as JSON, so the file reads through the same client document as the admin API.
std::optional<nlohmann::json> to_json(const toml::node& node) {
    if (auto s = node.as_string()) {
        return nlohmann::json(s->get());
    }
    if (auto i = node.as_integer()) {
        return nlohmann::json(i->get());
    }
    if (auto b = node.as_boolean()) {
        return nlohmann::json(b->get());
    }
    if (auto a = node.as_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : *a) {
            auto value = to_json(item);
            if (!value) {
                return std::nullopt;
            }
            out.push_back(std::move(*value));
        }
        return out;
    }
    if (auto t = node.as_table()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, item] : *t) {
            auto value = to_json(item);
            if (!value) {
                return std::nullopt;
            }
            out[std::string(key.str())] = std::move(*value);
        }
        return out;
    }
    return std::nullopt;
}

std::expected<std::string, std::string> read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::unexpected("cannot read " + path.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The file-only keys: type, secret_env, secret_hash, jwks_file. Removes them from `doc`.
std::expected<void, std::string> take_file_keys(nlohmann::json& doc,
                                                const std::filesystem::path& path,
                                                const oidc::ClientSecretHasher& hasher,
                                                EnvLookup env, oidc::Client& client) {
    auto take = [&](const char* key) -> std::optional<nlohmann::json> {
        auto it = doc.find(key);
        if (it == doc.end()) {
            return std::nullopt;
        }
        nlohmann::json value = *it;
        doc.erase(it);
        return value;
    };
    auto type = take("type");
    auto secret_env = take("secret_env");
    auto secret_hash = take("secret_hash");
    auto jwks_file = take("jwks_file");
    if (type) {
        auto parsed =
            type->is_string() ? oidc::parse_client_type(type->get<std::string>()) : std::nullopt;
        if (!parsed) {
            return std::unexpected("type: expected \"public\" or \"confidential\"");
        }
        client.type = *parsed;
        if (*parsed == oidc::ClientType::public_client &&
            !doc.contains("token_endpoint_auth_method")) {
            doc["token_endpoint_auth_method"] = "none";
        }
    }
    if (secret_env && secret_hash) {
        return std::unexpected("secret_env, secret_hash: give one of them");
    }
    if (secret_env) {
        const auto name = secret_env->is_string() ? secret_env->get<std::string>() : "";
        auto secret = name.empty() ? std::nullopt : env(name.c_str());
        if (!secret || secret->empty()) {
            return std::unexpected("secret_env: environment variable " +
                                   (name.empty() ? std::string("(none)") : name) + " is not set");
        }
        client.secret_hash = hasher.hash(*secret);
    }
    if (secret_hash) {
        std::optional<std::string> bytes;
        if (secret_hash->is_string()) {
            if (auto decoded = jose::base64url_decode(secret_hash->get<std::string>())) {
                bytes = std::move(*decoded);
            }
        }
        if (!bytes || bytes->size() != 32) {
            return std::unexpected(
                "secret_hash: expected the 43 characters `idpd client hash-secret` prints");
        }
        client.secret_hash = std::move(*bytes);
    }
    if (jwks_file) {
        if (!jwks_file->is_string()) {
            return std::unexpected("jwks_file: expected a path");
        }
        auto text = read_text(path.parent_path() / jwks_file->get<std::string>());
        auto jwks = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
        if (!jwks.is_object()) {
            return std::unexpected("jwks_file: " +
                                   (text ? std::string("not a JSON object") : text.error()));
        }
        doc["jwks"] = std::move(jwks);
    }
    return {};
}

std::expected<oidc::Client, std::string> read_one(const std::filesystem::path& path,
                                                  const oidc::ClientSecretHasher& hasher,
                                                  const oidc::ClientLimits& limits, EnvLookup env) {
    toml::table table;
    try {
        table = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        return std::unexpected("line " + std::to_string(e.source().begin.line) + ": " +
                               std::string(e.description()));
    }
    auto doc = to_json(table);
    if (!doc) {
        return std::unexpected("holds a value type clients do not use (a date or a float)");
    }
    oidc::Client client;
    client.grant_types = {"authorization_code"};
    if (auto taken = take_file_keys(*doc, path, hasher, env, client); !taken) {
        return std::unexpected(taken.error());
    }
    auto read = oidc::read_client_document(*doc, oidc::DocumentAuthor::operator_, client);
    if (!read) {
        return std::unexpected(read.error().description);
    }
    if (client.client_id.empty()) {
        client.client_id = path.stem().string();
    }
    if (client.name.empty()) {
        client.name = client.client_id;
    }
    client.managed_by = path.string();
    if (auto valid = oidc::validate_client(client, limits); !valid) {
        return std::unexpected(valid.error().description);
    }
    return client;
}

}  // namespace

oidc::ClientLimits operator_client_limits(const Config& config) {
    return oidc::ClientLimits{key_store_options(config).algs, {}};
}

std::expected<std::vector<ClientFile>, std::string> read_client_files(
    const std::filesystem::path& dir, const oidc::ClientSecretHasher& hasher,
    const oidc::ClientLimits& limits, EnvLookup env) {
    std::vector<ClientFile> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return files;
    }
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml") {
            paths.push_back(entry.path());
        }
    }
    if (ec) {
        return Fail("cannot list " + dir.string() + ": " + ec.message());
    }
    std::ranges::sort(paths);
    for (const auto& path : paths) {
        auto client = read_one(path, hasher, limits, env);
        if (!client) {
            return Fail(path.string() + ": " + client.error());
        }
        for (const auto& earlier : files) {
            if (earlier.client.client_id == client->client_id) {
                return Fail(path.string() + ": client_id: " + client->client_id +
                            " is already defined in " + earlier.path.string());
            }
        }
        files.push_back(ClientFile{path, std::move(*client)});
    }
    return files;
}

std::expected<ApplyReport, std::string> apply_client_files(store::Database& db,
                                                           const std::filesystem::path& dir,
                                                           const oidc::ClientSecretHasher& hasher,
                                                           const oidc::ClientLimits& limits,
                                                           std::int64_t now, EnvLookup env) {
    auto files = read_client_files(dir, hasher, limits, env);
    if (!files) {
        return std::unexpected(files.error());
    }
    oidc::ClientStore clients(db);
    ApplyReport report;
    for (auto& [path, client] : *files) {
        auto stored = clients.find(client.client_id);
        if (!stored && stored.error().kind != store::Error::Kind::not_found) {
            return Fail(path.string() + ": database: " + stored.error().message);
        }
        if (!stored) {
            client.created_at = now;
            if (auto created = clients.create(client); !created) {
                return Fail(path.string() + ": database: " + created.error().message);
            }
            ++report.created;
            continue;
        }
        if (stored->managed_by != client.managed_by) {
            return Fail(path.string() + ": client_id: " + client.client_id +
                        " already exists and is managed " +
                        (stored->managed_by.empty() ? std::string("outside client files")
                                                    : "by " + stored->managed_by) +
                        "; remove it first or choose another client_id");
        }
        client.created_at = stored->created_at;
        if (auto updated = clients.update(client, now); !updated) {
            return Fail(path.string() + ": database: " + updated.error().message);
        }
        ++report.updated;
    }
    return report;
}

}  // namespace idpd::app
