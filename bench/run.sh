#!/usr/bin/env bash
# make bench: idpd side by side with node-oidc-provider (bench/peer), on loopback, one core for
# the server under test and one for wrk. Writes bench/results/<date>.md and <date>.svg; the raw
# wrk output and server logs go to bench/results/raw/<date>/ (ignored by git).
#
# Environment (all optional):
#   BUILD_DIR=build          where `make build` put the Release idpd
#   BENCH_DURATION=10s       each measured wrk run (wrk's -d syntax); BENCH_DURATION=3s for a quick look
#   BENCH_WARMUP=2s          an unmeasured wrk run before each measured one
#   BENCH_CONNECTIONS=32     wrk connections (one wrk thread)
#   BENCH_SERVER_CPU=1       the core the server (and MariaDB) is pinned to
#   BENCH_CLIENT_CPU=0       the core wrk and this script are pinned to
#   BENCH_PORT=18480         idpd listens here, the peer on BENCH_PORT+1
#   BENCH_ONLY="discovery jwks"  run only these scenarios (names below)
#   BENCH_NAME=<date>        the results' file name (bench/results/<name>.md and .svg)
#   BENCH_STORAGE="sqlite mariadb"  the idpd storage variants to run
#   BENCH_PERF=1             also record a profile of idpd during each measured run
#                            (perf record -g; raw/<name>/idpd-<storage>-<scenario>.perf.data)
#
# Every process this script starts (idpd, node, MariaDB) is recorded and ended by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
readonly root=$PWD

readonly build_dir=${BUILD_DIR:-build}
readonly duration=${BENCH_DURATION:-10s}
readonly warmup=${BENCH_WARMUP:-2s}
readonly connections=${BENCH_CONNECTIONS:-32}
readonly server_cpu=${BENCH_SERVER_CPU:-1}
readonly client_cpu=${BENCH_CLIENT_CPU:-0}
readonly idpd_port=${BENCH_PORT:-18480}
readonly peer_port=$((idpd_port + 1))
readonly only=${BENCH_ONLY:-}
readonly storages=${BENCH_STORAGE:-sqlite mariadb}
readonly profile=${BENCH_PERF:-}
readonly secret=bench-secret-8f3b2c71e4a94d0e9a55c1d7b6f2e048
readonly clk_tck=$(getconf CLK_TCK)
readonly date=$(date +%F)
readonly results_name=${BENCH_NAME:-$date}
readonly results=$root/bench/results
readonly raw=$results/raw/$results_name
readonly idpd=$root/$build_dir/idpd

log() { echo "bench: $*" >&2; }
die() {
    log "$*"
    exit 1
}

# --- processes we own -------------------------------------------------------------------------

work=$(mktemp -d /tmp/idpd-bench.XXXXXX) # short: MariaDB's socket lives here
# idpd reads ./config/idpd.toml when present; an empty file keeps the run to built-in defaults
# plus the IDPD_* variables below, whatever the working tree's config says.
readonly config=$work/idpd.toml
: >"$config"
started=()                                # PIDs of servers we spawned and have not ended yet
mariadb_dir=""

stop_pid() {
    local pid=$1
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true
    local kept=() p
    for p in "${started[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
    started=("${kept[@]}")
}

cleanup() {
    local pid
    for pid in "${started[@]}"; do stop_pid "$pid"; done
    if [[ -n $mariadb_dir ]]; then
        scripts/mariadb.sh stop "$mariadb_dir" >/dev/null 2>&1 || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- checks -----------------------------------------------------------------------------------

for tool in wrk taskset gnuplot node npm curl argon2; do
    command -v "$tool" >/dev/null || die "$tool is missing; run scripts/install-deps.sh --bench"
done
[[ -x $idpd ]] || die "$idpd is missing; run make build (or make bench)"
grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build_dir/CMakeCache.txt" ||
    die "$build_dir is not a Release build; make bench builds one"
(($(nproc) >= 2)) || log "warning: fewer than 2 cores; the server and wrk will share one"

mkdir -p "$raw"
# This shell, wrk and curl stay on the client core; servers are started on the server core.
taskset -pc "$client_cpu" $$ >/dev/null

log "npm ci in bench/peer"
npm ci --prefix bench/peer --no-audit --no-fund --loglevel=error >/dev/null

# --- measuring one process ----------------------------------------------------------------------

# wrk's duration syntax (30, 30s, 2m, 1h) in seconds.
seconds_of() {
    local d=$1
    case $d in
        *h) echo $((${d%h} * 3600)) ;;
        *m) echo $((${d%m} * 60)) ;;
        *s) echo "${d%s}" ;;
        *) echo "$d" ;;
    esac
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, all threads
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# Polls `path` on `port` with bash's /dev/tcp (no process per try) until it answers 200; prints
# the milliseconds since `t0` (an $EPOCHREALTIME). Fails if `pid` dies or 30 s pass.
wait_ready() {
    local pid=$1 port=$2 path=$3 t0=$4 fd line
    local deadline=$((SECONDS + 30))
    while :; do
        if { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
            printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&"$fd"
            line=""
            read -r -t 5 line <&"$fd" || true
            exec {fd}>&-
            if [[ $line == "HTTP/1.1 200"* ]]; then
                local t1=$EPOCHREALTIME
                awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) * 1000}'
                return 0
            fi
        fi
        kill -0 "$pid" 2>/dev/null || die "server (pid $pid) exited during start; see $raw"
        ((SECONDS < deadline)) || die "server (pid $pid) not ready within 30 s"
    done
}

# --- the servers --------------------------------------------------------------------------------

# The account and the first-party web client of the browser-less flows (bench/flow_setup.mjs).
readonly flow_user=bench_user flow_password='bench passphrase 2026' flow_client=bench-web
readonly flow_redirect=http://127.0.0.1:9/cb
# Argon2id for the next idpd start: empty = the OWASP defaults; code-flow-cheap sets the least
# idpd accepts (1 MiB, one pass), so the flow's own cost shows.
argon2_env=""

# idpd's environment for one storage variant (sqlite | mariadb).
idpd_env() {
    local storage=$1 url
    if [[ $storage == sqlite ]]; then url=sqlite:$work/idpd.db; else url=$mariadb_url; fi
    echo "IDPD_SERVER_PORT=$idpd_port IDPD_SERVER_ISSUER=http://localhost:$idpd_port $argon2_env
          IDPD_SERVER_VAR_DIR=$work IDPD_SERVER_STATIC_DIR=$root/static
          IDPD_SERVER_DRAIN_TIMEOUT=1s IDPD_DATABASE_URL=$url IDPD_LOG_ACCESS_LOG=false
          IDPD_KEYS_MASTER_KEY=$master_key"
}

# The database, the four clients and the signing keys, made once per storage variant so that
# every measured start is a warm start (keys already there), like a restart in production.
setup_idpd() {
    local storage=$1 name alg format
    local setup_log=$raw/idpd-$storage.setup.log
    # shellcheck disable=SC2046
    env $(idpd_env "$storage") "$idpd" --config "$config" migrate >>"$setup_log" 2>&1 ||
        die "idpd migrate failed; see $setup_log"
    for name in opaque rs256 es256 eddsa; do
        case $name in
            opaque) format=opaque alg=RS256 ;;
            rs256) format=jwt alg=RS256 ;;
            es256) format=jwt alg=ES256 ;;
            eddsa) format=jwt alg=EdDSA ;;
        esac
        # shellcheck disable=SC2046
        env $(idpd_env "$storage") "$idpd" --config "$config" client add --id "bench-$name" \
            --secret "$secret" --grant-type client_credentials --scope api \
            --access-token-format "$format" --alg "$alg" >>"$setup_log" 2>&1 ||
            die "idpd client add failed; see $setup_log"
    done
    # shellcheck disable=SC2046
    printf '%s\n' "$flow_password" | env $(idpd_env "$storage") "$idpd" --config "$config" \
        user add --username "$flow_user" --password-stdin >>"$setup_log" 2>&1 ||
        die "idpd user add failed; see $setup_log"
    # shellcheck disable=SC2046
    env $(idpd_env "$storage") "$idpd" --config "$config" client add --id "$flow_client" \
        --secret "$secret" --grant-type authorization_code --grant-type refresh_token \
        --redirect-uri "$flow_redirect" --scope "openid profile offline_access" --first-party --access-token-format jwt --alg ES256 \
        >>"$setup_log" 2>&1 || die "idpd client add (web) failed; see $setup_log"
    # The first start generates the signing keys.
    start_server idpd "$storage"
    stop_server
}

server_pid="" ready_ms="" idle_kib="" idle_anon_kib=""
# Starts idpd (variant sqlite|mariadb) or the peer on the server core; sets server_pid, ready_ms
# (spawn to the first 200), idle_kib (VmRSS one second later) and idle_anon_kib (RssAnon: the
# process's own memory, without the shared-library pages counted in VmRSS). Not in a $(…): it sets globals.
start_server() {
    local kind=$1 storage=$2 t0 ready
    t0=$EPOCHREALTIME
    if [[ $kind == idpd ]]; then
        # shellcheck disable=SC2046
        env $(idpd_env "$storage") taskset -c "$server_cpu" "$idpd" --config "$config" serve \
            >>"$raw/idpd-$storage.log" 2>&1 &
        server_pid=$!
        started+=("$server_pid")
        ready=$(wait_ready "$server_pid" "$idpd_port" /readyz "$t0")
    else
        PEER_PORT=$peer_port PEER_SECRET=$secret PEER_KEYS_FILE=$work/peer-keys.json \
            PEER_REDIRECT_URI=$flow_redirect \
            NODE_ENV=production taskset -c "$server_cpu" node bench/peer/server.mjs \
            >>"$raw/peer.log" 2>&1 &
        server_pid=$!
        started+=("$server_pid")
        ready=$(wait_ready "$server_pid" "$peer_port" /.well-known/openid-configuration "$t0")
    fi
    ready_ms=$ready
    sleep 1 # let start-up work (JIT, lazy init) settle before reading the idle size
    idle_kib=$(status_kib "$server_pid" VmRSS)
    idle_anon_kib=$(status_kib "$server_pid" RssAnon)
}

stop_server() {
    stop_pid "$server_pid"
    server_pid=""
}

# --- scenarios ----------------------------------------------------------------------------------

readonly scenarios=(discovery jwks cc-opaque cc-rs256 cc-es256 cc-eddsa
    introspect-valid introspect-unknown wrong-secret discovery-close
    userinfo refresh code-flow-session code-flow-cheap code-flow signin)
# Scenarios with a signed-in user (bench/flow_setup.mjs signs in first).
readonly user_flows=" userinfo refresh code-flow-session code-flow-cheap code-flow signin "
# Scenarios with a password sign-in: the peer has no password pages, so only idpd runs them.
readonly idpd_only=" code-flow-cheap code-flow signin "

describe() {
    case $1 in
        discovery) echo "discovery document" ;;
        jwks) echo "JWKS (8 keys each)" ;;
        cc-opaque) echo "client_credentials, opaque token" ;;
        cc-rs256) echo "client_credentials, RS256 JWT" ;;
        cc-es256) echo "client_credentials, ES256 JWT" ;;
        cc-eddsa) echo "client_credentials, EdDSA JWT" ;;
        introspect-valid) echo "introspection, valid opaque token" ;;
        introspect-unknown) echo "introspection, unknown token" ;;
        wrong-secret) echo "wrong client secret (401)" ;;
        discovery-close) echo "discovery, new TCP connection per request" ;;
        userinfo) echo "userinfo, bearer token (idpd: ES256 JWT; peer: opaque)" ;;
        refresh) echo "refresh_token grant with rotation" ;;
        code-flow-session) echo "authorize → token, pre-made session" ;;
        code-flow-cheap) echo "sign-in → authorize → token, Argon2id 1 MiB t=1" ;;
        code-flow) echo "sign-in → authorize → token, Argon2id OWASP" ;;
        signin) echo "password sign-in (POST /signin), Argon2id OWASP" ;;
    esac
}

# A fresh access token from a running server (for introspect-valid).
fetch_token() {
    local base=$1 token_path=$2
    curl -sf -u "bench-opaque:$secret" -d grant_type=client_credentials -d scope=api \
        "$base$token_path" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).access_token))'
}

# Signs bench_user in on a running server as a browser would and sets flow_env (NAME=value
# lines for bench/wrk/flow.lua). For refresh: the first tokens of four chains per connection,
# made just before the run that spends them (each is single-use, and the peer's in-memory store
# would evict chains left idle through a warm-up).
flow_env=()
flow_setup() {
    local kind=$1 base=$2 issuer=$3 scenario=$4 chains=0
    [[ $scenario == refresh ]] && chains=$((4 * connections))
    mapfile -t flow_env < <(BENCH_REFRESH_COUNT=$chains node bench/flow_setup.mjs "$kind" "$base" \
        "$issuer" "$flow_user" "$flow_password" "$flow_client" "$secret" "$flow_redirect")
    ((${#flow_env[@]} > 0)) || die "flow set-up failed for $scenario; see above"
}

# Runs one scenario against one server variant, appends a row to $rows:
# server storage scenario rps p50_us p99_us req_per_cpu_s cpu_pct peak_kib ready_ms idle_kib bad
# idle_anon_kib
run_one() {
    local kind=$1 storage=$2 scenario=$3
    local base token_path introspect_path userinfo_path issuer
    if [[ $kind == idpd ]]; then
        base=http://127.0.0.1:$idpd_port token_path=/token introspect_path=/introspect
        userinfo_path=/userinfo issuer=http://localhost:$idpd_port
    else
        base=http://127.0.0.1:$peer_port token_path=/token introspect_path=/token/introspection
        userinfo_path=/me issuer=http://localhost:$peer_port
    fi
    argon2_env=""
    if [[ $scenario == code-flow-cheap ]]; then
        argon2_env="IDPD_PASSWORDS_ARGON2_MEMORY_KIB=1024 IDPD_PASSWORDS_ARGON2_ITERATIONS=1"
    fi
    start_server "$kind" "$storage"
    local ready=$ready_ms idle=$idle_kib idle_anon=$idle_anon_kib

    local method=GET path=/.well-known/openid-configuration body="" expect=ok
    local script=bench/wrk/request.lua
    local -a headers=()
    flow_env=()
    if [[ $user_flows == *" $scenario "* ]]; then
        flow_setup "$kind" "$base" "$issuer" "$scenario"
    fi
    case $scenario in
        discovery) ;;
        discovery-close) headers=(-H "Connection: close") ;;
        jwks) path=/jwks ;;
        cc-*)
            method=POST path=$token_path body="grant_type=client_credentials&scope=api"
            headers=(-H "Authorization: Basic $(printf 'bench-%s:%s' "${scenario#cc-}" "$secret" | base64 -w0)")
            ;;
        introspect-valid | introspect-unknown)
            local token
            if [[ $scenario == introspect-valid ]]; then
                token=$(fetch_token "$base" "$token_path")
            else
                token=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d =)
            fi
            method=POST path=$introspect_path body="token=$token&token_type_hint=access_token"
            headers=(-H "Authorization: Basic $(printf 'bench-opaque:%s' "$secret" | base64 -w0)")
            ;;
        userinfo)
            path=$userinfo_path
            headers=(-H "Authorization: Bearer $(printf '%s\n' "${flow_env[@]}" | sed -n 's/^BENCH_ACCESS_TOKEN=//p')")
            ;;
        refresh) script=bench/wrk/flow.lua flow_env+=(BENCH_FLOW=refresh) path=/token ;;
        code-flow-session) script=bench/wrk/flow.lua flow_env+=(BENCH_FLOW=code) path=/authorize ;;
        code-flow-cheap | code-flow) script=bench/wrk/flow.lua flow_env+=(BENCH_FLOW=login-code) path=/signin ;;
        signin) script=bench/wrk/flow.lua flow_env+=(BENCH_FLOW=signin) path=/signin ;;
        wrong-secret)
            method=POST path=$token_path body="grant_type=client_credentials&scope=api" expect=fail
            headers=(-H "Authorization: Basic $(printf 'bench-opaque:%s' "not-the-secret" | base64 -w0)")
            ;;
    esac

    local out=$raw/$kind-$storage-$scenario.txt
    local -a wrk_cmd=(wrk -t1 -c"$connections" --timeout 5s --latency -s "$script" "${headers[@]}"
        "$base$path")
    BENCH_METHOD=$method BENCH_BODY=$body env "${flow_env[@]}" "${wrk_cmd[@]}" -d"$warmup" >/dev/null
    if [[ $scenario == refresh ]]; then
        flow_setup "$kind" "$base" "$issuer" "$scenario"
        flow_env+=(BENCH_FLOW=refresh)
    fi

    local extra_pid="" c0 c1 t0 t1
    [[ $storage == mariadb ]] && extra_pid=$(cat "$mariadb_dir/mysqld.pid")
    c0=$(cpu_ticks "$server_pid")
    [[ -n $extra_pid ]] && c0=$((c0 + $(cpu_ticks "$extra_pid")))
    local perf_pid=""
    if [[ -n $profile && $kind == idpd ]]; then
        # Bounded by its own sleep, which lasts as long as the measured run.
        perf record -q -F 999 -g -p "$server_pid" -o "$raw/idpd-$storage-$scenario.perf.data" \
            -- sleep "$(seconds_of "$duration")" >/dev/null 2>&1 &
        perf_pid=$!
        started+=("$perf_pid")
    fi
    t0=$EPOCHREALTIME
    BENCH_METHOD=$method BENCH_BODY=$body env "${flow_env[@]}" "${wrk_cmd[@]}" -d"$duration" >"$out"
    t1=$EPOCHREALTIME
    [[ -n $perf_pid ]] && wait "$perf_pid"
    c1=$(cpu_ticks "$server_pid")
    [[ -n $extra_pid ]] && c1=$((c1 + $(cpu_ticks "$extra_pid")))
    local peak
    peak=$(status_kib "$server_pid" VmHWM)
    stop_server

    local line
    line=$(grep '^bench:' "$out") || die "no result from wrk in $out"
    local requests duration_us p50 p99 non2xx socket_errors
    requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line")
    duration_us=$(sed 's/.*duration_us=\([0-9]*\).*/\1/' <<<"$line")
    p50=$(sed 's/.*p50_us=\([0-9]*\).*/\1/' <<<"$line")
    p99=$(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<<"$line")
    non2xx=$(sed 's/.*non2xx=\([0-9]*\).*/\1/' <<<"$line")
    socket_errors=$(sed 's/.*socket_errors=\([0-9]*\).*/\1/' <<<"$line")
    # A run whose answers were not the expected kind is reported, not hidden.
    local bad=0
    if [[ $expect == ok ]]; then
        ((non2xx == 0)) || bad=$non2xx
    else
        ((non2xx == requests)) || bad=$((requests - non2xx))
    fi
    ((socket_errors == 0)) || log "$kind/$storage/$scenario: $socket_errors socket errors"
    awk -v srv="$kind" -v st="$storage" -v sc="$scenario" -v n="$requests" -v d="$duration_us" \
        -v p50="$p50" -v p99="$p99" -v c="$((c1 - c0))" -v hz="$clk_tck" -v w0="$t0" -v w1="$t1" \
        -v peak="$peak" -v ready="$ready" -v idle="$idle" -v bad="$bad" -v anon="$idle_anon" 'BEGIN {
            cpu = c / hz; wall = w1 - w0
            printf "%s\t%s\t%s\t%.0f\t%d\t%d\t%.0f\t%.0f\t%d\t%s\t%d\t%d\t%d\n", srv, st, sc,
                n / (d / 1e6), p50, p99, (cpu > 0 ? n / cpu : 0), 100 * cpu / wall, peak,
                ready, idle, bad, anon }' >>"$rows"
    log "$(printf '%-5s %-8s %-19s' "$kind" "$storage" "$scenario") $(tail -n1 "$rows" | cut -f4) req/s"
}

# --- the run ------------------------------------------------------------------------------------

rows=$raw/rows.tsv
: >"$rows"
master_key=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d =)
bench_start=$SECONDS
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

selected=()
for s in "${scenarios[@]}"; do
    if [[ -z $only || " $only " == *" $s "* ]]; then selected+=("$s"); fi
done

peer_selected=()
for s in "${selected[@]}"; do [[ $idpd_only == *" $s "* ]] || peer_selected+=("$s"); done
if ((${#peer_selected[@]} > 0)); then
    log "peer: oidc-provider $(node -p 'require("./bench/peer/node_modules/oidc-provider/package.json").version')"
    for s in "${peer_selected[@]}"; do run_one peer memory "$s"; done
fi

if [[ " $storages " == *" sqlite "* ]]; then
    log "idpd on SQLite"
    setup_idpd sqlite
    for s in "${selected[@]}"; do run_one idpd sqlite "$s"; done
fi

if [[ " $storages " == *" mariadb "* ]]; then
    log "idpd on MariaDB (throwaway, unix socket, pinned with idpd)"
    mariadb_dir=$work/db
    mariadb_url=$(taskset -c "$server_cpu" scripts/mariadb.sh start "$mariadb_dir" 2>>"$raw/mariadb.log")
    setup_idpd mariadb
    for s in "${selected[@]}"; do run_one idpd mariadb "$s"; done
    scripts/mariadb.sh stop "$mariadb_dir" >/dev/null 2>&1
    mariadb_dir=""
fi

log "measured in $((SECONDS - bench_start)) s"

# One-core signing limits, on the server core, for the RS256 target.
# `openssl speed -mr` prints "+R<n>:<count>:<bits>[:<name>]:<seconds>"; the first +R line of
# each algorithm is the signing one.
openssl_rate() {
    taskset -c "$server_cpu" openssl speed -seconds 2 -mr "$1" 2>&1 |
        awk -F: '/^\+R[0-9]+:/ {printf "%.0f", $2 / $NF; exit}'
}
log "measuring one-core signing rates (openssl speed)"
rsa_rate=$(openssl_rate rsa2048)
ecdsa_rate=$(openssl_rate ecdsap256)
ed25519_rate=$(openssl_rate ed25519)
# One-core Argon2id rate at idpd's default (OWASP) parameters, for the sign-in target: the
# reference CLI (Debian's argon2, the same libargon2 idpd links), 20 hashes on the server core.
argon2_rate() {
    local t0 t1 i
    t0=$EPOCHREALTIME
    for ((i = 0; i < 20; i++)); do
        printf 'bench passphrase' |
            taskset -c "$server_cpu" argon2 benchsaltbenchsalt -id -t 2 -k 19456 -p 1 -r >/dev/null
    done
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", 20 / (b - a)}'
}
log "measuring the one-core Argon2id rate (argon2 CLI)"
argon2_per_sec=$(argon2_rate)

version_of() { "$@" 2>&1 | head -n1 || true; }
json_str() { node -p 'JSON.stringify(process.argv[1])' "$1"; }
cat >"$raw/machine.json" <<JSON
{
  "date": "$date",
  "nproc": $(nproc --all),
  "cpu": $(json_str "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"),
  "kernel": "$(uname -r)",
  "idpd": $(json_str "$("$idpd" version 2>&1 | head -n1), Release"),
  "peer": "$(node -p 'require("./bench/peer/node_modules/oidc-provider/package.json").version')",
  "node": "$(node --version)",
  "wrk": $(json_str "$(version_of wrk --version | awk '{print $1, $2}')"),
  "mariadb": $(json_str "$(version_of mariadbd --version | awk '{print "MariaDB", $3}')"),
  "sqlite": "$(sqlite3 --version 2>/dev/null | awk '{print $1}' || true)",
  "tree": $(json_str "$(git describe --always --dirty 2>/dev/null || echo unknown) ($(git status --porcelain 2>/dev/null | wc -l) paths changed or new in the working tree)"),
  "serverCpu": $server_cpu,
  "clientCpu": $client_cpu,
  "connections": $connections,
  "duration": "$duration",
  "warmup": "$warmup",
  "loadStart": "$load_start",
  "loadEnd": "$(cut -d' ' -f1-3 /proc/loadavg)",
  "rsaSignPerSec": ${rsa_rate:-0},
  "ecdsaSignPerSec": ${ecdsa_rate:-0},
  "ed25519SignPerSec": ${ed25519_rate:-0},
  "argon2idPerSec": ${argon2_per_sec:-0}
}
JSON
node bench/report.mjs "$rows" "$results/$results_name.md" "$results/$results_name.svg" "$raw/machine.json"
log "wrote bench/results/$results_name.md and bench/results/$results_name.svg"
