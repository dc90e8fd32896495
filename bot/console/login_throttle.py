"""Login throttling per client: failed logins lock out the client that made them, never the account for everyone.

Two counters per client address: one per typed username (MAX_FAILED_LOGINS), one over all usernames
(MAX_FAILED_LOGINS_PER_CLIENT) against spraying many names. Unknown usernames count like known ones, so a lock-out
never tells which accounts exist. A counter forgets failures older than the lock-out itself.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import List, Optional, Tuple

import sqlalchemy as sa

from bot.database import as_utc

MAX_FAILED_LOGINS = 5
MAX_FAILED_LOGINS_PER_CLIENT = 20
LOCKOUT = timedelta(minutes=15)
# The counter key for a client's failures over every username.
ANY_USERNAME = "*"
KEY_LENGTH = 64

metadata = sa.MetaData()
login_throttle = sa.Table(
    "login_throttle",
    metadata,
    sa.Column("client", sa.String(KEY_LENGTH), primary_key=True),
    sa.Column("username", sa.String(KEY_LENGTH), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
)


class LoginThrottle:
    """Counts failed logins by (client, username) and by client, in the database so every console process agrees."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self._engine = engine
        metadata.create_all(engine)

    def locked_until(self, client: str, username: str, now: datetime) -> Optional[datetime]:
        """When this client may try this username again, or None if it may now."""
        table = login_throttle.c
        with self._engine.connect() as connection:
            ends = connection.execute(
                sa.select(table.locked_until).where(
                    table.client == _key(client), table.username.in_((_key(username), ANY_USERNAME)))
            ).scalars().all()
        return max((end for end in map(as_utc, ends) if end is not None and now < end), default=None)

    def record_failure(self, client: str, username: str, now: datetime) -> Optional[datetime]:
        """Counts one failed login; returns the end of the lock-out it started, if it started one."""
        with self._engine.begin() as connection:
            self._forget_old(connection, now)
            ends = [self._count(connection, _key(client), key, limit, now)
                    for key, limit in ((_key(username), MAX_FAILED_LOGINS),
                                       (ANY_USERNAME, MAX_FAILED_LOGINS_PER_CLIENT))]
        return max((end for end in ends if end is not None), default=None)

    def forgive(self, client: str, username: str) -> None:
        """A successful login clears that client's count for the account (not its count over all names)."""
        table = login_throttle.c
        with self._engine.begin() as connection:
            connection.execute(login_throttle.delete().where(table.client == _key(client),
                                                             table.username == _key(username)))

    def unlock(self, username: str) -> None:
        """Lifts every client's lock-out on this username, e.g. after the user called the administrator."""
        with self._engine.begin() as connection:
            connection.execute(login_throttle.delete().where(login_throttle.c.username == _key(username)))

    def locks(self, username: str, now: datetime) -> List[Tuple[str, datetime]]:
        """The clients locked out of this username now, with the end of each lock-out."""
        table = login_throttle.c
        with self._engine.connect() as connection:
            rows = connection.execute(
                sa.select(table.client, table.locked_until).where(table.username == _key(username))
            ).all()
        return sorted((row.client, as_utc(row.locked_until)) for row in rows
                      if row.locked_until is not None and now < as_utc(row.locked_until))

    @staticmethod
    def _forget_old(connection: sa.engine.Connection, now: datetime) -> None:
        """Drops counters with no recent failure and no running lock-out, so the table stays small."""
        table = login_throttle.c
        connection.execute(login_throttle.delete().where(
            table.last_failure_at < now - LOCKOUT, sa.or_(table.locked_until.is_(None), table.locked_until <= now)))

    @staticmethod
    def _count(connection: sa.engine.Connection, client: str, username: str, limit: int,
               now: datetime) -> Optional[datetime]:
        """Adds one failure in the database itself, so concurrent attempts cannot undercount."""
        table = login_throttle.c
        key = (table.client == client, table.username == username)
        changed = connection.execute(
            login_throttle.update().where(*key).values(failures=table.failures + 1, last_failure_at=now)).rowcount
        if not changed:
            try:
                with connection.begin_nested():
                    connection.execute(login_throttle.insert().values(
                        client=client, username=username, failures=1, last_failure_at=now))
            except sa.exc.IntegrityError:  # a concurrent attempt inserted it first
                connection.execute(login_throttle.update().where(*key).values(
                    failures=table.failures + 1, last_failure_at=now))
        if connection.execute(sa.select(table.failures).where(*key)).scalar_one() < limit:
            return None
        locked_until = now + LOCKOUT
        connection.execute(login_throttle.update().where(*key).values(failures=0, locked_until=locked_until))
        return locked_until


def _key(value: str) -> str:
    return value[:KEY_LENGTH]
