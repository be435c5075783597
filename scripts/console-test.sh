#!/usr/bin/env bash
# The operator console in a real browser: starts a pool as separate processes (`otppool broker`, `supplier-sim`, a
# worker whose console has a token, an escalation worker whose console has none), submits activations that
# complete, are rejected (and escalate to client-workflow) and are disputed (refunds), then drives headless
# Chromium through every page with scripts/console-browser.py: overview on a phone, search, the activation
# timeline, the escalation queues, sign-in, take, resolve, Markdown export, a forged cross-site form; then a request
# the worker refuses (a lowercase currency) through the dead-letter pages: listed, inspected, replayed one by one and
# as a filtered set. Checks the database agrees afterwards (`otppool escalations show`, `otppool dlq show`). Saves
# screenshots.
#
#   scripts/console-test.sh [build-dir] [screenshot-dir]   (defaults .build/debug and a temporary folder)
#
# Needs POSTGRES_URL (scripts/test.sh sets it) and a build (`swift build`); installs Debian's chromium when it is
# missing, the way scripts/deps.sh installs packages. Takes about a minute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${1:-.build/debug}"
work="$(mktemp -d)"
shots="${2:-$work/screenshots}"
pids=()
cleanup() {
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "console-test: $*" >&2; for log in "$work"/*.log; do echo "--- $log" >&2; tail -n 20 "$log" >&2; done; exit 1; }
: "${POSTGRES_URL:?set POSTGRES_URL (scripts/pg.sh url)}"
[ -x "$bin/otppool" ] || fail "no $bin/otppool; run swift build first"

if ! command -v chromium >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || fail "chromium is missing and there is no apt-get here; install Chromium"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "console-test: installing chromium (Debian package)" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
fi

# Ports below Linux's ephemeral range, as scripts/smoke-processes.sh explains.
base=$((20000 + RANDOM % 12000))
prefix="console$RANDOM"
token="console-test-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

"$bin/otppool" broker --brokers 1 --partitions 2 --topic-prefix "$prefix" --bootstrap-file "$work/bootstrap" --log-level warning \
    >"$work/broker.log" 2>&1 &
pids+=($!)
"$bin/otppool" supplier-sim --port $((base + 1)) --time-scale 60 --log-level warning >"$work/sim.log" 2>&1 &
pids+=($!)
export OTPPOOL_SUPPLIER_SIM_HANDLER_API_BASE_URL="http://127.0.0.1:$((base + 1))"
export OTPPOOL_SUPPLIER_SIM_5SIM_BASE_URL="http://127.0.0.1:$((base + 1))/v1"
common=(--bootstrap-file "$work/bootstrap" --topic-prefix "$prefix")
account="acct-$prefix"
"$bin/otppool" account "$account" --balance-minor 100000 --log-level warning >/dev/null
OTPPOOL_ADMIN_CONSOLE_TOKEN="$token" "$bin/otppool" worker "${common[@]}" --group "$prefix-workers" \
    --set worker.poll_interval_seconds=0.2 --set admin.port=$((base + 2)) >"$work/worker.log" 2>&1 &
pids+=($!)
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
echo "console-test: pool running; console at http://127.0.0.1:$((base + 2))/console" >&2

"$bin/otppool" submit "${common[@]}" --account "$account" --count 4 --countries "usa;zz-unknown-country" --wait --timeout 60 \
    --outcomes-file "$work/outcomes" --log-level warning >"$work/submit.log" 2>&1 || fail "submit --wait failed"
completed="$(awk '$2 == "completed" { print $1; exit }' "$work/outcomes")"
rejected="$(awk '$2 == "rejected" { print $1; exit }' "$work/outcomes")"
disputed="$(awk '$2 == "completed" { print $1 }' "$work/outcomes" | tail -n 1)"
[ -n "$completed" ] && [ -n "$rejected" ] && [ "$completed" != "$disputed" ] \
    || fail "expected two completed and a rejected outcome: $(cat "$work/outcomes")"
"$bin/otppool" command "${common[@]}" "$disputed" --kind dispute --log-level warning >/dev/null || fail "the dispute was not sent"
for id in "$rejected" "$disputed"; do
    for _ in $(seq 1 150); do
        "$bin/otppool" escalations show "$id" --log-level error >/dev/null 2>&1 && break
        sleep 0.1
    done
    "$bin/otppool" escalations show "$id" --log-level error >/dev/null 2>&1 || fail "$id did not escalate"
done
# Into a file first: `curl | grep -q` under pipefail fails whenever grep stops reading before curl has written all.
curl -s "http://127.0.0.1:$((base + 2))/metrics" >"$work/metrics.txt" || fail "the worker's /metrics did not answer"
grep -q '^otppool_supplier_rate_limit_wait_seconds_count{supplier=' "$work/metrics.txt" \
    || fail "the worker exports no otppool_supplier_rate_limit_wait_seconds (the console's rate-limit waits)"
echo "console-test: activations ended ($(cut -d' ' -f2 "$work/outcomes" | sort | uniq -c | xargs)); $rejected and $disputed escalated" >&2

# A request the worker cannot take (a lowercase currency): rejected, and on record as a dead letter before the
# rejected event is published, so it is listable once --wait has seen the outcome.
dlq_request="req-dlq-$prefix"
"$bin/otppool" submit "${common[@]}" --account "$account" --request-id "$dlq_request" --currency usd --wait --timeout 60 \
    --outcomes-file "$work/dlq-outcome" --log-level warning >"$work/submit-dlq.log" 2>&1 || fail "submitting the invalid request failed"
grep -q "^$dlq_request rejected invalid_currency" "$work/dlq-outcome" || fail "the invalid request was not rejected: $(cat "$work/dlq-outcome")"
dlq_id="$("$bin/otppool" dlq list --request "$dlq_request" --json --log-level error \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["dead_letters"][0]["id"])')" || fail "the refused request is not a dead letter"
echo "console-test: $dlq_request refused and dead-lettered as $dlq_id" >&2

python3 scripts/console-browser.py --console "http://127.0.0.1:$((base + 2))" --readonly-console "http://127.0.0.1:$((base + 3))" \
    --token "$token" --completed "$completed" --escalated "$rejected" --disputed "$disputed" \
    --dead-letter "$dlq_id" --dead-letter-request "$dlq_request" --screenshots "$shots" \
    || fail "the browser checks failed (screenshots in $shots)"

"$bin/otppool" escalations show "$rejected" --log-level error >"$work/show.out" 2>&1 || fail "escalations show failed"
grep -q "RESOLVED" "$work/show.out" && grep -q "refunded by hand (console test)" "$work/show.out" \
    || fail "the database does not hold the console's resolution: $(cat "$work/show.out")"
"$bin/otppool" dlq show "$dlq_id" --log-level error >"$work/dlq-show.out" 2>&1 || fail "dlq show failed"
grep -q "replayed 2×" "$work/dlq-show.out" && grep -q "console-test" "$work/dlq-show.out" \
    && grep -q "currency fixed (console test)" "$work/dlq-show.out" \
    || fail "the database does not hold the console's replays: $(cat "$work/dlq-show.out")"
grep -q "$token" "$work"/*.log && fail "the console token appears in a log"
echo "console-test: the database holds the console's resolution and replays; screenshots in $shots" >&2
