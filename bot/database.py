"""One SQLAlchemy engine per database URL and process: the conversation database that the project's tables share."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

SQLITE_PRAGMAS = (
    # Readers (the staff console, the outbox worker) never block the assistant's writes, and the reverse.
    "PRAGMA journal_mode=WAL",
    # In WAL mode NORMAL survives a crash of any process; only a power cut can drop the last commits.
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
)


def _tune_sqlite_connection(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def tuned_engine(url: str, future: bool = True) -> sa.engine.Engine:
    """An engine that keeps SQLite connections open in WAL mode, so a message costs no file open and no fsync."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, future=future, pool_pre_ping=True)
    created = sa.create_engine(url, future=future, poolclass=QueuePool,
                               connect_args={"check_same_thread": False})
    sa.event.listen(created, "connect", _tune_sqlite_connection)
    return created


@lru_cache(maxsize=None)
def _engine_for(url: str) -> sa.engine.Engine:
    return tuned_engine(url)


def engine(url: Optional[str] = None) -> sa.engine.Engine:
    """The engine for `url`, or for TRACKER_DB_URL (SQLite by default, PostgreSQL when configured)."""
    return _engine_for(url or os.environ["TRACKER_DB_URL"])


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: Optional[datetime]) -> Optional[datetime]:
    """SQLite hands back naive datetimes; every time the project stores is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment and moment.tzinfo is None else moment
