"""`python -m bot.console.retention`: deletes conversations older than CONSOLE_RETENTION_DAYS, with an audit entry.

Booking requests stay: they are the clinic's records of who asked to be called, not conversation logs.
Run it daily (cron or a systemd timer).
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from bot.console.audit import SYSTEM, AuditTrail
from bot.console.conversations import purge_older_than
from bot.console.settings import console_settings
from bot.database import engine as database_engine


def main(argv: Optional[Sequence[str]] = None) -> int:
    settings = console_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.console.retention", description=__doc__)
    parser.add_argument("--days", type=int, default=settings.retention_days,
                        help=f"keep conversations active in the last DAYS days (default {settings.retention_days})")
    arguments = parser.parse_args(argv)
    if arguments.days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return 1
    engine = database_engine(settings.database_url)
    purged = purge_older_than(engine, arguments.days)
    AuditTrail(engine).record(SYSTEM, "purge", target=f"{len(purged)} conversations",
                              detail=f"retention: inactive for more than {arguments.days} days")
    print(f"Deleted {len(purged)} conversation(s) inactive for more than {arguments.days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
