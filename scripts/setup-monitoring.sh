#!/usr/bin/env bash
# Writes the monitoring files of a project (Prometheus, alert rules and their tests, Alertmanager, Grafana,
# Kubernetes, logging): the seed's flags, passed on to `bin/xigate setup-monitoring`.
#   scripts/setup-monitoring.sh --project-name my-app --log-level info --metrics-port 9090 --health-port 8080 \
#       [--out DIR] [--runbook-base-url URL]
# Without --out the files go to ./monitoring-<project-name>.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
    sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

project="" out="" args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --project-name|--log-level|--metrics-port|--health-port|--out|--runbook-base-url)
            [ $# -ge 2 ] || { echo "setup-monitoring.sh: $1 needs a value" >&2; usage; }
            [ "$1" = "--project-name" ] && project="$2"
            [ "$1" = "--out" ] && out="$2"
            args+=("$1" "$2")
            shift 2
            ;;
        -h|--help) usage ;;
        *) echo "setup-monitoring.sh: unknown option $1" >&2; usage ;;
    esac
done
[ -n "$project" ] || { echo "setup-monitoring.sh: --project-name is required" >&2; usage; }
[ -n "$out" ] || args+=(--out "monitoring-$project")

exec "$root/bin/xigate" setup-monitoring "${args[@]}"
