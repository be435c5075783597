#!/usr/bin/env bash
# `swift build` with its arguments, quietly: one progress line while it compiles, the last line when it
# succeeds, and when it fails every error with its context (the compiler's lines, not one line
# of a log), plus where the full log is. Exits with swift build's status.
#
#   scripts/build.sh [swift build arguments]     e.g. scripts/build.sh -c release --product otppool
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log="$(mktemp "${TMPDIR:-/tmp}/otppool-build.XXXXXX")"

# One line, rewritten in place on a terminal; every 50th step otherwise (CI logs stay short).
progress() {
    local line step=0
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$log"
        [[ "$line" =~ ^\[([0-9]+)/([0-9]+)\] ]] || continue
        step=$((step + 1))
        if [ -t 2 ]; then
            printf '\r\033[K%s' "${line:0:100}" >&2
        elif ((step % 50 == 1)); then
            printf '%s\n' "${line:0:100}" >&2
        fi
    done
    [ -t 2 ] && printf '\r\033[K' >&2
    return 0
}

swift build "$@" 2>&1 | progress
status="${PIPESTATUS[0]}"
if [ "$status" -eq 0 ]; then
    tail -n 1 "$log" >&2
    rm -f "$log"
    exit 0
fi
echo "build.sh: swift build $* failed (exit $status):" >&2
if grep -q "error:" "$log"; then
    # Each error with the source line and caret the compiler prints under it (warnings are errors in our
    # targets, so they show here too); at most about 60 of them.
    grep -E -A 3 "error:" "$log" | grep -v '^\[[0-9]*/[0-9]*\]' | head -n 240 >&2
else
    tail -n 40 "$log" >&2
fi
echo "build.sh: the full output is in $log" >&2
exit "$status"
