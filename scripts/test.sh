#!/usr/bin/env bash
# `make test`: starts a throwaway MariaDB for the conformance suite, runs every CTest suite,
# and stops that MariaDB again, also when a test fails or the run is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${1:-build}

work=$(mktemp -d "${TMPDIR:-/tmp}/idpd-test.XXXXXX")
# An absolute path: by the time this runs, the script has changed into the build directory.
cleanup() {
  "$root/scripts/mariadb.sh" stop "$work/mariadb" || echo "test: could not stop MariaDB in $work" >&2
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "test: starting a throwaway MariaDB in $work/mariadb"
IDPD_TEST_MYSQL_URL=$("$root/scripts/mariadb.sh" start "$work/mariadb")
export IDPD_TEST_MYSQL_URL
# The conformance suite fails, rather than skips, its MariaDB half without this URL.

cd "$build_dir"
ctest --output-on-failure --timeout 900
