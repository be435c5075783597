#!/usr/bin/env bash
# Where PostgreSQL's write-ahead log goes, per activation: runs `bench e2e` on a new database of the private durable
# PostgreSQL and reads the records the run wrote back with pg_walinspect (PostgreSQL 15+, in the server's contrib),
# summed per table or index and record type, divided by the activations. WAL is what every row version, index entry
# and commit costs the server, and unlike CPU seconds it does not move with the machine's speed: a change to what a
# step writes shows in one run.
#
#   scripts/wal-breakdown.sh [BINARY] [-- bench e2e arguments]    (default: .build/release/otppool, --activations 4000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

binary=.build/release/otppool
if [ $# -gt 0 ] && [ "$1" != "--" ]; then binary="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--activations 4000)
[ -x "$binary" ] || { echo "wal-breakdown: $binary is not an executable; build it with swift build -c release --product otppool" >&2; exit 2; }
activations=$(printf '%s\n' "${args[@]}" | awk 'previous == "--activations" { print; exit } { previous = $0 }')
activations="${activations:-10000}"

scripts/deps.sh
stop_pg=""
scripts/pg.sh status >/dev/null 2>&1 || stop_pg=1
url="$(OTP_PG_DURABLE=1 scripts/pg.sh start | tail -n 1)"
admin="${url%/*}/postgres"
database="walbreakdown_$$"
db="${url%/*}/$database"
cleanup() {
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
    if [ -n "$stop_pg" ]; then scripts/pg.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
psql -q "$admin" -c "CREATE DATABASE $database"
"$binary" migrate --postgres-url "$db" --log-level warning >/dev/null \
    || { echo "wal-breakdown: otppool migrate failed on $db" >&2; exit 1; }
psql -q -v ON_ERROR_STOP=1 "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_walinspect" \
    || { echo "wal-breakdown: pg_walinspect is not available (PostgreSQL 15+ with its contrib modules)" >&2; exit 1; }
start=$(psql -At "$db" -c "SELECT pg_current_wal_lsn()")
echo "==> bench e2e ${args[*]} on $database" >&2
"$binary" bench e2e "${args[@]}" --c-baseline-messages 0 --postgres-url "$db" | grep -E "throughput|PostgreSQL WAL"
end=$(psql -At "$db" -c "SELECT pg_current_wal_lsn()")

psql "$db" -v start="$start" -v end="$end" -v n="$activations" <<'SQL'
\echo WAL per activation by table or index (the rest: commits, checkpoints, other databases)
WITH r AS (
    SELECT resource_manager, record_type, record_length + fpi_length AS length,
           (regexp_match(block_ref, 'rel \d+/\d+/(\d+)'))[1]::oid AS node
    FROM pg_get_wal_records_info(:'start', :'end')
)
SELECT coalesce(c.relname, r.resource_manager) AS relation,
       round(count(*) / (:n)::numeric, 2) AS records, round(sum(length) / (:n)::numeric) AS bytes,
       string_agg(DISTINCT r.record_type, ' ') AS record_types
FROM r LEFT JOIN pg_class c ON c.relfilenode = r.node
GROUP BY 1 HAVING count(*) >= :n / 100 ORDER BY 2 DESC;
SQL
