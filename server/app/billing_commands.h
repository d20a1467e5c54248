#pragma once

#include <CLI/CLI.hpp>

#include "app/client_commands.h"

namespace idpd::app {

// Adds the operators' billing commands to `cli`:
//   idpd billing coupon create --amount 10.00 [--uses N] [--valid-for 30d] [--starts-in 0s]
//   idpd billing confirm-transfer ORDER_NO --amount 12.34 --reference BANK_REF
//   idpd billing bench [--op charge|top-up] [--count N] [--threads T] [--owner-id ID]
// `bench` measures the ledger on the configured database: it opens (or reuses) the billing
// account of user --owner-id, and runs --count postings of 0.01 on --threads threads, each
// under its own idempotency key, then prints postings/s and checks that the ledger sum equals
// the balance (exit 1 when not). Call the result after cli.parse() and load_config().
CommandRunner add_billing_commands(CLI::App& cli);

}  // namespace idpd::app
