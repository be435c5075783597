#!/usr/bin/env bash
# Smoke test of `otppool broker` as a standalone process: another process (the raw-librdkafka C client)
# produces and consumes through it, then SIGTERM stops it cleanly and removes its bootstrap file.
#
#   scripts/smoke-broker.sh [build-dir]     (default .build/debug; run after `swift build`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${1:-.build/debug}"
work="$(mktemp -d)"
trap 'kill "$broker" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin/otppool" broker --brokers 3 --topics smoke:6 other:2 --bootstrap-file "$work/bootstrap" --log-level warning \
    >"$work/broker.out" 2>"$work/broker.err" &
broker=$!

for _ in $(seq 1 100); do [ -s "$work/bootstrap" ] && break; sleep 0.1; done
[ -s "$work/bootstrap" ] || { echo "smoke-broker: no bootstrap file after 10 s" >&2; cat "$work/broker.err" >&2; exit 1; }
bootstrap="$(cat "$work/bootstrap")"
echo "smoke-broker: broker up at $bootstrap" >&2

"$bin/kafka-bench-c" "$bootstrap" smoke 20000 200 >"$work/client.out"
grep -q "produce_msgs_per_s=" "$work/client.out" || { echo "smoke-broker: the client failed" >&2; exit 1; }
echo "smoke-broker: 20000 records produced and consumed through it by another process" >&2

kill -TERM "$broker"
status=0
wait "$broker" || status=$?
[ "$status" -eq 0 ] || { echo "smoke-broker: broker exited with $status after SIGTERM" >&2; cat "$work/broker.err" >&2; exit 1; }
[ ! -e "$work/bootstrap" ] || { echo "smoke-broker: bootstrap file left behind" >&2; exit 1; }
echo "smoke-broker: SIGTERM stopped it cleanly" >&2
