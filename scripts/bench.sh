#!/usr/bin/env bash
# The benchmarks: real questions (right answers, one tap away), safety on the evaluation sets (rules alone,
# classifier alone, both), our assistant configuration
# against the stock `rasa init` one, measured in the same run, then the
# staff console on 10 000 seeded conversations against queries straight over the events table.
# `bash scripts/bench.sh console` runs only the console benchmark; `bash scripts/bench.sh soak [--small]` runs
# only the soak (load, killed processes, hostile input; bench/soak.py).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
if [ "${1:-}" = "soak" ]; then
  shift
  exec python -m bench.soak "$@"
fi
if [ "${1:-}" != "console" ]; then
  python -m bench.real_questions --model "$MODEL_PATH"
  python -m bench.safety_eval --model "$MODEL_PATH"
  python -m bench.bench "$@"
fi
python -m bench.console_bench
