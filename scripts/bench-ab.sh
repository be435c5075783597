#!/usr/bin/env bash
# Compares two builds of otppool, or two settings of one, with `bench e2e`, run after run, alternating, each on a new
# database of the private durable PostgreSQL, and prints every pair and the means. This machine's speed moves by a
# third within the hour, so only alternated runs tell two sides apart; one run each says nothing.
#
#   scripts/bench-ab.sh OLD_BINARY NEW_BINARY [PAIRS] [SIDE OPTIONS] [-- bench e2e arguments]
#   cp .build/release/otppool /tmp/otppool-before   # before the change, then build the change and:
#   scripts/bench-ab.sh /tmp/otppool-before .build/release/otppool 6 -- --activations 20000
#
# Side options (one binary twice compares settings or schemas):
#   --old-args ARGS / --new-args ARGS   more bench e2e arguments for that side only (split on spaces), e.g.
#                                       --new-args '--worker-set postgres.batches_in_flight=1'
#   --old-sql SQL / --new-sql SQL       SQL run on that side's new database after `otppool migrate`, e.g.
#                                       --new-sql 'ALTER TABLE activations SET (toast_tuple_target = 8160)'
#
# Each run gets --json and --postgres-url; the default arguments are `--activations 20000`. Prints one line per run
# (activations/s, allocated p99, worker and PostgreSQL CPU-s per 1,000 activations, the machine's and its idle share,
# PostgreSQL's WAL per activation, when the build reports them) and a summary: the means, and in how many pairs the
# new side was faster.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() { sed -n '2,22p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
old="$1" new="$2"
shift 2
pairs=4
case "${1:-}" in '' | --*) ;; *) pairs="$1"; shift ;; esac
declare -A side_args=([old]="" [new]="") side_sql=([old]="" [new]="")
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    [ $# -ge 2 ] || { echo "bench-ab: $1 needs a value" >&2; usage; }
    case "$1" in
        --old-args) side_args[old]="$2" ;;
        --new-args) side_args[new]="$2" ;;
        --old-sql) side_sql[old]="$2" ;;
        --new-sql) side_sql[new]="$2" ;;
        *) echo "bench-ab: unknown option $1" >&2; usage ;;
    esac
    shift 2
done
[ "${1:-}" = "--" ] && shift
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--activations 20000)
for binary in "$old" "$new"; do
    [ -x "$binary" ] || { echo "bench-ab: $binary is not an executable" >&2; exit 2; }
done
case "$pairs" in '' | *[!0-9]*) echo "bench-ab: PAIRS must be a number, not '$pairs'" >&2; exit 2 ;; esac

scripts/deps.sh
swift build -c release --product kafka-bench-c 2>&1 | tail -n 1 >&2
if ! scripts/pg.sh status >/dev/null 2>&1; then
    trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
fi
url="$(OTP_PG_DURABLE=1 scripts/pg.sh start | tail -n 1)"
admin="${url%/*}/postgres"
logs="$(mktemp -d)"
echo "==> $pairs pairs of runs, alternating (old first in odd pairs, new first in even ones); logs in $logs" >&2

run() { # side binary index
    local side="$1" binary="$2" index="$3" database="benchab_${3}_$1_$$"
    local extra=()
    read -r -a extra <<<"${side_args[$side]}"
    # A run that fails takes its database with it: one left behind slows every later run (autovacuum).
    fail() { echo "bench-ab: $1" >&2; psql -q "$admin" -c "DROP DATABASE $database"; exit 1; }
    psql -q "$admin" -c "CREATE DATABASE $database"
    if [ -n "${side_sql[$side]}" ]; then
        "$binary" migrate --postgres-url "${url%/*}/$database" --log-level warning >/dev/null \
            || fail "otppool migrate failed for the $side side"
        psql -q -v ON_ERROR_STOP=1 "${url%/*}/$database" -c "${side_sql[$side]}" || fail "the $side side's SQL failed"
    fi
    if ! "$binary" bench e2e "${args[@]}" "${extra[@]}" --json --c-baseline .build/release/kafka-bench-c \
        --postgres-url "${url%/*}/$database" >"$logs/$index-$side.log" 2>&1; then
        tail -n 5 "$logs/$index-$side.log" >&2
        fail "run $index ($side) failed; its log: $logs/$index-$side.log"
    fi
    psql -q "$admin" -c "DROP DATABASE $database"
    tail -n 1 "$logs/$index-$side.log" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sys.argv[1], d["activations_per_s"], d["cpu_s_per_1000_activations"], d.get("postgres_cpu_s_per_1000_activations"),
      d.get("machine_cpu_s_per_1000_activations"), d.get("machine_idle_share"), d.get("allocated_p99_ms"),
      d.get("pg_wal_records_per_activation"), d.get("pg_wal_kb_per_activation"))' "$side" >>"$logs/results"
    tail -n 1 "$logs/results" | awk -v i="$index" -v t="$(date +%T)" \
        '{ printf "pair %-3s %s %-4s %8.1f/s  allocated p99 %s ms  worker %s  postgres %s  machine %s (idle %s)  WAL %s records %s kB\n",
           i, t, $1, $2, $7, $3, $4, $5, $6, $8, $9 }'
}

for ((pair = 1; pair <= pairs; pair++)); do
    if ((pair % 2)); then run old "$old" "$pair"; run new "$new" "$pair"; else run new "$new" "$pair"; run old "$old" "$pair"; fi
done

python3 - "$logs/results" <<'EOF'
import sys
rows = [line.split() for line in open(sys.argv[1])]
old = [float(r[1]) for r in rows if r[0] == "old"]
new = [float(r[1]) for r in rows if r[0] == "new"]
wins = sum(1 for a, b in zip(old, new) if b > a)
mean = lambda values: sum(values) / len(values)
print(f"old: {mean(old):.1f}/s on average ({min(old):.1f}–{max(old):.1f}); new: {mean(new):.1f}/s ({min(new):.1f}–{max(new):.1f})")
print(f"new faster in {wins} of {len(new)} pairs; new/old = {mean(new) / mean(old):.3f}")
# The figures that do not move with the machine's speed, when the build reports them: the WAL a run writes.
for column, name in ((7, "WAL records per activation"), (8, "WAL kB per activation")):
    sides = {side: [float(r[column]) for r in rows if r[0] == side and r[column] != "None"] for side in ("old", "new")}
    if sides["old"] and sides["new"]:
        print(f"{name}: old {mean(sides['old']):.1f}, new {mean(sides['new']):.1f}")
EOF
