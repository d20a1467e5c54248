#include "app/client_commands.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/client_files.h"
#include "app/oidc_runtime.h"
#include "jose/base64url.h"
#include "oidc/client_store.h"
#include "oidc/client_validation.h"
#include "oidc/random.h"
#include "oidc/scope.h"

namespace idpd::app {
namespace {

struct ClientCommandState {
    CLI::App* add = nullptr;
    CLI::App* list = nullptr;
    CLI::App* show = nullptr;
    CLI::App* remove = nullptr;
    CLI::App* rotate_secret = nullptr;
    CLI::App* apply = nullptr;
    CLI::App* hash_secret = nullptr;
    std::string id;
    std::string name;
    std::string secret;
    bool is_public = false;
    std::vector<std::string> grant_types;
    std::vector<std::string> redirect_uris;
    std::string scope;
    std::string access_token_format = "jwt";
    std::string alg = "RS256";
    std::vector<std::string> post_logout_redirect_uris;
    std::string backchannel_logout_uri;
    std::string jwks_file;
    std::string subject_type = "public";
    std::string sector_identifier;
    bool first_party = false;
    bool dpop_bound = false;
    std::string dir;  // client apply --dir
};

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
              << "post_logout_redirect_uris   "
              << oidc::join_scope(client.post_logout_redirect_uris) << '\n'
              << "backchannel_logout_uri      " << client.backchannel_logout_uri << '\n'
              << "subject_type                " << oidc::subject_type_name(client.subject_type)
              << '\n'
              << "sector_identifier           " << client.sector_identifier << '\n'
              << "first_party                 " << (client.first_party ? "true" : "false") << '\n'
              << "dpop_bound_access_tokens    "
              << (client.dpop_bound_access_tokens ? "true" : "false") << '\n'
              << "jwks                        " << (client.jwks.empty() ? "" : client.jwks) << '\n'
              << "managed_by                  " << client.managed_by << '\n'
              << "dynamically_registered      "
              << (client.registration_token_hash.empty() ? "false" : "true") << '\n'
              << "created_at                  " << client.created_at << '\n';
}

// The new metadata flags onto `client`. Errors: a message for stderr.
std::expected<void, std::string> apply_metadata_flags(const ClientCommandState& s,
                                                      oidc::Client& client) {
    client.post_logout_redirect_uris = s.post_logout_redirect_uris;
    client.backchannel_logout_uri = s.backchannel_logout_uri;
    auto subject_type = oidc::parse_subject_type(s.subject_type);
    if (!subject_type) {
        return std::unexpected("--subject-type is public or pairwise");
    }
    client.subject_type = *subject_type;
    client.sector_identifier = s.sector_identifier;
    client.first_party = s.first_party;
    client.dpop_bound_access_tokens = s.dpop_bound;
    if (!s.jwks_file.empty()) {
        std::ifstream in(s.jwks_file, std::ios::binary);
        if (!in) {
            return std::unexpected("--jwks-file: cannot read " + s.jwks_file);
        }
        std::ostringstream text;
        text << in.rdbuf();
        client.jwks = text.str();
        client.token_endpoint_auth_method = oidc::AuthMethod::private_key_jwt;
    }
    return {};
}

int add_client(OidcRuntime& runtime, const ClientCommandState& s) {
    oidc::Client client;
    client.client_id = s.id.empty() ? jose::base64url_encode(oidc::system_random_bytes(16)) : s.id;
    client.name = s.name.empty() ? client.client_id : s.name;
    client.grant_types =
        s.grant_types.empty() ? std::vector<std::string>{"client_credentials"} : s.grant_types;
    client.redirect_uris = s.redirect_uris;
    client.scopes = oidc::split_scope(s.scope);
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
    if (auto flags = apply_metadata_flags(s, client); !flags) {
        std::cerr << "idpd: client add: " << flags.error() << '\n';
        return 2;
    }
    std::string secret;
    if (s.is_public) {
        client.type = oidc::ClientType::public_client;
        client.token_endpoint_auth_method = oidc::AuthMethod::none;
    } else if (client.token_endpoint_auth_method != oidc::AuthMethod::private_key_jwt) {
        secret =
            s.secret.empty() ? oidc::new_client_secret(oidc::system_random_bytes(32)) : s.secret;
        client.secret_hash = runtime.hasher->hash(secret);
    }
    // The same check as registration, client files and the admin API.
    if (auto valid = oidc::validate_client(client, runtime.limits); !valid) {
        std::cerr << "idpd: client add: " << valid.error().description << '\n';
        return 2;
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

// A client from a client file is changed by its file: removing it while the file exists would
// be undone at the next start.
int remove_client(OidcRuntime& runtime, const ClientCommandState& s) {
    oidc::ClientStore clients(*runtime.db);
    auto found = clients.find(s.id);
    if (!found) {
        std::cerr << "idpd: client remove: " << found.error().message << '\n';
        return 1;
    }
    if (!found->managed_by.empty() && std::filesystem::exists(found->managed_by)) {
        std::cerr << "idpd: client remove: " << s.id << " is managed by " << found->managed_by
                  << "; delete that file first, then remove the client\n";
        return 2;
    }
    if (auto removed = clients.remove(s.id); !removed) {
        std::cerr << "idpd: client remove: " << removed.error().message << '\n';
        return 1;
    }
    std::cout << "removed " << s.id << '\n';
    return 0;
}

int apply_files(OidcRuntime& runtime, const ClientCommandState& s, const Config& config) {
    const std::filesystem::path dir =
        s.dir.empty() ? config.clients.dir : std::filesystem::path(s.dir);
    auto applied =
        apply_client_files(*runtime.db, dir, *runtime.hasher, runtime.limits, now_seconds());
    if (!applied) {
        std::cerr << "idpd: client apply: " << applied.error() << '\n';
        return 2;
    }
    std::cout << "client files in " << dir.string() << ": " << applied->created << " created, "
              << applied->updated << " updated\n";
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
    if (!client->managed_by.empty()) {
        std::cerr << "idpd: client rotate-secret: " << s.id << " is managed by "
                  << client->managed_by << "; change its secret_env or secret_hash there\n";
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
    s->add->add_option("--post-logout-redirect-uri", s->post_logout_redirect_uris,
                       "Where /logout may return the browser, repeatable");
    s->add->add_option("--backchannel-logout-uri", s->backchannel_logout_uri,
                       "Where logout tokens are POSTed (https)");
    s->add->add_option("--jwks-file", s->jwks_file,
                       "The client's public JWKS: authenticates with private_key_jwt, no secret");
    s->add->add_option("--subject-type", s->subject_type, "public or pairwise")
        ->capture_default_str();
    s->add->add_option("--sector-identifier", s->sector_identifier,
                       "Pairwise sector host (default: the redirect URIs' one host)");
    s->add->add_flag("--first-party", s->first_party, "The operator's own app: no consent page");
    s->add->add_flag("--dpop-bound", s->dpop_bound, "Access tokens must be DPoP-bound");
    s->list = client->add_subcommand("list", "List the clients");
    s->show = client->add_subcommand("show", "Show one client");
    s->show->add_option("id", s->id, "client_id")->required();
    s->remove = client->add_subcommand("remove", "Remove a client and its opaque tokens");
    s->remove->add_option("id", s->id, "client_id")->required();
    s->rotate_secret = client->add_subcommand("rotate-secret", "Give a client a new secret");
    s->rotate_secret->add_option("id", s->id, "client_id")->required();
    s->rotate_secret->add_option("--secret", s->secret, "New secret (default: random)");
    s->apply = client->add_subcommand("apply", "Create or update the clients of client files");
    s->apply->add_option("--dir", s->dir, "Directory of *.toml files (default: clients.dir)");
    s->hash_secret = client->add_subcommand(
        "hash-secret", "Print the secret_hash of a secret read from stdin, for a client file");

    return [s](const Config& config) -> std::optional<int> {
        if (!s->add->parsed() && !s->list->parsed() && !s->show->parsed() && !s->remove->parsed() &&
            !s->rotate_secret->parsed() && !s->apply->parsed() && !s->hash_secret->parsed()) {
            return std::nullopt;
        }
        auto runtime = open_oidc_runtime(config);
        if (!runtime) {
            return 2;
        }
        if (s->apply->parsed()) {
            return apply_files(*runtime, *s, config);
        }
        if (s->hash_secret->parsed()) {
            std::string secret;
            std::getline(std::cin, secret);
            if (secret.empty()) {
                std::cerr << "idpd: client hash-secret: give the secret on stdin\n";
                return 2;
            }
            std::cout << jose::base64url_encode(runtime->hasher->hash(secret)) << '\n';
            return 0;
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
        return remove_client(*runtime, *s);
    };
}

}  // namespace idpd::app
