# Sourced by the other scripts: the environment every command of the project runs in.
# Each value can be overridden from the environment (see README, "Configuration").
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PROJECT_ROOT
export PATH="$PROJECT_ROOT/.venv/bin:$PATH"
export PYTHONPATH="$PROJECT_ROOT${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-$PROJECT_ROOT/.rasa/cache}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
export ACTION_SERVER_HOST="${ACTION_SERVER_HOST:-127.0.0.1}"
# The secret the Rasa server sends the action server (endpoints.yml); a fresh one per start unless configured.
ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export ACTION_SERVER_TOKEN
export TRACKER_DB_URL="${TRACKER_DB_URL:-sqlite:///$PROJECT_ROOT/var/conversations.db}"
export MODEL_PATH="${MODEL_PATH:-$PROJECT_ROOT/models/assistant.tar.gz}"
mkdir -p "$PROJECT_ROOT/var"
export WIDGET_PORT="${WIDGET_PORT:-8080}"
export ASSISTANT_PUBLIC_URL="${ASSISTANT_PUBLIC_URL:-http://localhost:$RASA_PORT}"
# Browser origins allowed to call the assistant: the demo page by default.
export CORS_ORIGINS="${CORS_ORIGINS:-http://localhost:$WIDGET_PORT http://127.0.0.1:$WIDGET_PORT}"
export CONSOLE_PORT="${CONSOLE_PORT:-8090}"
