#include "app/cli.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "app/audit_commands.h"
#include "app/billing_commands.h"
#include "app/build_info.h"
#include "app/client_commands.h"
#include "app/config.h"
#include "app/key_commands.h"
#include "app/serve.h"
#include "app/user_commands.h"
#include "store/migrate.h"
#include "store/open.h"

namespace idpd::app {
namespace {

int migrate_command(const Config& config) {
    auto db = store::open_database(database_options(config));
    if (!db) {
        std::cerr << "idpd: database: " << db.error().message << '\n';
        return 2;
    }
    auto report = store::migrate(**db);
    if (!report) {
        std::cerr << "idpd: migrate: " << report.error().message << '\n';
        return 1;
    }
    for (const auto& name : report->applied) {
        std::cout << "applied " << name << '\n';
    }
    std::cout << "schema is up to date (" << report->applied.size() << " applied, "
              << report->already_applied << " already applied)\n";
    return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App cli{"idpd — an OpenID Connect identity provider"};
    cli.require_subcommand(1);
    std::string config_file;
    cli.add_option("-c,--config", config_file,
                   "Configuration file (default: config/idpd.toml when it exists)");

    auto* serve_cmd = cli.add_subcommand("serve", "Serve HTTP(S) until SIGINT or SIGTERM");
    auto* migrate_cmd = cli.add_subcommand("migrate", "Apply pending database migrations");
    auto* version_cmd = cli.add_subcommand("version", "Print the version and build");
    auto* config_cmd = cli.add_subcommand("config", "Inspect the configuration");
    config_cmd->require_subcommand(1);
    auto* check_cmd =
        config_cmd->add_subcommand("check", "Validate and print the effective configuration");
    auto user_cmds = add_user_commands(cli);
    auto client_cmds = add_client_commands(cli);
    auto key_cmds = add_key_commands(cli);
    auto audit_cmds = add_audit_commands(cli);
    auto billing_cmds = add_billing_commands(cli);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = cli.exit(e);
        return code == 0 ? 0 : 2;
    }

    if (version_cmd->parsed()) {
        std::cout << "idpd " << version << " (" << git_commit << ")\n";
        return 0;
    }

    std::optional<std::filesystem::path> file;
    if (!config_file.empty()) {
        file = config_file;
    }
    auto config = load_config(file);
    if (!config) {
        std::cerr << "idpd: config: " << config.error().message << '\n';
        return 2;
    }
    if (check_cmd->parsed()) {
        std::cout << describe(*config);
        return 0;
    }
    if (migrate_cmd->parsed()) {
        return migrate_command(*config);
    }
    if (user_cmds->parsed()) {
        return user_cmds->run(user_command_settings(*config), std::cin, std::cout, std::cerr);
    }
    if (auto status = client_cmds(*config)) {
        return *status;
    }
    if (auto status = key_cmds(*config)) {
        return *status;
    }
    if (auto status = audit_cmds(*config)) {
        return *status;
    }
    if (auto status = billing_cmds(*config)) {
        return *status;
    }
    if (serve_cmd->parsed()) {
        return serve(*config);
    }
    return 2;
}

}  // namespace idpd::app
