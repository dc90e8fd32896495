#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing; never downloads a browser of its own.
set -uo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "Chromium is not installed and this user cannot install it; the browser tests will be skipped." >&2
  exit 0
fi
echo "Installing Debian's chromium for the browser tests"
$SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
  || echo "Could not install chromium; the browser tests will be skipped." >&2
exit 0
