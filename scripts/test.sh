#!/usr/bin/env bash
# `make test`: installs what is missing, starts the private PostgreSQL, builds and runs every test,
# and stops PostgreSQL again whatever happened. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/deps.sh

# The tests' own cluster, in its own data directory on its own port: never the one `make demo` or a developer's
# `scripts/pg.sh start` runs (stopping a pg.sh cluster wipes its data). When something else holds the port, the
# next free one is taken. Exported, so the fault suite's `scripts/pg.sh restart` restarts this cluster too.
export OTP_PG_DIR="${OTP_TEST_PG_DIR:-$PWD/.pgdata-test}"
export OTP_PG_PORT="${OTP_TEST_PG_PORT:-54339}"
if ! scripts/pg.sh status >/dev/null 2>&1; then
    OTP_PG_PORT="$(scripts/free-port.sh "$OTP_PG_PORT")"
fi
echo "==> starting the tests' private PostgreSQL (port $OTP_PG_PORT, $OTP_PG_DIR)" >&2
POSTGRES_URL="$(scripts/pg.sh start | tail -n 1)"
export POSTGRES_URL
trap 'echo "==> stopping the tests'"'"' private PostgreSQL" >&2; scripts/pg.sh stop >&2 || true' EXIT

echo "==> building (tests included)" >&2
scripts/build.sh --build-tests

echo "==> running the tests against ${POSTGRES_URL}" >&2
swift test --skip-build "$@"

echo "==> smoke tests of the standalone processes" >&2
scripts/smoke-broker.sh .build/debug
scripts/smoke-processes.sh .build/debug

echo "==> the operator console in headless Chromium (installs Debian's chromium when missing)" >&2
scripts/console-test.sh .build/debug

# The fault suite, short: the same invariants as `make faults` (per-activation ledger join included) at 200
# activations each, every scenario. scripts/faults-repeat.sh runs this set N times in a row.
echo "==> fault suite, short variant (every scenario, 200 activations each; make faults runs 10,000 each)" >&2
.build/debug/otppool bench faults --scenario all --activations 200 --offered-rate 40 --timeout 300

echo "==> deployment artefacts (deploy/, config/)" >&2
scripts/check-deploy.sh
