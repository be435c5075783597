#!/usr/bin/env bash
# `make demo`: the pool on the embedded default. Starts a private PostgreSQL, the embedded Kafka cluster
# (`otppool broker`), the supplier simulator, two activation workers and the escalation worker as separate
# processes; submits a batch of activations across services and countries (some designed to retry, expire and
# escalate); shows progress; prints the outcome summary, the escalation queues and one evidence record; and
# cleans up after itself.
#
#   scripts/demo.sh [count]     (default 2000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count="${1:-${DEMO_COUNT:-2000}}"
run="$(mktemp -d)"
bin=.build/release
pids=()

cleanup() {
    # Workers first (they drain and commit), then the simulator and the cluster.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill -TERM "${pids[i]}" 2>/dev/null || true
        wait "${pids[i]}" 2>/dev/null || true
    done
    scripts/pg.sh stop >/dev/null 2>&1 || true
    [ -n "${DEMO_KEEP_LOGS:-}" ] && echo "logs kept in $run" >&2 || rm -rf "$run"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*" >&2; }

scripts/deps.sh
step "building (release; the first build takes several minutes)"
swift build -c release --product otppool 2>&1 | tail -n 1

step "starting a private PostgreSQL"
export POSTGRES_URL="$(scripts/pg.sh start | tail -n 1)"
echo "$POSTGRES_URL"

step "starting the embedded Kafka cluster (3 brokers, the workflow's topics with 6 partitions each)"
"$bin/otppool" broker --brokers 3 --partitions 6 --bootstrap-file "$run/bootstrap" --log-level warning >"$run/broker.log" 2>&1 &
pids+=($!)

step "starting the supplier simulator (60x time scale) on port 18090"
"$bin/otppool" supplier-sim --port 18090 --config config/demo/supplier-sim.yaml --log-level warning >"$run/sim.log" 2>&1 &
pids+=($!)

"$bin/otppool" migrate --log-level warning
"$bin/otppool" account acct-demo --balance-minor 100000000 --email demo@example.com --log-level warning

step "starting two activation workers"
for n in 1 2; do
    "$bin/otppool" worker --bootstrap-file "$run/bootstrap" --catalogue config/demo/catalogue.yaml \
        --poll-interval 0.5 --waiting-window 5 --set admin.port=$((9463 + n)) \
        --kafka-property fetch.wait.max.ms=10 --log-level ${DEMO_WORKER_LOG_LEVEL:-notice} >"$run/worker$n.log" 2>&1 &
    pids+=($!)
done
for _ in $(seq 1 600); do
    [ "$(grep -l "joined the group" "$run"/worker*.log 2>/dev/null | wc -l)" -eq 2 ] && break
    sleep 0.1
done
grep -q "joined the group" "$run/worker2.log" || { echo "the workers did not join their group; see $run" >&2; DEMO_KEEP_LOGS=1; exit 1; }
sleep 3  # let the cooperative rebalance between the two workers settle

step "starting the escalation worker"
"$bin/otppool" escalation --bootstrap-file "$run/bootstrap" --set admin.port=9466 --log-level ${DEMO_WORKER_LOG_LEVEL:-notice} >"$run/escalation.log" 2>&1 &
pids+=($!)

step "submitting $count activations (tg and wa; usa and england deliver codes, indonesia never does, russia has no numbers)"
"$bin/otppool" submit --bootstrap-file "$run/bootstrap" --count "$count" --services tg,wa \
    --countries "usa,england;indonesia,usa;russia,england;england;indonesia" --max-price-minor 2500 --wait --timeout 300 \
    --outcomes-file "$run/outcomes" --log-level error

"$bin/otppool" account acct-demo --log-level warning

step "client mistakes and disputes: 20 requests for an unknown service, 3 completed activations disputed"
"$bin/otppool" submit --bootstrap-file "$run/bootstrap" --count 20 --services zz --countries usa --wait --timeout 60 \
    --log-level error | tail -n 3
disputed=$(awk '$2 == "completed" && n++ < 3 { print $1 }' "$run/outcomes")
for id in $disputed; do
    "$bin/otppool" command "$id" --kind dispute --reason "the app says the code was wrong" --bootstrap-file "$run/bootstrap" \
        --log-level error
done
last=$(echo "$disputed" | tail -n 1)
for _ in $(seq 1 300); do
    "$bin/otppool" escalations show "$last" --log-level error >/dev/null 2>&1 && break
    sleep 0.1
done

step "escalation queues (otppool escalations list)"
"$bin/otppool" escalations list --limit 8 --log-level warning
expired=$(awk '$2 == "expired" && n++ < 1 { print $1 }' "$run/outcomes")
if [ -n "$expired" ]; then
    step "one evidence record (otppool escalations show $expired)"
    "$bin/otppool" escalations show "$expired" --log-level warning
fi
for log in "$run"/worker*.log "$run/escalation.log"; do
    if grep -qiE "error|critical" "$log"; then
        echo "$(basename "$log" .log) logged errors:" >&2; grep -iE "error|critical" "$log" | head -5 >&2
    fi
done
