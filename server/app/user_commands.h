#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "account/password_policy.h"
#include "app/config.h"
#include "auth/password_hasher.h"
#include "store/open.h"

namespace idpd::app {

// What the user commands need from the configuration.
struct UserCommandSettings {
    store::DatabaseOptions database;
    bool migrate = true;  // [database] migrate_on_start: apply pending migrations first
    auth::PasswordHasherOptions hasher;
    account::PasswordPolicyOptions password_policy;
};

// The settings of `config`: database, migration, and the [passwords] section.
UserCommandSettings user_command_settings(const Config& config);

// The flags of the user commands, as parsed.
struct UserCommandFlags {
    std::string username;                 // --username: the account, or the new account's name
    std::optional<std::int64_t> id;       // --id: the account by numeric user ID
    std::string display_name;             // --display-name (add; default: the username)
    std::string email;                    // --email (add)
    bool verified_email = false;          // --verified-email (add): mark --email verified
    std::optional<std::string> password;  // --password (visible in `ps`: prefer stdin)
    bool password_stdin = false;          // --password-stdin: the first line of standard input
    std::int64_t after = 0;               // --after (list): the last id of the previous page
    std::size_t limit = 50;               // --limit (list)
};

// `idpd user add|list|show|disable|enable|set-password`: accounts for operators, with flags
// only (no prompts), so scripts and `make run` can call them. The same rules as sign-up apply:
// check_username() and the password policy, each violated rule printed on its own line.
class UserCommands {
public:
    // Adds the `user` command and its subcommands under `cli`. `cli` must outlive this object.
    explicit UserCommands(CLI::App& cli);

    UserCommands(const UserCommands&) = delete;
    UserCommands& operator=(const UserCommands&) = delete;

    // Whether `cli.parse()` chose one of these commands.
    bool parsed() const;

    // Runs the chosen command. `in` is read by --password-stdin (its first line). Exit status:
    // 0 done; 1 the database refused or failed (taken username, unknown account); 2 refused
    // input (username rules, password policy, bad flags) or no database.
    int run(const UserCommandSettings& settings, std::istream& in, std::ostream& out,
            std::ostream& err);

private:
    CLI::App* user_ = nullptr;
    CLI::App* add_ = nullptr;
    CLI::App* list_ = nullptr;
    CLI::App* show_ = nullptr;
    CLI::App* disable_ = nullptr;
    CLI::App* enable_ = nullptr;
    CLI::App* set_password_ = nullptr;
    UserCommandFlags flags_;
};

// Adds the user commands to `cli` (see UserCommands); the caller keeps the result alive until
// it has run the command.
std::unique_ptr<UserCommands> add_user_commands(CLI::App& cli);

}  // namespace idpd::app
