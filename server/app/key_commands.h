#pragma once

#include <CLI/CLI.hpp>

#include "app/client_commands.h"

namespace idpd::app {

// Adds `idpd keys list|rotate [--alg ALG] [--now]` to `cli`. Call the result after cli.parse()
// and load_config().
CommandRunner add_key_commands(CLI::App& cli);

}  // namespace idpd::app
