#pragma once

#include "app/config.h"

namespace idpd::app {

// Diagnostics go to stderr as text; the access log ("access" logger) goes to stdout as one JSON
// object per line, so log shippers can split the two.
void setup_logging(const Config::Log& log);

}  // namespace idpd::app
