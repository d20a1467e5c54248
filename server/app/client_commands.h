#pragma once

#include <functional>
#include <optional>

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace idpd::app {

// What a command group does once the configuration is loaded: the exit status when one of its
// subcommands was on the command line, nullopt otherwise.
using CommandRunner = std::function<std::optional<int>(const Config& config)>;

// Adds `idpd client add|list|show|remove|rotate-secret|apply|hash-secret` to `cli`. Call the result
// after cli.parse() and load_config().
CommandRunner add_client_commands(CLI::App& cli);

}  // namespace idpd::app
