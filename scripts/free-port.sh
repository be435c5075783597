#!/usr/bin/env bash
# Prints the first TCP port from PORT upwards that nothing on 127.0.0.1 accepts connections on.
#
#   scripts/free-port.sh PORT [COUNT]     COUNT consecutive free ports (default 1); prints the first
#
# The make targets use it so a private PostgreSQL, the simulator or an admin server never collides with one a
# developer already runs: they take the next free port instead of failing (or, worse, talking to the wrong one).
set -euo pipefail
port="${1:?usage: scripts/free-port.sh PORT [COUNT]}"
count="${2:-1}"

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for ((candidate = port; candidate + count - 1 <= 65535; candidate++)); do
    taken=""
    for ((offset = 0; offset < count; offset++)); do
        if in_use $((candidate + offset)); then taken=1; break; fi
    done
    if [ -z "$taken" ]; then
        echo "$candidate"
        exit 0
    fi
done
echo "free-port.sh: no $count free port(s) from $port up" >&2
exit 1
