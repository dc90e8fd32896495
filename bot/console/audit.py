"""The console's audit trail: who logged in, viewed, revealed, exported, labelled or purged what, and when.

Append-only in the code (no update or delete here) and in the database (triggers refuse UPDATE and DELETE).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.schema import DDL

from bot.database import as_utc, utc_now

SYSTEM = "system"
ACTIONS = ("login", "login_failed", "logout", "view", "reveal", "export", "purge", "retry", "account", "label")
APPEND_ONLY_MESSAGE = "audit trail is append-only"

metadata = sa.MetaData()
console_audit = sa.Table(
    "console_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(16), nullable=False, index=True),
    sa.Column("target", sa.String(255), nullable=False, default=""),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)

# Created right after the table, in this order, by the dialect they are written for.
APPEND_ONLY_DDL = {
    "sqlite": [
        f"CREATE TRIGGER console_audit_no_{operation.lower()} BEFORE {operation} ON console_audit "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        for operation in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION console_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$body$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $body$",
        "CREATE TRIGGER console_audit_no_change BEFORE UPDATE OR DELETE ON console_audit "
        "FOR EACH ROW EXECUTE FUNCTION console_audit_append_only()",
        "CREATE TRIGGER console_audit_no_truncate BEFORE TRUNCATE ON console_audit "
        "FOR EACH STATEMENT EXECUTE FUNCTION console_audit_append_only()",
    ],
}
for dialect, statements in APPEND_ONLY_DDL.items():
    for statement in statements:
        sa.event.listen(console_audit, "after_create", DDL(statement).execute_if(dialect=dialect))


@dataclass(frozen=True)
class AuditEntry:
    """One recorded event."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: str


class AuditTrail:
    """Records console events and reads them back; there is deliberately no way to change or remove one."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self._engine = engine
        metadata.create_all(self._engine)

    def record(self, actor: str, action: str, target: str = "", detail: str = "") -> None:
        """Appends one event; an unknown action is a programming error, so it raises ValueError."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}: use one of {', '.join(ACTIONS)}")
        if not actor:
            raise ValueError("an audit entry needs an actor (a username or 'system')")
        with self._engine.begin() as connection:
            connection.execute(
                console_audit.insert().values(at=utc_now(), actor=actor, action=action, target=target, detail=detail)
            )

    def recent(self, limit: int = 200, offset: int = 0, action: Optional[str] = None) -> List[AuditEntry]:
        """The newest entries first, optionally of one action only, a page at a time."""
        query = console_audit.select().order_by(console_audit.c.at.desc(), console_audit.c.id.desc())
        if action is not None:
            query = query.where(console_audit.c.action == action)
        with self._engine.connect() as connection:
            rows = connection.execute(query.limit(limit).offset(offset)).all()
        return [
            AuditEntry(id=row.id, at=as_utc(row.at), actor=row.actor, action=row.action, target=row.target,
                       detail=row.detail)
            for row in rows
        ]
