#pragma once

namespace idpd::app {

// The `idpd` command line: serve, migrate, version, config check. Returns the exit status:
// 0 success, 1 a failure while running, 2 bad configuration or a start-up error (one line on
// stderr that names the cause).
int run_cli(int argc, char** argv);

}  // namespace idpd::app
