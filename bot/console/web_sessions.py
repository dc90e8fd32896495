"""Server-side login sessions for the console: the browser holds a random token, the database only its SHA-256.

A session ends after `idle` without a request, at logout, or as soon as its account is disabled or its password
changes.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional, Tuple

import sqlalchemy as sa

from bot.console.accounts import StaffUser, normalize_username, staff_users
from bot.console.accounts import metadata as accounts_metadata
from bot.database import as_utc, utc_now

IDLE_TIMEOUT = timedelta(minutes=15)

metadata = sa.MetaData()
console_sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False, index=True),
)


@dataclass(frozen=True)
class WebSession:
    """A logged-in staff member as a request handler sees them; the cookie token itself is not kept here."""

    user_id: int
    username: str
    role: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


def hash_token(token: str) -> str:
    """What the database keeps instead of the cookie token, so a copy of the table logs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_ok(session: WebSession, submitted: Optional[str]) -> bool:
    """Whether a form carried this session's CSRF token, compared in constant time."""
    return bool(submitted) and hmac.compare_digest(session.csrf_token.encode(), submitted.encode())


class WebSessions:
    """Starts, resumes and ends console sessions in the console_sessions table."""

    def __init__(self, engine: sa.engine.Engine, idle: timedelta = IDLE_TIMEOUT) -> None:
        self._engine = engine
        self.idle = idle
        accounts_metadata.create_all(self._engine)
        metadata.create_all(self._engine)

    def start(self, user: StaffUser, now: Optional[datetime] = None) -> Tuple[str, WebSession]:
        """Opens a session after a successful login; returns the token for the cookie and the session."""
        now = (now or utc_now()).astimezone(timezone.utc)
        token = secrets.token_urlsafe(32)
        session = WebSession(
            user_id=user.id,
            username=user.username,
            role=user.role,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
        with self._engine.begin() as connection:
            # Sessions abandoned without logging out are removed here, so the table does not grow.
            connection.execute(console_sessions.delete().where(console_sessions.c.last_seen_at < now - self.idle))
            connection.execute(console_sessions.insert().values(token_hash=hash_token(token), **asdict(session)))
        return token, session

    def resume(self, token: Optional[str], now: Optional[datetime] = None) -> Optional[WebSession]:
        """The session for a cookie token, or None if it is unknown, idle too long, its account disabled, or its
        password changed since it started."""
        if not token:
            return None
        now = (now or utc_now()).astimezone(timezone.utc)
        token_hash = hash_token(token)
        sessions = console_sessions.c
        with self._engine.begin() as connection:
            row = connection.execute(
                sa.select(console_sessions, staff_users.c.disabled, staff_users.c.password_changed_at)
                .select_from(console_sessions.outerjoin(staff_users, staff_users.c.id == sessions.user_id))
                .where(sessions.token_hash == token_hash)
            ).one_or_none()
            if row is None:
                return None
            idle = now - as_utc(row.last_seen_at) > self.idle
            password_changed = row.password_changed_at and as_utc(row.password_changed_at) > as_utc(row.created_at)
            if idle or row.disabled is None or row.disabled or password_changed:
                connection.execute(console_sessions.delete().where(sessions.token_hash == token_hash))
                return None
            connection.execute(
                console_sessions.update().where(sessions.token_hash == token_hash).values(last_seen_at=now)
            )
        return WebSession(
            user_id=row.user_id,
            username=row.username,
            role=row.role,
            csrf_token=row.csrf_token,
            created_at=as_utc(row.created_at),
            last_seen_at=now,
        )

    def end(self, token: Optional[str]) -> None:
        """Logs out: the token stops working at once."""
        if token:
            with self._engine.begin() as connection:
                connection.execute(console_sessions.delete().where(console_sessions.c.token_hash == hash_token(token)))

    def end_all_for(self, username: str) -> int:
        """Ends every session of one account at once; returns how many there were."""
        with self._engine.begin() as connection:
            return connection.execute(
                console_sessions.delete().where(console_sessions.c.username == normalize_username(username))
            ).rowcount
