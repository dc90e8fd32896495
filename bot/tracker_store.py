"""Rasa's SQL tracker store on the project's tuned engine (see bot.database), named in endpoints.yml."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from bot.database import tuned_engine

# Rasa's own declaration of its events table, for the staff console and the benchmark to query with SQLAlchemy.
events: sa.Table = SQLTrackerStore.SQLEvent.__table__


class ConversationStore(SQLTrackerStore):
    """Rasa opens a new SQLite connection for every read and write; this store keeps them open in WAL mode."""

    def __init__(self, domain: Optional[Domain] = None, host: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self.engine.dispose()
            self.engine = tuned_engine(self.engine.url.render_as_string(hide_password=False), future=False)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
