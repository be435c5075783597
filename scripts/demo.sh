#!/usr/bin/env bash
# `make demo`: the pool on the embedded default. Starts a private PostgreSQL, the embedded Kafka cluster
# (`otppool broker`), the supplier simulator, two activation workers and the escalation worker as separate
# processes; submits a batch of activations across services and countries (some designed to retry, expire and
# escalate); shows progress; prints the outcome summary, the escalation queues and one evidence record; and
# cleans up after itself.
#
# Timings follow from what it measures, not from one machine's speed: a warm-up batch measures how many
# activations a second this machine's pool completes, and the demo batch is submitted at 60% of that (and
# sized to about a minute of it, at most 2,000), so the workers never fall behind their follow-ups. Submitted
# all at once on a slow machine, polls ran seconds late, codes arrived after the waiting window had sent the
# cancel, and the refunds queue filled with code-after-cancel escalations that only said the demo overloaded
# its machine.
#
# Its ports are its own: PostgreSQL (from 54349, its own data directory), the simulator (from 18090) and
# three admin servers (from 9464) each take the next free port when one is in use.
#
#   scripts/demo.sh [count]     (default: a minute at the measured pace, at most 2000)
#
# DEMO_RATE=N submits at N/s instead of the measured pace; DEMO_RATE=0 submits everything at once (what the
# demo did before: on a slow or busy machine it shows the overload described above).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count="${1:-${DEMO_COUNT:-}}"
run="$(mktemp -d)"
bin=.build/release
pids=()
export OTP_PG_DIR="$PWD/.pgdata-demo"
export OTP_PG_PORT="${DEMO_PG_PORT:-54349}"

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
scripts/build.sh -c release --product otppool

scripts/pg.sh status >/dev/null 2>&1 || OTP_PG_PORT="$(scripts/free-port.sh "$OTP_PG_PORT")"
sim_port="$(scripts/free-port.sh 18090)"
admin_port="$(scripts/free-port.sh 9464 3)"
export OTPPOOL_SUPPLIER_SIM_HANDLER_API_BASE_URL="http://127.0.0.1:$sim_port"
export OTPPOOL_SUPPLIER_SIM_5SIM_BASE_URL="http://127.0.0.1:$sim_port/v1"

step "starting a private PostgreSQL"
export POSTGRES_URL="$(scripts/pg.sh start | tail -n 1)"
echo "$POSTGRES_URL"

step "starting the embedded Kafka cluster (3 brokers, the workflow's topics with 6 partitions each)"
"$bin/otppool" broker --brokers 3 --partitions 6 --bootstrap-file "$run/bootstrap" --log-level warning >"$run/broker.log" 2>&1 &
pids+=($!)

step "starting the supplier simulator (60x time scale) on port $sim_port"
"$bin/otppool" supplier-sim --port "$sim_port" --config config/demo/supplier-sim.yaml --log-level warning >"$run/sim.log" 2>&1 &
pids+=($!)

"$bin/otppool" migrate --log-level warning
"$bin/otppool" account acct-demo --balance-minor 100000000 --email demo@example.com --log-level warning

step "starting two activation workers (admin servers on 127.0.0.1:$admin_port and :$((admin_port + 1)); console: http://127.0.0.1:$admin_port/console while the demo runs)"
for n in 1 2; do
    "$bin/otppool" worker --bootstrap-file "$run/bootstrap" --catalogue config/demo/catalogue.yaml \
        --poll-interval 0.5 --waiting-window 5 --set admin.port=$((admin_port + n - 1)) \
        --kafka-property fetch.wait.max.ms=10 --log-level ${DEMO_WORKER_LOG_LEVEL:-notice} >"$run/worker$n.log" 2>&1 &
    pids+=($!)
done
for _ in $(seq 1 600); do
    [ "$(grep -l "joined the group" "$run"/worker*.log 2>/dev/null | wc -l)" -eq 2 ] && break
    sleep 0.1
done
grep -q "joined the group" "$run/worker2.log" || { echo "the workers did not join their group; see $run" >&2; DEMO_KEEP_LOGS=1; exit 1; }
sleep 3  # let the cooperative rebalance between the two workers settle

step "starting the escalation worker (admin server on 127.0.0.1:$((admin_port + 2)))"
"$bin/otppool" escalation --bootstrap-file "$run/bootstrap" --set admin.port=$((admin_port + 2)) --log-level ${DEMO_WORKER_LOG_LEVEL:-notice} >"$run/escalation.log" 2>&1 &
pids+=($!)

warmup=200
step "measuring this machine: $warmup activations at once (usa and england, codes delivered)"
started=$(date +%s%N)
"$bin/otppool" submit --bootstrap-file "$run/bootstrap" --count "$warmup" --services tg,wa --countries "usa;england" \
    --max-price-minor 2500 --wait --timeout 300 --log-level error >"$run/warmup.out"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
# 60% of what the warm-up sustained leaves the workers room for the polls, cancels and retries of the mix.
rate=$((warmup * 600 / (elapsed_ms > 0 ? elapsed_ms : 1)))
rate=$((rate < 2 ? 2 : rate))
count="${count:-$((rate * 60 < 2000 ? rate * 60 : 2000))}"
echo "the pool completed $warmup activations in $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100)) s: submitting at $rate/s"
rate="${DEMO_RATE:-$rate}"
pace=(--rate "$rate") pace_text="at $rate/s"
[ "$rate" -gt 0 ] || { pace=(); pace_text="all at once"; }

step "submitting $count activations $pace_text (tg and wa; usa and england deliver codes, indonesia never does, russia has no numbers)"
"$bin/otppool" submit --bootstrap-file "$run/bootstrap" --count "$count" "${pace[@]}" --services tg,wa \
    --countries "usa,england;indonesia,usa;russia,england;england;indonesia" --max-price-minor 2500 --wait \
    --timeout $((count / (rate > 0 ? rate : 10) + 300)) --outcomes-file "$run/outcomes" --log-level error

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
