#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and the demo.
#
#   scripts/pg.sh start     initdb (first time) and start; prints the URL as the last line of stdout
#   scripts/pg.sh stop      stop the cluster and remove its data directory
#   scripts/pg.sh restart   restart the running cluster (fault tests)
#   scripts/pg.sh url       print the URL
#   scripts/pg.sh status    exit 0 when running, 3 when not
#
# Environment: OTP_PG_DIR (default <repo>/.pgdata), OTP_PG_PORT (default 54329), OTP_PG_DURABLE=1 to start
# with fsync, synchronous commit and full-page writes on and memory and WAL sized as a deployment sizes them (the
# benchmarks); the tests' default trades durability for speed.
# Installs Debian's `postgresql` package with apt when initdb is missing. Works as root (the cluster runs as
# the `postgres` system user) and as a normal user (the cluster runs as you; its superuser role is still
# named `postgres`). Listens on 127.0.0.1 only, trust authentication: for local test use, never production.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${OTP_PG_PORT:-54329}"
pg_dir="${OTP_PG_DIR:-$repo/.pgdata}"
database="otppool"
url="postgresql://postgres@127.0.0.1:${port}/${database}"

log() { echo "pg.sh: $*" >&2; }
die() { log "$*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# The newest /usr/lib/postgresql/<version>/bin, else wherever initdb is on PATH.
find_bin_dir() {
    local newest
    newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V | tail -n 1 || true)"
    if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then
        echo "$newest"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
    fi
}

install_postgresql() {
    log "initdb not found; installing the postgresql package with apt"
    local sudo=""
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 || die "install PostgreSQL first: sudo apt-get install postgresql"
        sudo="sudo"
    fi
    $sudo apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends postgresql >&2
}

bin_dir() {
    local dir
    dir="$(find_bin_dir)"
    if [ -z "$dir" ]; then
        install_postgresql
        dir="$(find_bin_dir)"
    fi
    [ -n "$dir" ] || die "no initdb after installing postgresql; set PATH to include PostgreSQL's bin directory"
    echo "$dir"
}

# As root, the `postgres` user must reach the data directory; a repository under a private home directory
# would stop it, so fall back to a fixed place under /tmp (the same for start and stop).
resolve_pg_dir() {
    if is_root; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
        mkdir -p "$(dirname "$pg_dir")"
        if ! as_owner test -x "$(dirname "$pg_dir")" 2>/dev/null; then
            local fallback="${TMPDIR:-/tmp}/otppool-pgdata-${port}"
            log "user postgres cannot reach $(dirname "$pg_dir"); using $fallback"
            pg_dir="$fallback"
        fi
    fi
    data_dir="$pg_dir/data"
    log_file="$pg_dir/postgres.log"
}

is_running() {
    [ -f "$data_dir/PG_VERSION" ] && as_owner "$bin/pg_ctl" status -D "$data_dir" >/dev/null 2>&1
}

init_cluster() {
    log "initialising a cluster in $data_dir"
    mkdir -p "$pg_dir"
    chmod 700 "$pg_dir"
    is_root && chown postgres:postgres "$pg_dir"
    as_owner "$bin/initdb" -D "$data_dir" -U postgres -A trust -E UTF8 --no-locale --no-sync >&2
    cat >>"$data_dir/postgresql.conf" <<EOF

# scripts/pg.sh: a private cluster for tests (durability traded for speed)
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${pg_dir}'
# Swift Testing runs every suite at once, each test with a pool of up to 4 connections and one for its schema: the
# suite peaked at 198 connections (sampled, 2026-12-05), and a clean-clone run at 200 failed with "too many clients".
max_connections = 500
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
EOF
}

# Memory and WAL sized as a deployment sizes them (the durable cluster, which the benchmarks measure): shared_buffers
# a quarter of the machine's memory up to 1 GB (the default 128 MB is smaller than the rows a 20,000-activation run
# writes, so backends wrote dirty pages out themselves, 45,000-51,000 per run), and room for 4 GB of WAL between
# checkpoints (a run writes about 18 kB per activation).
sized_as_deployed() {
    local memory_kb
    memory_kb="$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)"
    local buffers_mb=$((memory_kb / 4 / 1024))
    [ "$buffers_mb" -gt 1024 ] && buffers_mb=1024
    [ "$buffers_mb" -lt 128 ] && buffers_mb=128
    echo "-c shared_buffers=${buffers_mb}MB -c max_wal_size=4GB -c checkpoint_timeout=15min"
}

start() {
    if is_running; then
        echo "$url"
        return
    fi
    [ -f "$data_dir/PG_VERSION" ] || init_cluster
    local durable=()
    [ "${OTP_PG_DURABLE:-}" = 1 ] && durable=(-o "-c fsync=on -c synchronous_commit=on -c full_page_writes=on $(sized_as_deployed)")
    if ! as_owner "$bin/pg_ctl" start -w -t 60 -D "$data_dir" -l "$log_file" "${durable[@]}" >&2 9>&-; then
        tail -n 20 "$log_file" >&2 || true
        die "PostgreSQL did not start (is port $port taken? set OTP_PG_PORT); log: $log_file"
    fi
    local exists
    exists="$(as_owner "$bin/psql" -h "$pg_dir" -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '${database}'")"
    if [ "$exists" != "1" ]; then
        as_owner "$bin/createdb" -h "$pg_dir" -p "$port" -U postgres "$database"
    fi
    echo "$url"
}

stop() {
    if is_running; then
        as_owner "$bin/pg_ctl" stop -w -m fast -D "$data_dir" >&2
    fi
    rm -rf "$pg_dir"
}

restart() {
    is_running || die "not running; use: scripts/pg.sh start"
    as_owner "$bin/pg_ctl" restart -w -t 60 -m fast -D "$data_dir" -l "$log_file" >&2 9>&-
    echo "$url"
}

command="${1:-}"
case "$command" in
    start | stop | restart | status) ;;
    url) echo "$url"; exit 0 ;;
    *) die "usage: scripts/pg.sh start|stop|restart|url|status" ;;
esac

bin="$(bin_dir)"
resolve_pg_dir

# One start/stop at a time per port, so `make test` and a developer's shell don't race. The server must not
# inherit the lock's descriptor (it would hold the lock for its lifetime), hence `9>&-` where it starts.
lock_file="${TMPDIR:-/tmp}/otppool-pg-${port}.lock"
exec 9>>"$lock_file"
chmod 666 "$lock_file" 2>/dev/null || true  # root and normal users may take turns on one port
flock 9

case "$command" in
    start) start ;;
    stop) stop ;;
    restart) restart ;;
    status)
        if is_running; then echo "running: $url"; else echo "stopped"; exit 3; fi
        ;;
esac
