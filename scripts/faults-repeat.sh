#!/usr/bin/env bash
# Runs the short fault suite of `make test` (its scenario list) N times in a row (default 10) and prints one line per run, so
# "make test is deterministic" is a measurement, not a hope. Stops at the first failing run and keeps its log.
#
#   scripts/faults-repeat.sh [runs] [extra `otppool bench faults` arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-10}"
shift || true
scripts/deps.sh
swift build --product otppool 2>&1 | tail -n 1 >&2
if ! scripts/pg.sh status >/dev/null 2>&1; then
    trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
fi
POSTGRES_URL="$(scripts/pg.sh start | tail -n 1)"
export POSTGRES_URL
logs="$(mktemp -d /tmp/otppool-faults-repeat.XXXXXX)"
for run in $(seq 1 "$runs"); do
    started=$(date +%s)
    if .build/debug/otppool bench faults --scenario all --activations 200 --offered-rate 40 --timeout 300 "$@" \
        >"$logs/run-$run.log" 2>&1; then
        echo "run $run/$runs: every invariant held ($(( $(date +%s) - started )) s)"
    else
        echo "run $run/$runs: FAILED ($(( $(date +%s) - started )) s); log: $logs/run-$run.log"
        grep -E "VIOLATED|·|failed" "$logs/run-$run.log" | head -n 40
        exit 1
    fi
done
echo "$runs of $runs runs held every invariant; logs in $logs"
