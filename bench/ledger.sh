#!/usr/bin/env bash
# Ledger throughput: `idpd billing bench` (charges of 0.01, each its own transaction with a
# ledger row and an idempotency key) on a fresh SQLite file and on a throwaway MariaDB that this
# script starts and stops (scripts/mariadb.sh). Prints one line per backend and thread count.
#   bench/ledger.sh [COUNT]        default 2000 charges per run
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"
idpd="${IDPD_BINARY:-build/idpd}"
work="$(mktemp -d /tmp/idpd-ledger-bench.XXXXXX)"
mariadb_dir="$work/mariadb"
cleanup() {
    scripts/mariadb.sh stop "$mariadb_dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

run() {  # backend-name database-url threads
    echo -n "$1, $3 threads: "
    IDPD_DATABASE_URL="$2" IDPD_SERVER_VAR_DIR="$work" IDPD_LOG_LEVEL=warn \
        timeout 600 "$idpd" billing bench --op charge --count "$count" --threads "$3"
}

for threads in 1 4; do
    run sqlite "sqlite:$work/ledger-$threads.db" "$threads"
done
url="$(scripts/mariadb.sh start "$mariadb_dir")"
for threads in 1 4; do
    run mariadb "$url" "$threads"
done
