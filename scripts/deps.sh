#!/usr/bin/env bash
# Installs the system packages otp-pool builds and tests with, when they are missing.
#
#   librdkafka-dev  Kafka client (C), with the mock cluster used as the embedded broker
#   libpq-dev       PostgreSQL client (C)
#   pkg-config      how SwiftPM finds both
#   postgresql      server binaries for the private test/demo cluster (scripts/pg.sh)
#
# Uses apt-get (with sudo when not root). Prints nothing when everything is there.
set -euo pipefail

packages=(librdkafka-dev libpq-dev pkg-config postgresql)
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
