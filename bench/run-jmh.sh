#!/usr/bin/env bash
# Runs JMH benchmarks from the shaded bench jar and stores the results with the machine they ran on.
#
# Usage: bench/run-jmh.sh <name> [JMH arguments...]
#        bench/run-jmh.sh <name> --main <class> [arguments...]   (a harness main that prints one JSON value)
#   bench/run-jmh.sh limiter-fastpath LimiterFastPathBenchmark -prof gc
#   bench/run-jmh.sh limiter-heap --main dev.xigate.bench.QueuedHeapHarness
# BENCH_JVM_OPTS adds JVM options to a harness main (e.g. -Djdk.virtualThreadScheduler.parallelism=1).
# Writes bench/results/<name>-<UTC date>.json: {"machine": {...}, "jmh": [...]} or {"machine": {...}, "result": ...}.
# Short runs by default: JMH_DEFAULTS="-f 1 -wi 2 -i 3 -r 1s -w 1s" (set JMH_DEFAULTS to change them; JMH refuses
# an option given twice). Build first with
#   mvn -B -ntp -q -pl bench -am package -DskipTests
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/java-env"
name=${1:?usage: bench/run-jmh.sh <name> [JMH arguments...]}
shift
jar="$root/bench/target/xigate-bench.jar"
[ -f "$jar" ] || { echo "run-jmh: $jar not found (build it: mvn -pl bench -am package -DskipTests)" >&2; exit 1; }

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/$name-$stamp.json"
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
mkdir -p "$root/bench/results"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "${1:-}" = "--main" ]; then
    main=${2:?--main needs a class name}
    shift 2
    key=result
    # shellcheck disable=SC2086 # the options are several words on purpose
    "$JAVA_HOME/bin/java" -Xmx1g --sun-misc-unsafe-memory-access=allow ${BENCH_JVM_OPTS:-} -cp "$jar" "$main" "$@" \
        | tee "$raw"
else
    key=jmh
    # -Djmh.ignoreLock: other helpers benchmark on the same machine; the run is noisy and says so.
    # shellcheck disable=SC2086 # the defaults are several words on purpose
    "$JAVA_HOME/bin/java" -Djmh.ignoreLock=true -jar "$jar" ${JMH_DEFAULTS:--f 1 -wi 2 -i 3 -r 1s -w 1s} \
        -jvmArgsAppend --sun-misc-unsafe-memory-access=allow -rf json -rff "$raw" "$@"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
jdk=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')
{
    printf '{\n  "machine": {\n'
    printf '    "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '    "host": "%s",\n' "$(uname -n)"
    printf '    "kernel": "%s",\n' "$(uname -r)"
    printf '    "cores": %s,\n' "$(nproc)"
    printf '    "cpu": "%s",\n' "$cpu"
    printf '    "memoryKiB": %s,\n' "$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
    printf '    "jdk": "%s",\n' "$jdk"
    printf '    "loadAverageBefore": "%s",\n' "$load_before"
    printf '    "loadAverageAfter": "%s",\n' "$load_after"
    printf '    "arguments": "%s",\n' "$(printf '%s' "${BENCH_JVM_OPTS:-} ${JMH_DEFAULTS:--f 1 -wi 2 -i 3 -r 1s -w 1s} $*" | sed 's/\\/\\\\/g; s/"/\\"/g')"
    printf '    "note": "shared 2-core machine, other builds and benchmarks running: figures are noisy"\n'
    printf '  },\n  "%s": ' "$key"
    cat "$raw"
    printf '}\n'
} > "$out"
echo "run-jmh: wrote $out"
