#pragma once

#include <memory>
#include <ostream>

#include "app/config.h"
#include "store/open.h"

namespace idpd::app {

// `idpd serve`: opens the database, migrates, builds the app and serves until SIGINT or
// SIGTERM, then drains. SIGHUP re-reads the TLS certificate. Returns the exit status (2 for a
// start-up error, printed as one line).
int serve(const Config& config);

// The database settings of `config`, as store::open_database takes them.
store::DatabaseOptions database_options(const Config& config);

// Opens the configured database and, when database.migrate_on_start is set, applies pending
// migrations. On failure writes one "idpd: …" line to `err` and returns null.
std::unique_ptr<store::Database> open_configured_database(const Config& config, std::ostream& err);

}  // namespace idpd::app
