#!/usr/bin/env bash
# A throwaway MariaDB for tests: its own data directory, a Unix socket and no TCP port, so it
# never meets another server on this machine.
#
#   scripts/mariadb.sh start DIR   prints  mysql://root@localhost/idpd_test?socket=DIR/mysqld.sock
#   scripts/mariadb.sh stop DIR    ends that server (by the PID in DIR/mysqld.pid), removes DIR
#   scripts/mariadb.sh halt DIR    ends that server but keeps DIR, so `start DIR` brings the
#                                  same data back (outage tests)
#
# Only the URL goes to stdout, so `url=$(scripts/mariadb.sh start DIR)` works; progress and
# failures go to stderr.
set -euo pipefail

readonly marker=.idpd-mariadb      # stop removes only a directory that start created
readonly start_timeout_s=60
readonly stop_timeout_s=60

usage() {
    echo "usage: $0 start DIR | stop DIR | halt DIR" >&2
    exit 2
}

log() { echo "mariadb.sh: $*" >&2; }

# The server options, shared by the bootstrap and the real start. --no-defaults keeps
# /etc/mysql out: the tests must not depend on how this machine's MariaDB is configured.
server_options() {
    local dir=$1
    local -a options=(
        --no-defaults
        --datadir="$dir/data"
        # Small and fast: a test database holds a few rows, and losing it in a crash is fine.
        --innodb-buffer-pool-size=32M
        --innodb-log-file-size=16M
        --innodb-flush-log-at-trx-commit=2
        --innodb-doublewrite=0
    )
    # mariadbd refuses to run as root unless told to.
    if [[ $(id -u) -eq 0 ]]; then
        options+=(--user=root)
    fi
    printf '%s\n' "${options[@]}"
}

# A zombie counts as ended: in a container, PID 1 may never reap the server we started.
is_running() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 1
    local state
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [[ $state != Z ]]
}

# True when `pid` is the mariadbd serving `dir` (a PID can be reused by another process).
is_our_server() {
    local pid=$1 dir=$2
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' '\n' </proc/"$pid"/cmdline | grep -qxF -- "--datadir=$dir/data"
}

client() {
    local dir=$1
    shift
    mariadb --no-defaults --user=root --socket="$dir/mysqld.sock" "$@"
}

start() {
    local dir=$1
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local socket=$dir/mysqld.sock
    # A Unix socket path holds at most 107 bytes.
    if ((${#socket} > 100)); then
        log "socket path too long (${#socket} bytes): $socket; choose a shorter DIR"
        exit 1
    fi
    if [[ -f $dir/mysqld.pid ]] && is_running "$(cat "$dir/mysqld.pid")"; then
        log "a server already runs in $dir (pid $(cat "$dir/mysqld.pid"))"
        exit 1
    fi
    touch "$dir/$marker"

    local -a options
    mapfile -t options < <(server_options "$dir")

    if [[ ! -d $dir/data/mysql ]]; then
        log "creating a data directory in $dir/data"
        # `normal` gives root@localhost a password login with an empty password, so the
        # tests connect as root over the socket whoever runs them.
        if ! mariadb-install-db "${options[@]}" --auth-root-authentication-method=normal \
            --skip-test-db >"$dir/install.log" 2>&1; then
            log "mariadb-install-db failed; its log:"
            tail -n 40 "$dir/install.log" >&2
            exit 1
        fi
    fi

    log "starting mariadbd on $socket"
    # setsid and closed stdio: the server outlives this script, and a caller reading our
    # stdout through $(...) does not wait for the server to close it.
    setsid mariadbd "${options[@]}" --socket="$socket" --skip-networking \
        --pid-file="$dir/mysqld.pid" --log-error="$dir/mysqld.log" \
        </dev/null >>"$dir/mysqld.log" 2>&1 &
    local launched=$!

    local deadline=$((SECONDS + start_timeout_s))
    until client "$dir" --connect-timeout=2 -e 'SELECT 1' >/dev/null 2>&1; do
        if ! is_running "$launched"; then
            log "mariadbd exited during start; the end of $dir/mysqld.log:"
            tail -n 40 "$dir/mysqld.log" >&2
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            log "mariadbd did not answer within ${start_timeout_s}s; the end of $dir/mysqld.log:"
            tail -n 40 "$dir/mysqld.log" >&2
            exit 1
        fi
        sleep 0.2
    done

    # utf8mb4_bin: comparisons and unique keys are case-sensitive, as on SQLite.
    client "$dir" -e 'CREATE DATABASE IF NOT EXISTS idpd_test
                      CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'
    log "ready (pid $(cat "$dir/mysqld.pid"))"
    echo "mysql://root@localhost/idpd_test?socket=$socket"
}

# Ends the server of `dir` (which start created), leaving its files.
halt() {
    local dir=$1
    if [[ ! -d $dir ]]; then
        log "nothing to stop: $dir does not exist"
        return 1
    fi
    dir=$(cd "$dir" && pwd)
    if [[ ! -f $dir/$marker ]]; then
        log "$dir was not created by '$0 start'; leaving it alone"
        exit 1
    fi
    if [[ -f $dir/mysqld.pid ]]; then
        local pid
        pid=$(cat "$dir/mysqld.pid")
        if is_running "$pid" && is_our_server "$pid" "$dir"; then
            log "stopping mariadbd (pid $pid)"
            kill -TERM "$pid"
            local deadline=$((SECONDS + stop_timeout_s))
            while is_running "$pid"; do
                if ((SECONDS >= deadline)); then
                    log "mariadbd (pid $pid) ignored SIGTERM for ${stop_timeout_s}s; killing it"
                    kill -KILL "$pid" 2>/dev/null || true
                    break
                fi
                sleep 0.2
            done
        fi
    fi
}

stop() {
    local dir=$1
    halt "$dir" || return 0
    rm -rf -- "$(cd "$dir" && pwd)"
}

[[ $# -eq 2 && -n $2 ]] || usage
case $1 in
    start) start "$2" ;;
    stop) stop "$2" ;;
    halt) halt "$2" ;;
    *) usage ;;
esac
