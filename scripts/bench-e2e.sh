#!/usr/bin/env bash
# `make bench-e2e`: the end-to-end benchmark on the embedded default. Builds in release mode, starts the private
# PostgreSQL (stopped again afterwards) and runs `otppool bench e2e` with the arguments given, e.g.
#
#   scripts/bench-e2e.sh --activations 20000 --workers 2 --sms instant --json
#   scripts/bench-e2e.sh --activations 5000 --offered-rate 1000
#   scripts/bench-e2e.sh --activations 50000 --sms never          # memory with everything waiting for a code
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/deps.sh
echo "==> building (release)" >&2
swift build -c release --product otppool 2>&1 | tail -n 1 >&2
# The C baseline the report scales its throughput by (`activations_per_1000_c_msgs`).
swift build -c release --product kafka-bench-c 2>&1 | tail -n 1 >&2
started=""
if ! scripts/pg.sh status >/dev/null 2>&1; then
    started=1
    trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
fi
# Durable, as a deployment runs it: fsync and synchronous commit on (a cluster already running keeps its settings;
# the report says which it had).
POSTGRES_URL="$(OTP_PG_DURABLE=1 scripts/pg.sh start | tail -n 1)"
export POSTGRES_URL
[ -n "$started" ] || echo "==> using the private PostgreSQL that was already running" >&2
.build/release/otppool bench e2e "$@"
