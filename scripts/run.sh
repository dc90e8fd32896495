#!/usr/bin/env bash
# Runs the action server, the booking outbox worker and the Rasa server (REST channel) until interrupted.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
python -m bot.preflight

rasa run actions --actions bot.actions --port "$ACTION_PORT" &
ACTION_SERVER_PID=$!
python -m bot.booking.worker &
WORKER_PID=$!
trap 'kill "$ACTION_SERVER_PID" "$WORKER_PID" 2>/dev/null || true' EXIT INT TERM

echo "Assistant starting on http://localhost:$RASA_PORT (REST: POST /webhooks/rest/webhook)"
rasa run --model "$MODEL_PATH" --endpoints endpoints.yml --credentials credentials.yml \
  --port "$RASA_PORT" --interface 0.0.0.0
