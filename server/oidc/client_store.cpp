#include "oidc/client_store.h"

#include <nlohmann/json.hpp>

#include "oidc/scope.h"

namespace idpd::oidc {
namespace {

constexpr std::string_view columns =
    "client_id, name, client_type, secret_hash, token_endpoint_auth_method, redirect_uris, "
    "grant_types, scopes, access_token_format, access_token_alg, id_token_signed_response_alg, "
    "created_at, metadata";

std::string json_array(const std::vector<std::string>& values) {
    return nlohmann::json(values).dump();
}

std::vector<std::string> parse_array(const std::string& text) {
    auto json = nlohmann::json::parse(text, nullptr, false);
    std::vector<std::string> values;
    if (json.is_array()) {
        for (const auto& item : json) {
            if (item.is_string()) {
                values.push_back(item.get<std::string>());
            }
        }
    }
    return values;
}

store::Result<Client> read_client(const store::Row& row) {
    Client client;
    client.client_id = row.text(0);
    client.name = row.text(1);
    auto type = parse_client_type(row.text(2));
    auto method = parse_auth_method(row.text(4));
    auto format = parse_access_token_format(row.text(8));
    auto at_alg = jose::parse_alg(row.text(9));
    auto id_alg = jose::parse_alg(row.text(10));
    if (!type || !method || !format || !at_alg || !id_alg) {
        return store::fail(store::Error::Kind::invalid,
                           "client " + client.client_id + " has a value this idpd does not know");
    }
    client.type = *type;
    client.secret_hash = row.text(3);
    client.token_endpoint_auth_method = *method;
    client.redirect_uris = parse_array(row.text(5));
    client.grant_types = parse_array(row.text(6));
    client.scopes = split_scope(row.text(7));
    client.access_token_format = *format;
    client.access_token_alg = *at_alg;
    client.id_token_signed_response_alg = *id_alg;
    client.created_at = row.integer(11);
    read_client_metadata(row.text(12), client);
    return client;
}

}  // namespace

store::Result<void> ClientStore::create(const Client& client) {
    auto inserted =
        db_.execute("INSERT INTO clients (" + std::string(columns) +
                        ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {client.client_id, client.name, std::string(client_type_name(client.type)),
                     client.secret_hash.empty() ? store::Value(nullptr)
                                                : store::Value(store::Blob{client.secret_hash}),
                     std::string(auth_method_name(client.token_endpoint_auth_method)),
                     json_array(client.redirect_uris), json_array(client.grant_types),
                     join_scope(client.scopes),
                     std::string(access_token_format_name(client.access_token_format)),
                     std::string(jose::alg_name(client.access_token_alg)),
                     std::string(jose::alg_name(client.id_token_signed_response_alg)),
                     client.created_at, client_metadata_json(client), client.created_at});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return {};
}

store::Result<void> ClientStore::update(const Client& client, std::int64_t now) {
    cache_.forget(client.client_id);
    auto updated = db_.execute(
        "UPDATE clients SET name = ?, client_type = ?, secret_hash = ?, "
        "token_endpoint_auth_method = ?, redirect_uris = ?, grant_types = ?, scopes = ?, "
        "access_token_format = ?, access_token_alg = ?, id_token_signed_response_alg = ?, "
        "metadata = ?, updated_at = ? WHERE client_id = ?",
        {client.name, std::string(client_type_name(client.type)),
         client.secret_hash.empty() ? store::Value(nullptr)
                                    : store::Value(store::Blob{client.secret_hash}),
         std::string(auth_method_name(client.token_endpoint_auth_method)),
         json_array(client.redirect_uris), json_array(client.grant_types),
         join_scope(client.scopes),
         std::string(access_token_format_name(client.access_token_format)),
         std::string(jose::alg_name(client.access_token_alg)),
         std::string(jose::alg_name(client.id_token_signed_response_alg)),
         client_metadata_json(client), now, client.client_id});
    cache_.forget(client.client_id);  // again: a find() racing the write may have cached it
    if (!updated) {
        return std::unexpected(updated.error());
    }
    if (updated->affected_rows == 0) {
        // MySQL counts changed rows: an update that changes nothing must still find the row.
        auto found = find(client.client_id);
        if (!found) {
            return std::unexpected(found.error());
        }
    }
    return {};
}

store::Result<Client> ClientStore::find(std::string_view client_id) {
    if (auto cached = cache_.find(client_id)) {
        return std::move(*cached);
    }
    auto rows = db_.query("SELECT " + std::string(columns) + " FROM clients WHERE client_id = ?",
                          {std::string(client_id)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no client " + std::string(client_id));
    }
    auto client = read_client(rows->front());
    if (client) {
        cache_.remember(*client);
    }
    return client;
}

store::Result<std::vector<Client>> ClientStore::list() {
    auto rows =
        db_.query("SELECT " + std::string(columns) + " FROM clients ORDER BY client_id", {});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<Client> clients;
    for (const auto& row : *rows) {
        auto client = read_client(row);
        if (!client) {
            return std::unexpected(client.error());
        }
        clients.push_back(std::move(*client));
    }
    return clients;
}

store::Result<void> ClientStore::set_secret_hash(std::string_view client_id,
                                                 const std::string& secret_hash, std::int64_t now) {
    cache_.forget(client_id);
    auto updated =
        db_.execute("UPDATE clients SET secret_hash = ?, updated_at = ? WHERE client_id = ?",
                    {store::Blob{secret_hash}, now, std::string(client_id)});
    cache_.forget(client_id);  // again: a find() racing the write may have cached it
    if (!updated) {
        return std::unexpected(updated.error());
    }
    if (updated->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no client " + std::string(client_id));
    }
    return {};
}

store::Result<void> ClientStore::remove(std::string_view client_id) {
    cache_.forget(client_id);
    std::uint64_t removed = 0;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto deleted =
            tx.execute("DELETE FROM clients WHERE client_id = ?", {std::string(client_id)});
        if (!deleted) {
            return std::unexpected(deleted.error());
        }
        removed = deleted->affected_rows;
        auto tokens =
            tx.execute("DELETE FROM access_tokens WHERE client_id = ?", {std::string(client_id)});
        if (!tokens) {
            return std::unexpected(tokens.error());
        }
        return {};
    });
    cache_.forget(client_id);  // again: a find() racing the write may have cached it
    if (!done) {
        return done;
    }
    if (removed == 0) {
        return store::fail(store::Error::Kind::not_found, "no client " + std::string(client_id));
    }
    return {};
}

}  // namespace idpd::oidc
