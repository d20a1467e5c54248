#include "app/user_commands.h"

#include <ctime>
#include <iostream>

#include "account/email_address.h"
#include "account/user_store.h"
#include "account/username_rules.h"
#include "app/serve.h"
#include "store/migrate.h"

namespace idpd::app {
namespace {

// Exit statuses (UserCommands::run).
constexpr int exit_failed = 1;
constexpr int exit_refused = 2;

// English for the operator; pages translate the same codes through their catalogs.
std::string_view describe(account::UsernameProblem problem) {
    using account::UsernameProblem;
    switch (problem) {
        case UsernameProblem::invalid_utf8:
            return "is not valid UTF-8";
        case UsernameProblem::control_character:
            return "contains a control or invisible character";
        case UsernameProblem::bad_character:
            return "may contain only Chinese characters, letters A-Z, digits, '-' and '_'";
        case UsernameProblem::too_short:
            return "must be at least 4 characters";
        case UsernameProblem::too_long:
            return "must be at most 20 characters";
        case UsernameProblem::all_digits:
            return "must not be digits only";
    }
    return "is not allowed";
}

std::string describe(account::PasswordProblem problem, const account::PasswordPolicy& policy) {
    using account::PasswordProblem;
    switch (problem) {
        case PasswordProblem::invalid_utf8:
            return "is not valid UTF-8";
        case PasswordProblem::too_short:
            return "must be at least " + std::to_string(policy.min_length()) + " characters";
        case PasswordProblem::too_long:
            return "must be at most " + std::to_string(policy.max_length()) + " characters";
        case PasswordProblem::contains_username:
            return "must not contain the username";
        case PasswordProblem::common_password:
            return "is too common (on the list of common and breached passwords)";
        case PasswordProblem::needs_letter:
            return "must contain a letter";
        case PasswordProblem::needs_digit:
            return "must contain a digit";
        case PasswordProblem::needs_symbol:
            return "must contain a symbol";
    }
    return "is not allowed";
}

std::string format_time(std::chrono::sys_seconds time) {
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::chrono::sys_seconds now() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The password from --password or --password-stdin; nullopt when neither was given.
std::optional<std::string> read_password(const UserCommandFlags& flags, std::istream& in) {
    if (flags.password_stdin) {
        std::string line;
        std::getline(in, line);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        return line;
    }
    return flags.password;
}

// Prints every rule `password` breaks; true when it breaks none.
bool report_password_problems(const account::PasswordPolicy& policy, const std::string& password,
                              std::string_view username, std::ostream& err) {
    const auto problems = policy.check(password, username);
    for (auto problem : problems) {
        err << "idpd: password " << describe(problem, policy) << " ("
            << account::problem_name(problem) << ")\n";
    }
    return problems.empty();
}

// The hash of `password` for `username` after the policy, or the exit status to return.
std::expected<std::string, int> checked_hash(const std::string& password, std::string_view username,
                                             const UserCommandSettings& settings,
                                             std::ostream& err) {
    if (!report_password_problems(account::PasswordPolicy{settings.password_policy}, password,
                                  username, err)) {
        return std::unexpected(exit_refused);
    }
    auto hasher = auth::PasswordHasher::create(settings.hasher, auth::system_random());
    if (!hasher) {
        err << "idpd: password hashing: " << hasher.error().message << '\n';
        return std::unexpected(exit_refused);
    }
    auto hash = hasher->hash(password);
    if (!hash) {
        err << "idpd: password hashing: " << hash.error().message << '\n';
        return std::unexpected(exit_failed);
    }
    return std::move(*hash);
}

int database_failure(std::ostream& err, std::string_view what, const store::Error& error) {
    err << "idpd: " << what << ": " << error.message << '\n';
    return exit_failed;
}

// The account named by --id or --username.
store::Result<account::User> find_account(account::UserStore& users,
                                          const UserCommandFlags& flags) {
    if (flags.id) {
        return users.find_by_id(*flags.id);
    }
    return users.find_by_username(flags.username);
}

void print_user(const account::User& user, std::ostream& out) {
    out << "id:           " << user.id << '\n'
        << "username:     " << user.username << '\n'
        << "display name: " << user.display_name << '\n'
        << "status:       " << account::status_name(user.status) << '\n'
        << "password:     " << (user.has_password() ? "set" : "none") << '\n'
        << "registered:   " << format_time(user.created_at) << '\n'
        << "updated:      " << format_time(user.updated_at) << '\n';
}

int add_user(account::UserStore& users, const UserCommandFlags& flags,
             const UserCommandSettings& settings, std::istream& in, std::ostream& out,
             std::ostream& err) {
    // Every broken rule of the username and of the password at once, as a sign-up page does.
    auto username = account::check_username(flags.username);
    if (!username) {
        for (auto problem : username.error()) {
            err << "idpd: username " << describe(problem) << " (" << account::problem_name(problem)
                << ")\n";
        }
    }
    const auto password = read_password(flags, in);
    const account::PasswordPolicy policy{settings.password_policy};
    if (password && !report_password_problems(policy, *password, flags.username, err)) {
        return exit_refused;
    }
    if (!username) {
        return exit_refused;
    }
    std::optional<account::EmailAddress> email;
    if (!flags.email.empty()) {
        email = account::parse_email_address(flags.email);
        if (!email) {
            err << "idpd: --email is not an email address\n";
            return exit_refused;
        }
    } else if (flags.verified_email) {
        err << "idpd: --verified-email needs --email\n";
        return exit_refused;
    }
    account::NewUser user{
        *username, flags.display_name.empty() ? username->text : flags.display_name, std::nullopt};
    if (password) {
        auto hash = checked_hash(*password, username->text, settings, err);
        if (!hash) {
            return hash.error();
        }
        user.password_hash = std::move(*hash);
    }
    const auto at = now();
    account::User created;
    // The account and its address together, or neither.
    auto done = users.transaction([&](account::UserStore& tx) -> store::Result<void> {
        auto inserted = tx.create(user, at);
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        created = *inserted;
        if (email) {
            if (auto added = tx.add_email(created.id, *email, at); !added) {
                return std::unexpected(added.error());
            }
            if (flags.verified_email) {
                if (auto verified = tx.mark_email_verified(created.id, *email, at); !verified) {
                    return verified;
                }
            }
        }
        return {};
    });
    if (!done) {
        if (done.error().kind == store::Error::Kind::conflict) {
            err << "idpd: username " << username->text << " is taken\n";
            return exit_failed;
        }
        return database_failure(err, "add user", done.error());
    }
    out << "created user " << created.id << " (" << created.username << ")"
        << (created.has_password() ? "" : " without a password") << '\n';
    return 0;
}

int list_users(account::UserStore& users, const UserCommandFlags& flags, std::ostream& out,
               std::ostream& err) {
    auto page = users.list(flags.after, flags.limit);
    if (!page) {
        return database_failure(err, "list users", page.error());
    }
    for (const auto& user : page->users) {
        out << user.id << '\t' << user.username << '\t' << account::status_name(user.status) << '\t'
            << format_time(user.created_at) << '\n';
    }
    if (page->next_after) {
        out << "# more: --after " << *page->next_after << '\n';
    }
    return 0;
}

int show_user(account::UserStore& users, const account::User& user, std::ostream& out,
              std::ostream& err) {
    print_user(user, out);
    auto emails = users.emails(user.id);
    if (!emails) {
        return database_failure(err, "show user", emails.error());
    }
    for (const auto& email : *emails) {
        out << "email:        " << email.email << (email.is_primary ? " (primary)" : "")
            << (email.verified_at ? " verified " + format_time(*email.verified_at)
                                  : std::string(" unverified"))
            << '\n';
    }
    return 0;
}

}  // namespace

UserCommandSettings user_command_settings(const Config& config) {
    UserCommandSettings settings;
    settings.database = database_options(config);
    settings.migrate = config.database.migrate_on_start;
    settings.hasher = auth::PasswordHasherOptions{config.passwords.argon2_memory_kib,
                                                  config.passwords.argon2_iterations,
                                                  config.passwords.argon2_parallelism};
    // load_config accepted only the names parse_password_preset knows.
    settings.password_policy.preset = account::parse_password_preset(config.passwords.policy)
                                          .value_or(account::PasswordPreset::asvs);
    return settings;
}

UserCommands::UserCommands(CLI::App& cli) {
    user_ = cli.add_subcommand("user", "Manage local accounts (for operators)");
    user_->require_subcommand(1);

    auto add_account_flags = [this](CLI::App* command) {
        auto* id = command->add_option("--id", flags_.id, "The account's numeric user ID");
        auto* name =
            command->add_option("--username", flags_.username, "The account's username (any case)");
        id->excludes(name);
        name->excludes(id);
        command->callback([command, id, name] {
            if (id->count() == 0 && name->count() == 0) {
                throw CLI::RequiredError(command->get_name() + ": --id or --username");
            }
        });
    };
    auto add_password_flags = [this](CLI::App* command, bool required) {
        auto* plain = command->add_option("--password", flags_.password,
                                          "The password (visible to `ps`: prefer stdin)");
        auto* from_stdin = command->add_flag("--password-stdin", flags_.password_stdin,
                                             "Read the password from the first line of stdin");
        plain->excludes(from_stdin);
        from_stdin->excludes(plain);
        if (required) {
            command->callback([command, plain, from_stdin] {
                if (plain->count() == 0 && from_stdin->count() == 0) {
                    throw CLI::RequiredError(command->get_name() +
                                             ": --password or --password-stdin");
                }
            });
        }
    };

    add_ = user_->add_subcommand("add", "Create an account");
    add_->add_option("--username", flags_.username, "Username (4-20 characters)")->required();
    add_->add_option("--display-name", flags_.display_name, "Display name (default: username)");
    add_->add_option("--email", flags_.email, "An email address for the account");
    add_->add_flag("--verified-email", flags_.verified_email,
                   "Mark --email verified (it can then be used to sign in)");
    add_password_flags(add_, false);

    list_ = user_->add_subcommand("list", "List accounts by ascending id");
    list_->add_option("--after", flags_.after, "Start after this id (from the previous page)");
    list_->add_option("--limit", flags_.limit, "Accounts per page (1-1000)")
        ->check(CLI::Range(1, 1000));

    show_ = user_->add_subcommand("show", "Show one account and its email addresses");
    add_account_flags(show_);
    disable_ = user_->add_subcommand("disable", "Disable an account: it can no longer sign in");
    add_account_flags(disable_);
    enable_ = user_->add_subcommand("enable", "Enable a disabled account again");
    add_account_flags(enable_);
    set_password_ = user_->add_subcommand("set-password", "Set an account's password");
    add_account_flags(set_password_);
    add_password_flags(set_password_, true);
}

bool UserCommands::parsed() const {
    return user_->parsed();
}

int UserCommands::run(const UserCommandSettings& settings, std::istream& in, std::ostream& out,
                      std::ostream& err) {
    auto db = store::open_database(settings.database);
    if (!db) {
        err << "idpd: database: " << db.error().message << '\n';
        return exit_refused;
    }
    if (settings.migrate) {
        if (auto report = store::migrate(**db); !report) {
            err << "idpd: migrate: " << report.error().message << '\n';
            return exit_failed;
        }
    }
    account::UserStore users{**db};
    if (add_->parsed()) {
        return add_user(users, flags_, settings, in, out, err);
    }
    if (list_->parsed()) {
        return list_users(users, flags_, out, err);
    }
    auto user = find_account(users, flags_);
    if (!user) {
        if (user.error().kind == store::Error::Kind::not_found) {
            err << "idpd: no such account\n";
            return exit_failed;
        }
        return database_failure(err, "find user", user.error());
    }
    if (show_->parsed()) {
        return show_user(users, *user, out, err);
    }
    if (disable_->parsed() || enable_->parsed()) {
        const auto status =
            disable_->parsed() ? account::UserStatus::disabled : account::UserStatus::active;
        if (auto set = users.set_status(user->id, status, now()); !set) {
            return database_failure(err, "set status", set.error());
        }
        out << "user " << user->id << " (" << user->username << ") is "
            << account::status_name(status) << '\n';
        return 0;
    }
    if (set_password_->parsed()) {
        const auto password = read_password(flags_, in).value_or(std::string{});
        auto hash = checked_hash(password, user->username, settings, err);
        if (!hash) {
            return hash.error();
        }
        if (auto set = users.set_password_hash(user->id, *hash, now()); !set) {
            return database_failure(err, "set password", set.error());
        }
        out << "password of user " << user->id << " (" << user->username << ") is set\n";
        return 0;
    }
    return exit_refused;
}

std::unique_ptr<UserCommands> add_user_commands(CLI::App& cli) {
    return std::make_unique<UserCommands>(cli);
}

}  // namespace idpd::app
