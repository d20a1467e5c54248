#!/usr/bin/env bash
# `make test`: starts a throwaway MariaDB for the conformance suite, runs every CTest suite,
# and stops that MariaDB again, also when a test fails or the run is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

work=$(mktemp -d "${TMPDIR:-/tmp}/idpd-test.XXXXXX")
cleanup() {
  scripts/mariadb.sh stop "$work/mariadb" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "test: starting a throwaway MariaDB in $work/mariadb"
IDPD_TEST_MYSQL_URL=$(scripts/mariadb.sh start "$work/mariadb")
export IDPD_TEST_MYSQL_URL
# The conformance suite fails, rather than skips, its MariaDB half without this URL.

cd "$build_dir"
ctest --output-on-failure --timeout 900
