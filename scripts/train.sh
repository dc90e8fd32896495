#!/usr/bin/env bash
# Trains the model into models/assistant.tar.gz; Rasa's cache reuses every component whose inputs did not change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
rasa train --config config.yml --domain domain.yml --data bot/data \
  --out models --fixed-model-name assistant "$@"
touch "$MODEL_PATH"
