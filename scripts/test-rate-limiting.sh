#!/usr/bin/env bash
# Runs the rate-limiting test of the production-deployment guide: a thin wrapper over `bin/xigate loadtest` that
# takes the same flags, for example
#   scripts/test-rate-limiting.sh --pattern ramp-up --start-rps 1 --end-rps 10 --duration 300
#   scripts/test-rate-limiting.sh --pattern burst --concurrency 50 --iterations 100
#   scripts/test-rate-limiting.sh --pattern chaos --failure-rate 0.1 --duration 120
#   scripts/test-rate-limiting.sh --concurrency 20 --duration 60 --plan-tier pro
# Without --target it starts `bin/xigate serve --simulate` on free loopback ports (gateway plus in-process
# simulator), points the load, --simulator and --metrics at it, and stops it afterwards. Reports go to --out, by
# default var/loadtest/<time>-<pattern>/. The exit status is the load test's: 0 pass, 1 fail, 2 usage error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xigate="$root/bin/xigate"
args=("$@")

has_flag() {
    local arg
    for arg in "${args[@]+"${args[@]}"}"; do
        if [ "$arg" = "$1" ] || [[ "$arg" == "$1="* ]]; then
            return 0
        fi
    done
    return 1
}

value_of() {
    # Prints the value of flag $1 (as "--flag value" or "--flag=value"), or $2 when absent.
    local i
    for ((i = 0; i < ${#args[@]}; i++)); do
        if [ "${args[$i]}" = "$1" ] && [ $((i + 1)) -lt ${#args[@]} ]; then
            echo "${args[$((i + 1))]}"
            return
        elif [[ "${args[$i]}" == "$1="* ]]; then
            echo "${args[$i]#*=}"
            return
        fi
    done
    echo "$2"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local port tries
    for ((tries = 0; tries < 200; tries++)); do
        port=$((20000 + RANDOM % 40000))
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    echo "test-rate-limiting: no free port found" >&2
    return 1
}

if has_flag --help || has_flag -h; then
    exec "$xigate" loadtest --help
fi

pattern="$(value_of --pattern ramp-up)"
out="$(value_of --out "$root/var/loadtest/$(date -u +%Y%m%dT%H%M%SZ)-$pattern")"
extra=()
has_flag --out || extra+=(--out "$out")
mkdir -p "$out"

server_pid=""
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

if ! has_flag --target; then
    # Build once up front (bin/xigate builds the jar when the sources changed), so the wait below is only startup.
    "$xigate" --version >/dev/null
    port="$(free_port)"
    admin="$(free_port)"
    plan="$(value_of --plan-tier pro)"
    log="$out/gateway.log"
    echo "test-rate-limiting: starting bin/xigate serve --simulate (plan $plan) on 127.0.0.1:$port, admin $admin;" \
        "log in $log" >&2
    "$xigate" serve --simulate --plan "$plan" --port "$port" --admin-port "$admin" >"$log" 2>&1 &
    server_pid=$!
    for ((i = 0; i < 300; i++)); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "test-rate-limiting: the gateway exited during startup; its log:" >&2
            tail -n 30 "$log" >&2
            exit 1
        fi
        port_in_use "$port" && port_in_use "$admin" && break
        sleep 0.2
    done
    if ! port_in_use "$port"; then
        echo "test-rate-limiting: the gateway did not listen on port $port within 60 s; see $log" >&2
        exit 1
    fi
    extra+=(--target "http://127.0.0.1:$port")
    has_flag --metrics || extra+=(--metrics "http://127.0.0.1:$admin/metrics")
    simulator="$(grep -o 'simulator=http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 | cut -d= -f2 || true)"
    if [ -n "$simulator" ] && ! has_flag --simulator; then
        extra+=(--simulator "$simulator")
    fi
fi

status=0
"$xigate" loadtest "${args[@]+"${args[@]}"}" "${extra[@]}" || status=$?
exit "$status"
