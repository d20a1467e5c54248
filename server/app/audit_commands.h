#pragma once

#include <iosfwd>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/client_commands.h"
#include "audit/audit_log.h"

namespace idpd::app {

// Adds `idpd audit tail [-n N] [--user ID] [--type T] [--json]` to `cli`: the newest security
// events, newest last, one line each (times in UTC), or one JSON object per line. Call the
// result after cli.parse() and load_config().
CommandRunner add_audit_commands(CLI::App& cli);

// The lines `idpd audit tail` prints for `records`.
void print_audit_records(const std::vector<audit::Record>& records, bool json, std::ostream& out);

}  // namespace idpd::app
