#!/usr/bin/env bash
# Runs the end-to-end benchmark suite side by side in one run on this machine and writes its JSON (with machine
# info) and a markdown summary under bench/results/:
#   - overhead: direct to a simulator vs through xigate vs through an nginx reverse proxy (loopback, temp dir);
#   - value of queueing: SDK-like retrying clients at 3x overload, direct to a Pro simulator vs through xigate;
#   - the JMH microbenchmarks in bench/target/xigate-bench.jar, with a short configuration, when there are any.
# Every process it starts (simulators, gateways, nginx) is stopped on exit. Takes a few minutes.
# Options (environment): QUEUE_SECONDS (15), SERVICE_MS (500), OVERLOAD (3), THROUGHPUT_SECONDS (8),
#   LATENCY_REQUESTS (400), SKIP_JMH (unset), SKIP_BUILD (unset).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/java-env"
cd "$root"
results="$root/bench/results"
mkdir -p "$results"
work="$(mktemp -d "${TMPDIR:-/tmp}/xigate-bench.XXXXXX")"
chmod 755 "$work"
pids=()

cleanup() {
    local pid
    for pid in "${pids[@]+"${pids[@]}"}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]+"${pids[@]}"}"; do
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    echo "run-suite: no free port found" >&2
    return 1
}

wait_port() {
    # Waits until port $1 accepts connections while process $2 lives; $3 names it for messages.
    for _ in $(seq 1 300); do
        port_in_use "$1" && return 0
        if ! kill -0 "$2" 2>/dev/null; then
            echo "run-suite: $3 exited during startup; see $work/$3.log:" >&2
            tail -n 20 "$work/$3.log" >&2
            return 1
        fi
        sleep 0.2
    done
    echo "run-suite: $3 did not listen on $1 within 60 s" >&2
    return 1
}

java_cmd=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -Xshare:auto
    "-Dlogback.configurationFile=$root/bench/suite-logback.xml")

if [ -z "${SKIP_BUILD:-}" ]; then
    echo "run-suite: building the CLI and bench jars" >&2
    mvn -B -q -ntp -DskipTests -Dcheckstyle.skip -pl cli,bench -am package >&2
fi
bench_jar="$root/bench/target/xigate-bench.jar"
cli_jar="$root/cli/target/xigate.jar"

start() {
    # start NAME PORT COMMAND...: runs COMMAND in the background with its log in the work dir, waits for PORT.
    local name="$1" port="$2"
    shift 2
    "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
    wait_port "$port" "$!" "$name"
}

sim_fast="$(free_port)"
start sim-fast "$sim_fast" "${java_cmd[@]}" -cp "$bench_jar" dev.xigate.bench.suite.SimulatorMain "$sim_fast" \
    enterprise fast
sim_pro="$(free_port)"
start sim-pro "$sim_pro" "${java_cmd[@]}" -cp "$bench_jar" dev.xigate.bench.suite.SimulatorMain "$sim_pro" pro \
    "fixed:${SERVICE_MS:-500}"

suite_args=(--direct "http://127.0.0.1:$sim_fast" --queue-direct "http://127.0.0.1:$sim_pro"
    --service-ms "${SERVICE_MS:-500}" --limit 10 --overload "${OVERLOAD:-3}" --queue-seconds "${QUEUE_SECONDS:-15}"
    --throughput-seconds "${THROUGHPUT_SECONDS:-8}" --latency-requests "${LATENCY_REQUESTS:-400}" --out "$results")

# The gateway: `xigate serve` against each simulator (skipped with a note when the command cannot serve yet).
if "${java_cmd[@]}" -jar "$cli_jar" serve --help 2>/dev/null | grep -q -- '--upstream'; then
    gw_fast="$(free_port)"
    gw_fast_admin="$(free_port)"
    ELEVENLABS_API_KEY=bench-upstream-key start gw-fast "$gw_fast" "${java_cmd[@]}" -jar "$cli_jar" serve \
        --upstream "http://127.0.0.1:$sim_fast" --plan enterprise --port "$gw_fast" --admin-port "$gw_fast_admin"
    gw_pro="$(free_port)"
    gw_pro_admin="$(free_port)"
    ELEVENLABS_API_KEY=bench-upstream-key start gw-pro "$gw_pro" "${java_cmd[@]}" -jar "$cli_jar" serve \
        --upstream "http://127.0.0.1:$sim_pro" --plan pro --port "$gw_pro" --admin-port "$gw_pro_admin"
    suite_args+=(--xigate "http://127.0.0.1:$gw_fast" --queue-xigate "http://127.0.0.1:$gw_pro"
        --queue-metrics "http://127.0.0.1:$gw_pro_admin/metrics")
else
    echo "run-suite: 'xigate serve --upstream' is not available in this build; the xigate arms are skipped" >&2
fi

# nginx as a plain reverse proxy in front of the fast simulator, from a temp dir, stopped on exit.
if command -v nginx >/dev/null 2>&1; then
    ngx_port="$(free_port)"
    mkdir -p "$work/nginx"
    user_line=""
    [ "$(id -u)" -eq 0 ] && user_line="user root;"
    cat >"$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    upstream simulator { server 127.0.0.1:$sim_fast; keepalive 64; }
    server {
        listen 127.0.0.1:$ngx_port;
        location / {
            proxy_pass http://simulator;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_request_buffering off;
        }
    }
}
CONF
    start nginx "$ngx_port" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
    suite_args+=(--nginx "http://127.0.0.1:$ngx_port")
else
    echo "run-suite: nginx is not installed (Debian: apt-get install nginx); the nginx arm is skipped" >&2
fi

# JMH microbenchmarks other helpers add to bench/: a short run of each, JSON next to the suite's results.
if [ -z "${SKIP_JMH:-}" ] && "${java_cmd[@]}" -jar "$bench_jar" -l 2>/dev/null | grep -q '\.'; then
    jmh_json="$results/jmh-$(date -u +%Y%m%dT%H%M%SZ).json"
    echo "run-suite: running the JMH microbenchmarks (short configuration)" >&2
    "${java_cmd[@]}" -Djmh.ignoreLock=true -jar "$bench_jar" -wi 1 -w 1s -i 3 -r 1s -f 1 \
        -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow" -rf json -rff "$jmh_json" >"$work/jmh.log" 2>&1 \
        || { echo "run-suite: JMH failed; see below" >&2; tail -n 20 "$work/jmh.log" >&2; }
    [ -f "$jmh_json" ] && suite_args+=(--jmh-json "$jmh_json")
fi

"${java_cmd[@]}" -cp "$bench_jar" dev.xigate.bench.suite.SuiteMain "${suite_args[@]}"
