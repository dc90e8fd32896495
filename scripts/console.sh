#!/usr/bin/env bash
# The staff console's commands in the project's environment:
#   bash scripts/console.sh accounts add NAME --role admin|reviewer   (also: disable, enable, unlock, password, list)
#   bash scripts/console.sh retention [--days N]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
command="${1:?usage: bash scripts/console.sh accounts|retention ...}"
shift
case "$command" in
  accounts|retention) exec python -m "bot.console.$command" "$@" ;;
  *) echo "unknown console command '$command': use accounts or retention" >&2; exit 1 ;;
esac
