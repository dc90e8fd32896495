#!/usr/bin/env bash
# The benchmark: our configuration against the stock `rasa init` one, measured in the same run.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
python -m bench.bench "$@"
