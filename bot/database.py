"""One SQLAlchemy engine per database URL and process: the conversation database that the project's tables share."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Optional

import sqlalchemy as sa


@lru_cache(maxsize=None)
def _engine_for(url: str) -> sa.engine.Engine:
    return sa.create_engine(url, future=True, pool_pre_ping=True)


def engine(url: Optional[str] = None) -> sa.engine.Engine:
    """The engine for `url`, or for TRACKER_DB_URL (SQLite by default, PostgreSQL when configured)."""
    return _engine_for(url or os.environ["TRACKER_DB_URL"])
