#!/usr/bin/env bash
# `make faults`: the fault suite on the embedded default — worker SIGKILLs, broker outage and request errors,
# PostgreSQL restart, supplier storms — 10,000 activations per scenario, then the invariants; exits non-zero on
# any violation. Builds in release mode and starts the private PostgreSQL (stopped again afterwards).
#
#   scripts/faults.sh [--scenario kill,broker,postgres,supplier] [--activations N] [--offered-rate R]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/deps.sh
echo "==> building (release)" >&2
swift build -c release --product otppool 2>&1 | tail -n 1 >&2
if ! scripts/pg.sh status >/dev/null 2>&1; then
    trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
fi
POSTGRES_URL="$(scripts/pg.sh start | tail -n 1)"
export POSTGRES_URL
.build/release/otppool bench faults --activations 10000 "$@"
