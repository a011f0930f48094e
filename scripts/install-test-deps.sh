#!/usr/bin/env bash
# Installs the Debian packages the tests need: Chromium for the browser tests, PostgreSQL for
# the tests of the gateway database on PostgreSQL (the tests start their own server).
# Run by `make test`; needs root or sudo the first time, does nothing once installed.
set -euo pipefail

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || packages+=(postgresql)
[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "The tests need these Debian packages: ${packages[*]}" >&2
    echo "Install them as root: apt-get install ${packages[*]}" >&2
    exit 1
fi
echo "==> Installing test dependencies: ${packages[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
