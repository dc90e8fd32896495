#!/usr/bin/env bash
# Runs the action server, the booking outbox worker, the clinic demo page with the chat widget, the staff console
# and the Rasa server.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
python -m bot.preflight

python -m bot.actions.server &
ACTION_SERVER_PID=$!
python -m bot.booking.worker &
WORKER_PID=$!
python -m bot.widget.server &
WIDGET_PID=$!
python -m bot.console.server &
CONSOLE_PID=$!
trap 'kill "$ACTION_SERVER_PID" "$WORKER_PID" "$WIDGET_PID" "$CONSOLE_PID" 2>/dev/null || true' EXIT INT TERM

echo "Assistant starting on http://localhost:$RASA_PORT; the clinic demo page is on http://localhost:$WIDGET_PORT"
echo "Staff console on http://localhost:$CONSOLE_PORT (create an account: bash scripts/console.sh accounts add NAME --role admin)"
# shellcheck disable=SC2086 # CORS_ORIGINS is a space-separated list of origins
rasa run --model "$MODEL_PATH" --endpoints endpoints.yml --credentials credentials.yml \
  --port "$RASA_PORT" --interface 0.0.0.0 --cors $CORS_ORIGINS
