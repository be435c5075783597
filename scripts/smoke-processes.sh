#!/usr/bin/env bash
# Smoke test of the pool as separate processes, the way ops run it: `otppool broker`, `supplier-sim`, a worker
# and the escalation worker with their admin servers, and the client tools against them. Checks /readyz,
# /metrics, `submit --wait`, `tail`, `status`, `escalations list`, exit code 2 on bad configuration, and
# exit code 0 after SIGTERM. Needs POSTGRES_URL (scripts/test.sh sets it).
#
#   scripts/smoke-processes.sh [build-dir]     (default .build/debug; run after `swift build`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${1:-.build/debug}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "smoke-processes: $*" >&2; for log in "$work"/*.log; do echo "--- $log" >&2; tail -n 20 "$log" >&2; done; exit 1; }
: "${POSTGRES_URL:?set POSTGRES_URL (scripts/pg.sh url)}"
# Ports of its own, so a local demo or a second run does not collide.
# Below Linux's ephemeral range (32768–60999): a port there can be taken by any outgoing connection meanwhile (the
# escalation worker's admin port once was, and /readyz never answered).
base=$((20000 + RANDOM % 12000))
prefix="smoke$RANDOM"

set +e
"$bin/otppool" worker --brokers 127.0.0.1:1 --set worker.poll_interval_seconds=-1 --set admin.port=nope >"$work/bad.log" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] || fail "invalid configuration exited with $status, not 2"
grep -q "worker.poll_interval_seconds is -1.0" "$work/bad.log" && grep -q "admin.port (from a flag or --set)" "$work/bad.log" \
    || fail "the configuration errors do not name their keys"
echo "smoke-processes: invalid configuration → exit 2, every key named" >&2

"$bin/otppool" broker --brokers 1 --partitions 3 --topic-prefix "$prefix" --bootstrap-file "$work/bootstrap" --log-level warning \
    >"$work/broker.log" 2>&1 &
pids+=($!)
"$bin/otppool" supplier-sim --port $((base + 1)) --time-scale 60 --log-level warning >"$work/sim.log" 2>&1 &
pids+=($!)
export OTPPOOL_SUPPLIER_SIM_HANDLER_API_BASE_URL="http://127.0.0.1:$((base + 1))"
export OTPPOOL_SUPPLIER_SIM_5SIM_BASE_URL="http://127.0.0.1:$((base + 1))/v1"
common=(--bootstrap-file "$work/bootstrap" --topic-prefix "$prefix")
"$bin/otppool" account acct-smoke --balance-minor 100000 --log-level warning >/dev/null
"$bin/otppool" worker "${common[@]}" --group "$prefix-workers" --set worker.poll_interval_seconds=0.2 \
    --set admin.port=$((base + 2)) --log-format json >"$work/worker.log" 2>&1 &
pids+=($!)
worker=$!
"$bin/otppool" escalation "${common[@]}" --group "$prefix-escalation" --set admin.port=$((base + 3)) >"$work/escalation.log" 2>&1 &
pids+=($!)

for port in $((base + 2)) $((base + 3)); do
    ready=""
    for _ in $(seq 1 300); do
        ready="$(curl -s "http://127.0.0.1:$port/readyz" || true)"
        [[ "$ready" == *'"status":"ready"'* ]] && break
        sleep 0.1
    done
    [[ "$ready" == *'"status":"ready"'* ]] || fail "port $port not ready: $ready"
done
echo "smoke-processes: worker and escalation worker ready (/readyz)" >&2

"$bin/otppool" submit "${common[@]}" --account acct-smoke --count 4 --countries "usa;zz-unknown-country" --wait --timeout 60 \
    --outcomes-file "$work/outcomes" --log-level warning >"$work/submit.log" 2>&1 || fail "submit --wait failed"
grep -q "completed" "$work/outcomes" && grep -q "rejected" "$work/outcomes" || fail "expected completed and rejected outcomes: $(cat "$work/outcomes")"
completed="$(awk '$2 == "completed" { print $1; exit }' "$work/outcomes")"
rejected="$(awk '$2 == "rejected" { print $1; exit }' "$work/outcomes")"
echo "smoke-processes: 4 activations submitted and ended ($(cut -d' ' -f2 "$work/outcomes" | sort | uniq -c | xargs))" >&2

"$bin/otppool" tail "${common[@]}" --from-beginning --request "$completed" --kind completed --limit 1 --log-level warning \
    >"$work/tail.out" 2>"$work/tail.log" || { cp "$work/tail.log" /tmp/smoke-tail-crash.log; fail "tail failed"; }
grep -q "completed  $completed" "$work/tail.out" || fail "tail did not print the completed event: $(cat "$work/tail.out")"
"$bin/otppool" status "$completed" --log-level warning >"$work/status.out" || fail "status failed"
grep -q "charged_rest_released" "$work/status.out" || fail "status shows no money: $(cat "$work/status.out")"
for _ in $(seq 1 100); do
    "$bin/otppool" escalations show "$rejected" --log-level error >"$work/show.out" 2>/dev/null && break
    sleep 0.1
done
grep -q "client-workflow" "$work/show.out" || fail "the rejected request did not escalate to client-workflow"
echo "smoke-processes: tail, status and escalations show answer" >&2

metrics="$(curl -s "http://127.0.0.1:$((base + 2))/metrics")"
for name in otppool_requests_consumed_total otppool_events_published_total otppool_supplier_calls_total \
    otppool_supplier_call_duration_seconds_bucket otppool_followup_lateness_seconds_bucket otppool_in_flight \
    otppool_request_wait_seconds_bucket otppool_admission_wait_seconds_bucket \
    otppool_activations_overdue; do
    grep -q "^$name" <<<"$metrics" || fail "/metrics has no $name"
done
grep -q '^otppool_escalation_oldest_open_seconds{queue="client-workflow"}' <<<"$(curl -s "http://127.0.0.1:$((base + 3))/metrics")" \
    || fail "the escalation worker's /metrics has no otppool_escalation_oldest_open_seconds"
echo "smoke-processes: /metrics exports the workflow's metrics" >&2

kill -TERM "$worker"
status=0
wait "$worker" || status=$?
[ "$status" -eq 0 ] || fail "the worker exited with $status after SIGTERM"
grep -q '"msg":"activation worker stopped"' "$work/worker.log" || fail "no clean stop in the worker's JSON log"
echo "smoke-processes: SIGTERM drained and stopped the worker (exit 0)" >&2

# A worker started before its database: it stays up, /healthz answers, /readyz says what it waits for, and it
# starts on its own once PostgreSQL answers (tcp-proxy.py cuts every connection until SIGHUP).
target="$(sed -E 's#^[a-z]+://([^@/]*@)?([^/?]+).*#\2#' <<<"$POSTGRES_URL")"
scripts/tcp-proxy.py --listen 127.0.0.1:0 --target "$target" >"$work/proxy.out" 2>"$work/proxy.log" &
pids+=($!)
proxy=$!
for _ in $(seq 1 100); do grep -q "listening" "$work/proxy.out" 2>/dev/null && break; sleep 0.1; done
proxy_port="$(grep -oE '127\.0\.0\.1:[0-9]+ ->' "$work/proxy.out" | grep -oE '[0-9]+ ' | tr -d ' ')"
[ -n "$proxy_port" ] || fail "tcp-proxy did not start: $(cat "$work/proxy.out" "$work/proxy.log")"
kill -USR1 "$proxy"
late_url="$(sed -E "s#^([a-z]+://([^@/]*@)?)[^/?]+#\1127.0.0.1:${proxy_port}#" <<<"$POSTGRES_URL")"
"$bin/otppool" worker "${common[@]}" --group "$prefix-workers" --postgres-url "$late_url" \
    --set admin.port=$((base + 4)) --log-format json >"$work/late-worker.log" 2>&1 &
pids+=($!)
late=$!
waiting=""
for _ in $(seq 1 150); do  # /readyz refreshes its checks every 5 s
    waiting="$(curl -s "http://127.0.0.1:$((base + 4))/readyz" || true)"
    [[ "$waiting" == *'"postgres":"waiting: '* && "$waiting" != *'"postgres":"waiting: not tried yet'* ]] && break
    sleep 0.1
done
[[ "$waiting" == *'"status":"not ready"'* && "$waiting" == *'"postgres":"waiting: '* && "$waiting" != *'"postgres":"waiting: not tried yet'* ]] \
    || fail "a worker without its database does not say so on /readyz: $waiting"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((base + 4))/healthz")" = 200 ] || fail "/healthz fails while waiting"
sleep 2
kill -0 "$late" 2>/dev/null || fail "the worker exited while its database was down"
echo "smoke-processes: a worker without its database waits (/healthz 200, /readyz 503: $waiting)" >&2
kill -HUP "$proxy"
ready=""
for _ in $(seq 1 400); do
    ready="$(curl -s "http://127.0.0.1:$((base + 4))/readyz" || true)"
    [[ "$ready" == *'"status":"ready"'* ]] && break
    sleep 0.1
done
[[ "$ready" == *'"status":"ready"'* ]] || fail "the waiting worker did not become ready once PostgreSQL answered: $ready"
grep -q 'postgres answers after' "$work/late-worker.log" || fail "the waiting worker did not log that PostgreSQL answered"
kill -TERM "$late"
status=0
wait "$late" || status=$?
[ "$status" -eq 0 ] || fail "the late worker exited with $status after SIGTERM"
echo "smoke-processes: it started once PostgreSQL answered, and stopped cleanly" >&2
