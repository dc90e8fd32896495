"""SMS numbers by conversation: the keyed-hash id, the number for the booking hand-off, opt-out, numbered choices."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone
from typing import Dict, List, Optional

import sqlalchemy as sa

from bot.database import engine

metadata = sa.MetaData()
sms_subscribers = sa.Table(
    "sms_subscribers",
    metadata,
    sa.Column("conversation_id", sa.String(80), primary_key=True),
    sa.Column("phone", sa.String(20), nullable=False),
    sa.Column("opted_out", sa.Boolean, nullable=False, default=False),
    sa.Column("opted_out_at", sa.DateTime(timezone=True)),
    # The buttons of the last answer, so a reply of "2" can select the second one.
    sa.Column("last_choices", sa.Text),
)


def conversation_id(phone: str, key: bytes) -> str:
    """The id stored in the tracker store: a keyed hash, so the log never holds the number itself."""
    return "sms-" + hmac.new(key, phone.encode(), hashlib.sha256).hexdigest()[:40]


class Subscribers:
    def __init__(self, database_url: Optional[str] = None) -> None:
        self._engine = engine(database_url)
        metadata.create_all(self._engine)

    def remember(self, conversation: str, phone: str) -> None:
        with self._engine.begin() as connection:
            exists = connection.execute(
                sa.select(sms_subscribers.c.conversation_id).where(sms_subscribers.c.conversation_id == conversation)
            ).first()
            if exists is None:
                connection.execute(sms_subscribers.insert().values(conversation_id=conversation, phone=phone,
                                                                   opted_out=False))

    def phone_for(self, conversation: str) -> Optional[str]:
        row = self._row(conversation)
        return row.phone if row else None

    def is_opted_out(self, conversation: str) -> bool:
        row = self._row(conversation)
        return bool(row and row.opted_out)

    def set_opted_out(self, conversation: str, opted_out: bool) -> None:
        moment = datetime.now(timezone.utc) if opted_out else None
        self._update(conversation, opted_out=opted_out, opted_out_at=moment)

    def set_choices(self, conversation: str, choices: List[Dict[str, str]]) -> None:
        self._update(conversation, last_choices=json.dumps(choices) if choices else None)

    def choices(self, conversation: str) -> List[Dict[str, str]]:
        row = self._row(conversation)
        return json.loads(row.last_choices) if row and row.last_choices else []

    def _row(self, conversation: str):
        with self._engine.connect() as connection:
            return connection.execute(
                sms_subscribers.select().where(sms_subscribers.c.conversation_id == conversation)
            ).first()

    def _update(self, conversation: str, **values) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                sms_subscribers.update().where(sms_subscribers.c.conversation_id == conversation).values(**values)
            )
