"""Staff accounts for the console: argon2 password hashes, login throttling per client, and a CLI to manage them.

Failed logins are counted per client address and typed username, so guessing from outside locks out that client,
never the account itself: an admin at the clinic can still log in while someone elsewhere hammers the login page.
The tables live in the conversation database (TRACKER_DB_URL), so SQLite and PostgreSQL both work.
"""
from __future__ import annotations

import argparse
import getpass
import os
import re
import secrets
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import List, Optional, Sequence, Tuple

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.console.login_throttle import LoginThrottle
from bot.database import as_utc, engine as database_engine, utc_now

REVIEWER, ADMIN = "reviewer", "admin"
ROLES = (REVIEWER, ADMIN)
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]{3,64}")
MIN_PASSWORD_LENGTH = 12
# The client of a login that did not come over the network (tests, scripts).
LOCAL_CLIENT = "local"
NEW_PASSWORD_ENV = "CONSOLE_NEW_PASSWORD"

# Why a login failed, for the audit trail and the CLI. The login page shows one message for all but a lock-out,
# so that it does not tell which usernames exist.
UNKNOWN_USER, WRONG_PASSWORD, DISABLED, LOCKED = "unknown user", "wrong password", "disabled", "locked"

metadata = sa.MetaData()
staff_users = sa.Table(
    "staff_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    # Wrong passwords since the last successful login, from any client: shown to admins, never a lock by itself.
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    # Retired (the lock moved to login_throttle); kept so databases created before still accept new accounts.
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_login_at", sa.DateTime(timezone=True)),
    # Sessions started before this moment stop working: a new password logs out every open session.
    sa.Column("password_changed_at", sa.DateTime(timezone=True)),
)


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is meant for the person who asked."""


@dataclass(frozen=True)
class StaffUser:
    """An account as the rest of the console sees it: everything but the password hash."""

    id: int
    username: str
    role: str
    disabled: bool
    failed_logins: int
    created_at: datetime
    last_login_at: Optional[datetime]


@dataclass(frozen=True)
class AuthResult:
    """The outcome of one login attempt: the user only when it succeeded, otherwise the reason (and lock end)."""

    ok: bool
    user: Optional[StaffUser] = None
    reason: Optional[str] = None
    locked_until: Optional[datetime] = None


def normalize_username(username: str) -> str:
    """Usernames are stored and looked up lower-cased, so "Alice" and "alice" are one account."""
    return username.strip().lower()


def _validate_username(username: str) -> None:
    if not USERNAME_PATTERN.fullmatch(username):
        raise AccountError(f"invalid username {username!r}: use 3-64 characters of a-z, 0-9, '.', '_' and '-'")


def _validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")


def _validate_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"invalid role {role!r}: use one of {', '.join(ROLES)}")


class StaffAccounts:
    """Creates, changes and authenticates staff accounts in the staff_users table."""

    def __init__(self, engine: sa.engine.Engine, hasher: Optional[PasswordHasher] = None) -> None:
        self._engine = engine
        self._hasher = hasher or PasswordHasher()
        # Unknown usernames are verified against this, so they cost as much time as known ones.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(32))
        self._throttle = LoginThrottle(engine)
        metadata.create_all(self._engine)

    def create(self, username: str, password: str, role: str) -> StaffUser:
        username = normalize_username(username)
        _validate_username(username)
        _validate_password(password)
        _validate_role(role)
        row = {
            "username": username,
            "password_hash": self._hasher.hash(password),
            "role": role,
            "disabled": False,
            "failed_logins": 0,
            "created_at": utc_now(),
        }
        try:
            with self._engine.begin() as connection:
                connection.execute(staff_users.insert().values(**row))
        except sa.exc.IntegrityError:
            raise AccountError(f"user {username!r} already exists") from None
        return self.get(username)

    def get(self, username: str) -> StaffUser:
        row = self._row(normalize_username(username))
        if row is None:
            raise AccountError(f"no such user {normalize_username(username)!r}")
        return self._from_row(row)

    def list(self) -> List[StaffUser]:
        with self._engine.connect() as connection:
            rows = connection.execute(staff_users.select().order_by(staff_users.c.username)).all()
        return [self._from_row(row) for row in rows]

    def disable(self, username: str) -> None:
        self._update(username, disabled=True)

    def enable(self, username: str) -> None:
        self._update(username, disabled=False)

    def unlock(self, username: str) -> None:
        """Lifts every client's lock-out on the account early, e.g. after the user called the administrator."""
        self._update(username, failed_logins=0)
        self._throttle.unlock(normalize_username(username))

    def locks(self, username: str, now: Optional[datetime] = None) -> List[Tuple[str, datetime]]:
        """The clients locked out of the account now, with when each lock-out ends."""
        return self._throttle.locks(normalize_username(username), now or utc_now())

    def set_password(self, username: str, password: str) -> None:
        _validate_password(password)
        self._update(username, password_hash=self._hasher.hash(password), password_changed_at=utc_now())

    def authenticate(self, username: str, password: str, client: str = LOCAL_CLIENT,
                     now: Optional[datetime] = None) -> AuthResult:
        """Checks one login attempt from `client` (its address), throttling that client after repeated failures."""
        now = (now or utc_now()).astimezone(timezone.utc)
        username = normalize_username(username)
        locked_until = self._throttle.locked_until(client, username, now)
        if locked_until is not None:
            # The stored hash is not checked, so a guess made during a lock-out confirms nothing;
            # the dummy verification keeps the answer as slow as any other.
            self._verify(self._dummy_hash, password)
            return AuthResult(ok=False, reason=LOCKED, locked_until=locked_until)
        row = self._row(username)
        if row is None:
            self._verify(self._dummy_hash, password)
            return self._refuse(UNKNOWN_USER, client, username, now)
        user = self._from_row(row)
        password_matches = self._verify(row.password_hash, password)
        if user.disabled:
            return AuthResult(ok=False, reason=DISABLED)
        if not password_matches:
            with self._engine.begin() as connection:
                connection.execute(staff_users.update().where(staff_users.c.id == user.id)
                                   .values(failed_logins=staff_users.c.failed_logins + 1))
            return self._refuse(WRONG_PASSWORD, client, username, now)
        values = {"failed_logins": 0, "last_login_at": now}
        if self._hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = self._hasher.hash(password)
        with self._engine.begin() as connection:
            connection.execute(staff_users.update().where(staff_users.c.id == user.id).values(**values))
        self._throttle.forgive(client, username)
        return AuthResult(ok=True, user=replace(user, failed_logins=0, last_login_at=now))

    def _refuse(self, reason: str, client: str, username: str, now: datetime) -> AuthResult:
        """Counts the failure against the client; the attempt that reaches the limit is told of the lock-out."""
        locked_until = self._throttle.record_failure(client, username, now)
        if locked_until is None:
            return AuthResult(ok=False, reason=reason)
        return AuthResult(ok=False, reason=LOCKED, locked_until=locked_until)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _row(self, username: str):
        with self._engine.connect() as connection:
            return connection.execute(staff_users.select().where(staff_users.c.username == username)).one_or_none()

    def _update(self, username: str, **values) -> None:
        username = normalize_username(username)
        with self._engine.begin() as connection:
            changed = connection.execute(
                staff_users.update().where(staff_users.c.username == username).values(**values)
            ).rowcount
        if changed != 1:
            raise AccountError(f"no such user {username!r}")

    @staticmethod
    def _from_row(row) -> StaffUser:
        return StaffUser(
            id=row.id,
            username=row.username,
            role=row.role,
            disabled=bool(row.disabled),
            failed_logins=row.failed_logins,
            created_at=as_utc(row.created_at),
            last_login_at=as_utc(row.last_login_at),
        )


class _Parser(argparse.ArgumentParser):
    """Turns usage errors into AccountError, so the CLI reports them in one line and exits 1."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if message.startswith("unrecognized arguments"):
            # Not echoed: the extra word may well be a password typed where it does not belong.
            raise AccountError(f"unexpected arguments; passwords are never read from the command line, "
                               f"only from the prompt or {NEW_PASSWORD_ENV}")
        raise AccountError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m bot.console.accounts",
        description=f"Manage staff console accounts. Passwords are read with a prompt, or from {NEW_PASSWORD_ENV}.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = commands.add_parser("add", help="create an account (asks for the password)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    for name, help_text in (
        ("disable", "refuse the account's logins and open sessions"),
        ("enable", "allow logins again"),
        ("unlock", "lift every lock-out on the account after too many failed logins"),
        ("password", "set a new password (asks for it)"),
    ):
        commands.add_parser(name, help=help_text).add_argument("username")
    commands.add_parser("list", help="show all accounts")
    return parser


def _new_password() -> str:
    """From CONSOLE_NEW_PASSWORD for scripts, otherwise typed twice; never from the command line."""
    from_environment = os.environ.get(NEW_PASSWORD_ENV)
    if from_environment is not None:
        return from_environment
    password = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != password:
        raise AccountError("the two passwords do not match")
    return password


def _describe(user: StaffUser, locks: List[Tuple[str, datetime]]) -> str:
    if user.disabled:
        status = "disabled"
    elif locks:
        clients = "1 client" if len(locks) == 1 else f"{len(locks)} clients"
        status = f"{clients} locked out until {max(end for _, end in locks):%H:%M} UTC"
    else:
        status = "active"
    last_login = f"last login {user.last_login_at:%Y-%m-%d %H:%M} UTC" if user.last_login_at else "never logged in"
    failures = f", {user.failed_logins} wrong passwords since" if user.failed_logins else ""
    return f"{user.username:<24} {user.role:<9} {status:<36} {last_login}{failures}"


def _run(arguments: argparse.Namespace, accounts: StaffAccounts) -> str:
    """Carries out one command and returns what to print."""
    username = normalize_username(getattr(arguments, "username", ""))
    if arguments.command == "add":
        user = accounts.create(username, _new_password(), arguments.role)
        return f"added {user.role} {user.username}"
    if arguments.command == "password":
        accounts.get(username)  # an unknown name is reported before anyone types a password
        accounts.set_password(username, _new_password())
        return f"password changed for {username}"
    if arguments.command == "list":
        return "\n".join(_describe(user, accounts.locks(user.username)) for user in accounts.list()) or "no accounts"
    change, done = {
        "disable": (accounts.disable, "disabled"),
        "enable": (accounts.enable, "enabled"),
        "unlock": (accounts.unlock, "unlocked"),
    }[arguments.command]
    change(username)
    return f"{done} {username}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The account CLI: prints one line on error and returns 1, without a stack trace."""
    try:
        arguments = _parser().parse_args(argv)
        if not os.environ.get("TRACKER_DB_URL"):
            raise AccountError("TRACKER_DB_URL is not set (source scripts/env.sh first)")
        print(_run(arguments, StaffAccounts(database_engine())))
        return 0
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
    except sa.exc.SQLAlchemyError as error:
        print(f"error: database: {str(error).splitlines()[0]}", file=sys.stderr)
    except (KeyboardInterrupt, EOFError):
        print("error: cancelled", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
