#!/usr/bin/env bash
# Installs what the tests drive from Debian's packages when it is missing: chromium for the browser tests and
# PostgreSQL for the tests that start a throwaway cluster. Never downloads a browser or a server of its own.
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! command -v postgres >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "Missing ${missing[*]} and this user cannot install packages; the tests that need them will be skipped." >&2
  exit 0
fi
echo "Installing Debian's ${missing[*]} for the tests"
$SUDO apt-get update -qq >/dev/null \
  && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "Could not install ${missing[*]}; the tests that need them will be skipped." >&2
# Debian starts the packaged cluster; the tests run their own on a free port, so the packaged one is not needed.
if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v service >/dev/null 2>&1; then
  $SUDO service postgresql stop >/dev/null 2>&1 || true
fi
exit 0
