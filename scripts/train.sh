#!/usr/bin/env bash
# Trains the model into models/assistant.tar.gz; Rasa's cache reuses every component whose inputs did not change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
# --skip-validation: the test command validates the same data, failing on any warning (scripts/test.sh), so training
# does not spend its first seconds doing it again.
python -m bot.rasa_command train --skip-validation --config config.yml --domain domain.yml --data bot/data \
  --out models --fixed-model-name assistant "$@"
touch "$MODEL_PATH"
