#!/usr/bin/env bash
# Runs the action server, the booking outbox worker, the clinic demo page with the chat widget, the staff console
# and the Rasa server, each under a supervisor that starts it again when it exits: one process dying never takes
# the others down. Ctrl-C (or SIGTERM) stops them all. Each process's id is in var/run/<name>.pid.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
python -m bot.preflight

RUN_DIR="${RUN_DIR:-$PROJECT_ROOT/var/run}"
mkdir -p "$RUN_DIR"
rm -f "$RUN_DIR"/*.pid
RESTART_DELAY_SECONDS="${RESTART_DELAY_SECONDS:-2}"
stopping=false

# supervise NAME COMMAND...: runs the command again after every exit until the script stops.
supervise() {
  local name=$1
  shift
  while ! $stopping; do
    "$@" &
    echo $! > "$RUN_DIR/$name.pid"
    wait $! && status=0 || status=$?
    $stopping && break
    echo "$(date -u +%FT%TZ) $name exited with status $status; starting it again in ${RESTART_DELAY_SECONDS}s" >&2
    sleep "$RESTART_DELAY_SECONDS"
  done
}

# The supervisors first, so none starts its process again, then the processes: SIGTERM, and SIGKILL for any
# still there after STOP_GRACE_SECONDS (a Rasa server still loading its model does not answer SIGTERM).
stop_all() {
  stopping=true
  trap - EXIT INT TERM
  # shellcheck disable=SC2046 # one id per word
  kill $(jobs -p) 2>/dev/null || true
  local pids
  pids=$(cat "$RUN_DIR"/*.pid 2>/dev/null || true)
  # shellcheck disable=SC2086 # one id per word
  kill $pids 2>/dev/null || true
  for _ in $(seq $((${STOP_GRACE_SECONDS:-10} * 2))); do
    local alive=""
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=yes; done
    [ -z "$alive" ] && break
    sleep 0.5
  done
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
  rm -f "$RUN_DIR"/*.pid
}
trap stop_all EXIT INT TERM

supervise actions python -m bot.actions.server &
supervise worker python -m bot.booking.worker &
supervise widget python -m bot.widget.server &
supervise console python -m bot.console.server &
# shellcheck disable=SC2086 # CORS_ORIGINS is a space-separated list of origins
supervise rasa python -m bot.rasa_command run --model "$MODEL_PATH" --endpoints endpoints.yml --credentials credentials.yml \
  --port "$RASA_PORT" --interface 0.0.0.0 --cors $CORS_ORIGINS &

echo "Assistant starting on http://localhost:$RASA_PORT; the clinic demo page is on http://localhost:$WIDGET_PORT"
echo "Staff console on http://localhost:$CONSOLE_PORT (create an account: bash scripts/console.sh accounts add NAME --role admin)"
wait
