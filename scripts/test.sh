#!/usr/bin/env bash
# The whole test suite: data validation, dialogue test stories, then pytest (unit, consistency, NLU gate, end to end).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"

echo "== rasa data validate"
rasa data validate --fail-on-warnings --config config.yml --domain domain.yml --data bot/data

echo "== rasa test core (test stories)"
python -m bot.rasa_command test core --model "$MODEL_PATH" --stories tests/stories --out results/core --fail-on-prediction-errors

echo "== chromium and PostgreSQL for the browser and database tests"
bash scripts/install_test_tools.sh

echo "== pytest"
status=0
python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: check the arguments given to make test" >&2
fi
exit "$status"
