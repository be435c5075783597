#!/usr/bin/env bash
# Installs the system packages otp-pool builds and tests with, when they are missing.
#
#   librdkafka-dev  Kafka client (C), with the mock cluster used as the embedded broker
#   libpq-dev       PostgreSQL client (C)
#   libjemalloc-dev the allocator the otppool binary links in place of glibc's malloc
#   pkg-config      how SwiftPM finds both
#   postgresql      server binaries for the private test/demo cluster (scripts/pg.sh)
#   make            the README's two commands are make targets
#   curl            the smoke tests and the demo probe the admin servers
#   python3         scripts/tcp-proxy.py (fault suite, smoke test), scripts/check-deploy.sh
#   python3-venv    check-deploy.sh's scratch environment (Debian's python3 lacks ensurepip without it)
#   ca-certificates pip reaches PyPI over HTTPS (check-deploy.sh, first run only)
#
# A bare Debian 12 or Ubuntu 24.04 image with only the Swift toolchain lacks all of these; everything else the
# scripts call (bash, coreutils, grep, sed, awk, util-linux's runuser and flock, passwd's useradd) is in every
# Debian-based image. Checked in a bare `debootstrap --variant=minbase bookworm` folder (see the README).
#
# Uses apt-get (with sudo when not root). Prints nothing when everything is there.
set -euo pipefail

packages=(librdkafka-dev libpq-dev libjemalloc-dev pkg-config postgresql make curl python3 python3-venv ca-certificates)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command -v apt-get >/dev/null 2>&1 || {
    echo "deps.sh: missing ${missing[*]} and no apt-get here; install them with your package manager" >&2
    exit 1
}
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "deps.sh: run as root or install sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "deps.sh: installing ${missing[*]}" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
