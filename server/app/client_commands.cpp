#include "app/client_commands.h"

#include <chrono>
#include <iostream>
#include <memory>

#include "app/oidc_runtime.h"
#include "jose/base64url.h"
#include "oidc/client_store.h"
#include "oidc/random.h"
#include "oidc/redirect_uri.h"
#include "oidc/scope.h"

namespace idpd::app {
namespace {

struct ClientCommandState {
    CLI::App* add = nullptr;
    CLI::App* list = nullptr;
    CLI::App* show = nullptr;
    CLI::App* remove = nullptr;
    CLI::App* rotate_secret = nullptr;
    std::string id;
    std::string name;
    std::string secret;
    bool is_public = false;
    std::vector<std::string> grant_types;
    std::vector<std::string> redirect_uris;
    std::string scope;
    std::string access_token_format = "jwt";
    std::string alg = "RS256";
};

const std::vector<std::string> known_grant_types{"client_credentials", "authorization_code",
                                                 "refresh_token"};

std::int64_t now_seconds() {
    return oidc::unix_seconds(std::chrono::system_clock::now);
}

void print_client(const oidc::Client& client) {
    std::cout << "client_id                   " << client.client_id << '\n'
              << "name                        " << client.name << '\n'
              << "type                        " << oidc::client_type_name(client.type) << '\n'
              << "token_endpoint_auth_method  "
              << oidc::auth_method_name(client.token_endpoint_auth_method) << '\n'
              << "grant_types                 " << oidc::join_scope(client.grant_types) << '\n'
              << "scope                       " << oidc::join_scope(client.scopes) << '\n'
              << "redirect_uris               " << oidc::join_scope(client.redirect_uris) << '\n'
              << "access_token_format         "
              << oidc::access_token_format_name(client.access_token_format) << '\n'
              << "access_token_alg            " << jose::alg_name(client.access_token_alg) << '\n'
              << "id_token_signed_response_alg "
              << jose::alg_name(client.id_token_signed_response_alg) << '\n'
              << "created_at                  " << client.created_at << '\n';
}

int add_client(OidcRuntime& runtime, const ClientCommandState& s) {
    oidc::Client client;
    client.client_id = s.id.empty() ? jose::base64url_encode(oidc::system_random_bytes(16)) : s.id;
    client.name = s.name.empty() ? client.client_id : s.name;
    client.grant_types =
        s.grant_types.empty() ? std::vector<std::string>{"client_credentials"} : s.grant_types;
    for (const auto& grant : client.grant_types) {
        if (std::ranges::find(known_grant_types, grant) == known_grant_types.end()) {
            std::cerr << "idpd: client add: unknown grant type " << grant << '\n';
            return 2;
        }
    }
    for (const auto& uri : s.redirect_uris) {
        if (auto valid = oidc::validate_redirect_uri(uri); !valid) {
            std::cerr << "idpd: client add: " << uri << ": " << valid.error().description << '\n';
            return 2;
        }
    }
    client.redirect_uris = s.redirect_uris;
    client.scopes = oidc::split_scope(s.scope);
    for (const auto& scope : client.scopes) {
        if (!oidc::is_scope_token(scope)) {
            std::cerr << "idpd: client add: invalid scope " << scope << '\n';
            return 2;
        }
    }
    auto format = oidc::parse_access_token_format(s.access_token_format);
    auto alg = jose::parse_alg(s.alg);
    if (!format || !alg) {
        std::cerr << "idpd: client add: --access-token-format is jwt|opaque, --alg is "
                     "RS256|PS256|ES256|EdDSA\n";
        return 2;
    }
    client.access_token_format = *format;
    client.access_token_alg = *alg;
    client.id_token_signed_response_alg = *alg;
    client.created_at = now_seconds();
    std::string secret;
    if (s.is_public) {
        client.type = oidc::ClientType::public_client;
        client.token_endpoint_auth_method = oidc::AuthMethod::none;
    } else {
        secret =
            s.secret.empty() ? oidc::new_client_secret(oidc::system_random_bytes(32)) : s.secret;
        client.secret_hash = runtime.hasher->hash(secret);
    }
    oidc::ClientStore clients(*runtime.db);
    if (auto created = clients.create(client); !created) {
        std::cerr << "idpd: client add: "
                  << (created.error().kind == store::Error::Kind::conflict
                          ? "client_id " + client.client_id + " is taken"
                          : created.error().message)
                  << '\n';
        return 1;
    }
    print_client(client);
    if (!secret.empty() && s.secret.empty()) {
        std::cout << "client_secret               " << secret
                  << "\n(shown once: it is stored only as a keyed hash)\n";
    }
    return 0;
}

int rotate_secret(OidcRuntime& runtime, const ClientCommandState& s) {
    oidc::ClientStore clients(*runtime.db);
    auto client = clients.find(s.id);
    if (!client) {
        std::cerr << "idpd: client rotate-secret: " << client.error().message << '\n';
        return 1;
    }
    if (client->is_public()) {
        std::cerr << "idpd: client rotate-secret: " << s.id << " is a public client\n";
        return 2;
    }
    const std::string secret =
        s.secret.empty() ? oidc::new_client_secret(oidc::system_random_bytes(32)) : s.secret;
    if (auto set = clients.set_secret_hash(s.id, runtime.hasher->hash(secret), now_seconds());
        !set) {
        std::cerr << "idpd: client rotate-secret: " << set.error().message << '\n';
        return 1;
    }
    if (s.secret.empty()) {
        std::cout << "client_secret " << secret << "\n(shown once)\n";
    }
    return 0;
}

}  // namespace

CommandRunner add_client_commands(CLI::App& cli) {
    auto s = std::make_shared<ClientCommandState>();
    auto* client = cli.add_subcommand("client", "Register and manage OAuth clients");
    client->require_subcommand(1);
    s->add = client->add_subcommand("add", "Register a client (prints a generated secret once)");
    s->add->add_option("--id", s->id, "client_id (default: random)");
    s->add->add_option("--name", s->name, "Display name");
    s->add->add_option("--secret", s->secret, "Client secret (default: 256 random bits)");
    s->add->add_flag("--public", s->is_public, "A public client (no secret, auth method none)");
    s->add->add_option("--grant-type", s->grant_types,
                       "Allowed grant type, repeatable (default: client_credentials)");
    s->add->add_option("--redirect-uri", s->redirect_uris, "Redirect URI, repeatable");
    s->add->add_option("--scope", s->scope, "Allowed scopes, space-separated");
    s->add->add_option("--access-token-format", s->access_token_format, "jwt or opaque")
        ->capture_default_str();
    s->add->add_option("--alg", s->alg, "Signing alg: RS256, PS256, ES256 or EdDSA")
        ->capture_default_str();
    s->list = client->add_subcommand("list", "List the clients");
    s->show = client->add_subcommand("show", "Show one client");
    s->show->add_option("id", s->id, "client_id")->required();
    s->remove = client->add_subcommand("remove", "Remove a client and its opaque tokens");
    s->remove->add_option("id", s->id, "client_id")->required();
    s->rotate_secret = client->add_subcommand("rotate-secret", "Give a client a new secret");
    s->rotate_secret->add_option("id", s->id, "client_id")->required();
    s->rotate_secret->add_option("--secret", s->secret, "New secret (default: random)");

    return [s](const Config& config) -> std::optional<int> {
        if (!s->add->parsed() && !s->list->parsed() && !s->show->parsed() && !s->remove->parsed() &&
            !s->rotate_secret->parsed()) {
            return std::nullopt;
        }
        auto runtime = open_oidc_runtime(config);
        if (!runtime) {
            return 2;
        }
        oidc::ClientStore clients(*runtime->db);
        if (s->add->parsed()) {
            return add_client(*runtime, *s);
        }
        if (s->rotate_secret->parsed()) {
            return rotate_secret(*runtime, *s);
        }
        if (s->list->parsed()) {
            auto all = clients.list();
            if (!all) {
                std::cerr << "idpd: client list: " << all.error().message << '\n';
                return 1;
            }
            for (const auto& c : *all) {
                std::cout << c.client_id << '\t' << oidc::client_type_name(c.type) << '\t'
                          << oidc::join_scope(c.grant_types) << '\t' << c.name << '\n';
            }
            return 0;
        }
        if (s->show->parsed()) {
            auto found = clients.find(s->id);
            if (!found) {
                std::cerr << "idpd: client show: " << found.error().message << '\n';
                return 1;
            }
            print_client(*found);
            return 0;
        }
        if (auto removed = clients.remove(s->id); !removed) {
            std::cerr << "idpd: client remove: " << removed.error().message << '\n';
            return 1;
        }
        std::cout << "removed " << s->id << '\n';
        return 0;
    };
}

}  // namespace idpd::app
