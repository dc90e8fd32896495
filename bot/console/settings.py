"""The console's configuration, read from the environment once at start-up."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ConsoleSettings:
    database_url: str
    host: str
    port: int
    idle: timedelta
    secure_cookies: bool
    retention_days: int


def console_settings() -> ConsoleSettings:
    """CONSOLE_IDLE_MINUTES exists so tests can watch the log-off happen; production keeps the 15 minutes."""
    return ConsoleSettings(
        database_url=os.environ["TRACKER_DB_URL"],
        # Health information: reachable from this machine only, unless the clinic says where else to listen.
        host=os.environ.get("CONSOLE_HOST", "127.0.0.1"),
        port=int(os.environ.get("CONSOLE_PORT", "8090")),
        idle=timedelta(minutes=float(os.environ.get("CONSOLE_IDLE_MINUTES", "15"))),
        secure_cookies=os.environ.get("CONSOLE_SECURE_COOKIES", "false").lower() in ("1", "true", "yes"),
        retention_days=int(os.environ.get("CONSOLE_RETENTION_DAYS", "365")),
    )
