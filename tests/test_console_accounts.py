"""Staff accounts, login sessions and the audit trail of the console, on a real SQLite file (and PostgreSQL)."""
from __future__ import annotations

import concurrent.futures
import hashlib
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from bot.console import accounts as accounts_module
from bot.console.accounts import (
    DISABLED,
    LOCKED,
    UNKNOWN_USER,
    WRONG_PASSWORD,
    AccountError,
    StaffAccounts,
    main,
    staff_users,
)
from bot.console.audit import AuditTrail, console_audit
from bot.console.login_throttle import LOCKOUT, MAX_FAILED_LOGINS, MAX_FAILED_LOGINS_PER_CLIENT
from bot.console.web_sessions import WebSessions, console_sessions, csrf_ok
from bot.database import engine as database_engine
from tests.conftest import PROJECT_ROOT

PASSWORD = "correct horse battery"
OTHER_PASSWORD = "another long passphrase"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class RecordingHasher(PasswordHasher):
    """Cheap argon2 parameters for speed, and a record of every hash a password was checked against."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified: List[str] = []

    def verify(self, hash, password) -> bool:
        self.verified.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'conversations.db'}"


@pytest.fixture
def engine(database_url: str) -> sa.engine.Engine:
    """The engine the console itself uses, from bot.database."""
    return database_engine(database_url)


@pytest.fixture
def hasher() -> RecordingHasher:
    return RecordingHasher()


@pytest.fixture
def accounts(engine: sa.engine.Engine, hasher: RecordingHasher) -> StaffAccounts:
    return StaffAccounts(engine, hasher)


def stored_hash(engine: sa.engine.Engine, username: str) -> str:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(staff_users.c.password_hash).where(staff_users.c.username == username)
        ).scalar_one()


# Accounts


def test_create_lower_cases_the_username_and_stores_an_argon2_hash_not_the_password(accounts, engine):
    user = accounts.create("Maria.Lopez", PASSWORD, "reviewer")

    assert (user.username, user.role, user.disabled, user.failed_logins) == ("maria.lopez", "reviewer", False, 0)
    assert user.created_at.tzinfo is not None and user.last_login_at is None
    password_hash = stored_hash(engine, "maria.lopez")
    assert password_hash.startswith("$argon2id$")
    assert PASSWORD not in password_hash


@pytest.mark.parametrize(
    "username, password, role, message",
    [
        ("ab", PASSWORD, "reviewer", "invalid username"),
        ("a" * 65, PASSWORD, "reviewer", "invalid username"),
        ("maria lopez", PASSWORD, "reviewer", "invalid username"),
        ("maria@clinic", PASSWORD, "reviewer", "invalid username"),
        ("maria", "short pass", "reviewer", "at least 12 characters"),
        ("maria", PASSWORD, "owner", "invalid role"),
    ],
)
def test_create_rejects_invalid_input_with_a_clear_message(accounts, username, password, role, message):
    with pytest.raises(AccountError, match=message):
        accounts.create(username, password, role)
    assert accounts.list() == []


def test_usernames_are_unique_regardless_of_case(accounts):
    accounts.create("maria", PASSWORD, "reviewer")
    with pytest.raises(AccountError, match="'maria' already exists"):
        accounts.create("MARIA", OTHER_PASSWORD, "admin")


def test_authenticate_accepts_the_right_password_and_says_why_otherwise(accounts):
    accounts.create("maria", PASSWORD, "admin")

    success = accounts.authenticate("Maria", PASSWORD, now=START)
    assert success.ok and success.user.username == "maria" and success.user.role == "admin"
    assert accounts.get("maria").last_login_at == START

    wrong = accounts.authenticate("maria", OTHER_PASSWORD, now=START)
    assert (wrong.ok, wrong.reason, wrong.user) == (False, WRONG_PASSWORD, None)
    unknown = accounts.authenticate("nobody", PASSWORD, now=START)
    assert (unknown.ok, unknown.reason, unknown.user) == (False, UNKNOWN_USER, None)


def test_a_disabled_account_cannot_log_in_until_enabled(accounts):
    accounts.create("maria", PASSWORD, "reviewer")
    accounts.disable("maria")

    refused = accounts.authenticate("maria", PASSWORD)
    assert (refused.ok, refused.reason, refused.user) == (False, DISABLED, None)
    accounts.enable("maria")
    assert accounts.authenticate("maria", PASSWORD).ok


def test_unknown_usernames_cost_one_verification_against_a_dummy_hash(accounts, hasher, engine):
    accounts.create("maria", PASSWORD, "reviewer")
    hasher.verified.clear()

    accounts.authenticate("nobody", PASSWORD)

    assert len(hasher.verified) == 1
    assert hasher.verified[0].startswith("$argon2id$")
    assert hasher.verified[0] != stored_hash(engine, "maria")


OUTSIDER, CLINIC = "203.0.113.7", "198.51.100.20"


def test_five_wrong_passwords_lock_that_client_out_for_fifteen_minutes(accounts, hasher, engine):
    accounts.create("maria", PASSWORD, "reviewer")
    for attempt in range(1, MAX_FAILED_LOGINS):
        assert accounts.authenticate("maria", OTHER_PASSWORD, client=OUTSIDER, now=START).reason == WRONG_PASSWORD
        assert accounts.get("maria").failed_logins == attempt

    locking = accounts.authenticate("maria", OTHER_PASSWORD, client=OUTSIDER, now=START)
    assert (locking.ok, locking.reason, locking.locked_until) == (False, LOCKED, START + LOCKOUT)

    hasher.verified.clear()
    almost = START + LOCKOUT - timedelta(seconds=1)
    refused = accounts.authenticate("maria", PASSWORD, client=OUTSIDER, now=almost)
    assert (refused.ok, refused.reason, refused.locked_until) == (False, LOCKED, START + LOCKOUT)
    assert stored_hash(engine, "maria") not in hasher.verified, "the real hash must not be checked while locked"
    assert len(hasher.verified) == 1, "a locked attempt still costs one (dummy) verification"

    assert accounts.authenticate("maria", PASSWORD, client=OUTSIDER, now=START + LOCKOUT).ok


def test_guessing_from_outside_never_locks_the_account_owner_out(accounts):
    accounts.create("maria", PASSWORD, "admin")
    for _ in range(3 * MAX_FAILED_LOGINS):
        accounts.authenticate("maria", OTHER_PASSWORD, client=OUTSIDER, now=START)
    assert accounts.authenticate("maria", PASSWORD, client=OUTSIDER, now=START).reason == LOCKED

    at_the_clinic = accounts.authenticate("maria", PASSWORD, client=CLINIC, now=START)
    assert at_the_clinic.ok
    assert accounts.locks("maria", now=START) == [(OUTSIDER, START + LOCKOUT)]


def test_one_client_trying_many_usernames_is_locked_out_of_all_of_them(accounts):
    accounts.create("maria", PASSWORD, "admin")
    names = [f"guess{number}" for number in range(MAX_FAILED_LOGINS_PER_CLIENT)]
    results = [accounts.authenticate(name, OTHER_PASSWORD, client=OUTSIDER, now=START).reason for name in names]

    assert results == [UNKNOWN_USER] * (MAX_FAILED_LOGINS_PER_CLIENT - 1) + [LOCKED]
    assert accounts.authenticate("maria", PASSWORD, client=OUTSIDER, now=START).reason == LOCKED
    assert accounts.authenticate("maria", PASSWORD, client=CLINIC, now=START).ok


def test_an_unknown_username_locks_out_like_a_known_one_so_the_lock_reveals_nothing(accounts):
    accounts.create("maria", PASSWORD, "reviewer")
    for name in ("maria", "nobody"):
        reasons = [accounts.authenticate(name, OTHER_PASSWORD, client=OUTSIDER, now=START).reason
                   for _ in range(MAX_FAILED_LOGINS)]
        assert reasons[-1] == LOCKED, name


def test_old_failures_are_forgotten_and_a_success_clears_the_count(accounts):
    accounts.create("maria", PASSWORD, "reviewer")
    for _ in range(MAX_FAILED_LOGINS - 1):
        accounts.authenticate("maria", OTHER_PASSWORD, client=OUTSIDER, now=START)
    later = START + LOCKOUT + timedelta(seconds=1)
    assert accounts.authenticate("maria", OTHER_PASSWORD, client=OUTSIDER, now=later).reason == WRONG_PASSWORD

    assert accounts.authenticate("maria", PASSWORD, client=OUTSIDER, now=later).ok
    assert accounts.get("maria").failed_logins == 0
    for _ in range(MAX_FAILED_LOGINS - 1):
        assert accounts.authenticate("maria", OTHER_PASSWORD, client=OUTSIDER, now=later).reason == WRONG_PASSWORD
    assert accounts.authenticate("maria", PASSWORD, client=OUTSIDER, now=later).ok


def test_unlock_lifts_every_lock_out_on_the_account_early(accounts):
    accounts.create("maria", PASSWORD, "reviewer")
    for client in (OUTSIDER, CLINIC):
        for _ in range(MAX_FAILED_LOGINS):
            accounts.authenticate("maria", OTHER_PASSWORD, client=client, now=START)
    assert [client for client, _ in accounts.locks("maria", now=START)] == sorted([OUTSIDER, CLINIC])

    accounts.unlock("maria")

    assert accounts.locks("maria", now=START) == []
    assert accounts.authenticate("maria", PASSWORD, client=CLINIC, now=START).ok


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_concurrent_failures_are_all_counted(request, database, database_url, hasher):
    """Guesses arriving at once, each on its own connection: none is lost to a race, so the lock comes on time."""
    url = request.getfixturevalue("postgres_url") if database == "postgresql" else database_url
    StaffAccounts(database_engine(url), hasher).create("maria", PASSWORD, "reviewer")
    with concurrent.futures.ThreadPoolExecutor(max_workers=MAX_FAILED_LOGINS) as pool:
        reasons = list(pool.map(
            lambda _: StaffAccounts(database_engine(url), hasher).authenticate(
                "maria", OTHER_PASSWORD, client=OUTSIDER, now=START).reason,
            range(MAX_FAILED_LOGINS)))
    assert sorted(reasons) == sorted([LOCKED] + [WRONG_PASSWORD] * (MAX_FAILED_LOGINS - 1))


def test_set_password_replaces_the_old_one(accounts):
    accounts.create("maria", PASSWORD, "reviewer")
    accounts.set_password("maria", OTHER_PASSWORD)

    assert accounts.authenticate("maria", PASSWORD).reason == WRONG_PASSWORD
    assert accounts.authenticate("maria", OTHER_PASSWORD).ok
    with pytest.raises(AccountError, match="at least 12"):
        accounts.set_password("maria", "too short")
    with pytest.raises(AccountError, match="no such user 'nobody'"):
        accounts.set_password("nobody", OTHER_PASSWORD)


def test_a_hash_with_outdated_parameters_is_replaced_at_the_next_login(accounts, engine):
    accounts.create("maria", PASSWORD, "reviewer")
    old_hash = stored_hash(engine, "maria")
    current = PasswordHasher()

    assert StaffAccounts(engine, current).authenticate("maria", PASSWORD).ok

    new_hash = stored_hash(engine, "maria")
    assert new_hash != old_hash and not current.check_needs_rehash(new_hash)
    assert current.verify(new_hash, PASSWORD)


def test_changes_to_unknown_accounts_are_refused(accounts):
    for change in (accounts.disable, accounts.enable, accounts.unlock):
        with pytest.raises(AccountError, match="no such user 'ghost'"):
            change("ghost")


# The command line


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI on the test database, hashing with cheap parameters (the module test below uses the real ones)."""
    monkeypatch.setenv("TRACKER_DB_URL", database_url)
    monkeypatch.delenv(accounts_module.NEW_PASSWORD_ENV, raising=False)
    monkeypatch.setattr(accounts_module, "PasswordHasher", RecordingHasher)
    return database_url


def run_cli(capsys: pytest.CaptureFixture, *argv: str):
    exit_code = main(list(argv))
    output = capsys.readouterr()
    return exit_code, output.out, output.err


def assert_one_line_error(exit_code: int, out: str, err: str, message: str) -> None:
    assert exit_code == 1
    assert out == ""
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_adds_an_account_with_the_password_from_the_environment(cli_database, accounts, monkeypatch, capsys):
    monkeypatch.setenv(accounts_module.NEW_PASSWORD_ENV, PASSWORD)

    exit_code, out, err = run_cli(capsys, "add", "Maria", "--role", "admin")

    assert (exit_code, out, err) == (0, "added admin maria\n", "")
    user = accounts.authenticate("maria", PASSWORD).user
    assert user.role == "admin"


def test_cli_asks_for_the_password_twice(cli_database, accounts, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(accounts_module.getpass, "getpass", lambda prompt: next(answers))
    assert run_cli(capsys, "add", "maria", "--role", "reviewer")[0] == 0

    mismatched = iter([OTHER_PASSWORD, OTHER_PASSWORD + "x"])
    monkeypatch.setattr(accounts_module.getpass, "getpass", lambda prompt: next(mismatched))
    assert_one_line_error(*run_cli(capsys, "password", "maria"), "do not match")
    assert accounts.authenticate("maria", PASSWORD).ok


@pytest.mark.parametrize(
    "argv",
    [
        ["add", "maria", PASSWORD, "--role", "admin"],
        ["add", "maria", "--role", "admin", "--password", PASSWORD],
        ["password", "maria", PASSWORD],
    ],
)
def test_cli_never_takes_a_password_from_the_command_line(cli_database, accounts, monkeypatch, capsys, argv):
    monkeypatch.setattr(accounts_module.getpass, "getpass", pytest.fail)

    exit_code, out, err = run_cli(capsys, *argv)

    assert_one_line_error(exit_code, out, err, "passwords are never read from the command line")
    assert PASSWORD not in err
    assert accounts.list() == []


def test_cli_reports_errors_in_one_line(cli_database, monkeypatch, capsys):
    monkeypatch.setenv(accounts_module.NEW_PASSWORD_ENV, "short")
    assert_one_line_error(*run_cli(capsys, "add", "maria", "--role", "reviewer"), "at least 12 characters")
    monkeypatch.setenv(accounts_module.NEW_PASSWORD_ENV, PASSWORD)
    assert_one_line_error(*run_cli(capsys, "add", "maria", "--role", "owner"), "invalid choice: 'owner'")
    assert run_cli(capsys, "add", "maria", "--role", "reviewer")[0] == 0
    assert_one_line_error(*run_cli(capsys, "add", "MARIA", "--role", "admin"), "already exists")
    assert_one_line_error(*run_cli(capsys, "disable", "ghost"), "no such user 'ghost'")
    monkeypatch.setattr(accounts_module.getpass, "getpass", pytest.fail)
    monkeypatch.delenv(accounts_module.NEW_PASSWORD_ENV)
    assert_one_line_error(*run_cli(capsys, "password", "ghost"), "no such user 'ghost'")
    assert_one_line_error(*run_cli(capsys, "promote", "maria"), "invalid choice: 'promote'")
    assert_one_line_error(*run_cli(capsys), "required")


def test_cli_without_a_database_url_says_so(cli_database, monkeypatch, capsys):
    monkeypatch.delenv("TRACKER_DB_URL")
    assert_one_line_error(*run_cli(capsys, "list"), "TRACKER_DB_URL is not set")


def test_cli_disables_enables_unlocks_changes_passwords_and_lists(cli_database, accounts, monkeypatch, capsys):
    monkeypatch.setenv(accounts_module.NEW_PASSWORD_ENV, PASSWORD)
    assert run_cli(capsys, "list") == (0, "no accounts\n", "")
    run_cli(capsys, "add", "maria", "--role", "admin")
    run_cli(capsys, "add", "ben", "--role", "reviewer")

    assert run_cli(capsys, "disable", "Maria") == (0, "disabled maria\n", "")
    assert accounts.authenticate("maria", PASSWORD).reason == DISABLED
    listing = run_cli(capsys, "list")[1].splitlines()
    assert [line.split()[:3] for line in listing] == [["ben", "reviewer", "active"], ["maria", "admin", "disabled"]]
    assert run_cli(capsys, "enable", "maria") == (0, "enabled maria\n", "")
    assert accounts.authenticate("maria", PASSWORD).ok
    assert "last login" in run_cli(capsys, "list")[1].splitlines()[1]

    for _ in range(MAX_FAILED_LOGINS):
        accounts.authenticate("ben", OTHER_PASSWORD, client=OUTSIDER)
    assert "1 client locked out until" in run_cli(capsys, "list")[1].splitlines()[0]
    assert run_cli(capsys, "unlock", "ben") == (0, "unlocked ben\n", "")
    assert accounts.authenticate("ben", PASSWORD).ok

    monkeypatch.setenv(accounts_module.NEW_PASSWORD_ENV, OTHER_PASSWORD)
    assert run_cli(capsys, "password", "ben") == (0, "password changed for ben\n", "")
    assert accounts.authenticate("ben", OTHER_PASSWORD).ok


def test_cli_runs_as_a_module(database_url, engine):
    environment = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TRACKER_DB_URL": database_url,
        accounts_module.NEW_PASSWORD_ENV: PASSWORD,
    }
    command = [sys.executable, "-m", "bot.console.accounts"]

    added = subprocess.run(command + ["add", "maria", "--role", "reviewer"], env=environment, capture_output=True,
                           text=True, timeout=60)
    again = subprocess.run(command + ["add", "maria", "--role", "reviewer"], env=environment, capture_output=True,
                           text=True, timeout=60)

    assert (added.returncode, added.stdout) == (0, "added reviewer maria\n")
    assert (again.returncode, again.stderr) == (1, "error: user 'maria' already exists\n")
    assert StaffAccounts(engine).authenticate("maria", PASSWORD).ok


# Sessions


@pytest.fixture
def sessions(engine: sa.engine.Engine) -> WebSessions:
    return WebSessions(engine)


def session_rows(engine: sa.engine.Engine) -> list:
    with engine.connect() as connection:
        return connection.execute(console_sessions.select()).all()


def test_a_session_resumes_from_its_token_and_only_the_token_hash_is_stored(accounts, sessions, engine):
    user = accounts.create("maria", PASSWORD, "admin")

    token, session = sessions.start(user, now=START)

    assert (session.username, session.role, session.user_id) == ("maria", "admin", user.id)
    assert len(token) >= 43 and len(session.csrf_token) >= 43
    resumed = sessions.resume(token, now=START + timedelta(minutes=1))
    assert resumed.username == "maria" and resumed.csrf_token == session.csrf_token
    assert resumed.last_seen_at == START + timedelta(minutes=1)
    [row] = session_rows(engine)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in [str(value) for value in row]


def test_a_session_expires_after_fifteen_idle_minutes(accounts, sessions, engine):
    token, _ = sessions.start(accounts.create("maria", PASSWORD, "reviewer"), now=START)

    assert sessions.resume(token, now=START + timedelta(minutes=10)) is not None
    assert sessions.resume(token, now=START + timedelta(minutes=25)) is not None, "activity keeps a session alive"
    assert sessions.resume(token, now=START + timedelta(minutes=40, seconds=1)) is None
    assert session_rows(engine) == []
    assert sessions.resume(token, now=START + timedelta(minutes=41)) is None


def test_unknown_and_ended_sessions_are_refused(accounts, sessions):
    token, _ = sessions.start(accounts.create("maria", PASSWORD, "reviewer"))

    assert sessions.resume("not-a-token") is None
    assert sessions.resume("") is None and sessions.resume(None) is None
    sessions.end(token)
    assert sessions.resume(token) is None


def test_ending_all_sessions_of_one_account_leaves_the_others(accounts, sessions):
    maria = accounts.create("maria", PASSWORD, "reviewer")
    ben = accounts.create("ben", PASSWORD, "reviewer")
    maria_tokens = [sessions.start(maria)[0] for _ in range(2)]
    ben_token, _ = sessions.start(ben)

    assert sessions.end_all_for("Maria") == 2

    assert [sessions.resume(token) for token in maria_tokens] == [None, None]
    assert sessions.resume(ben_token) is not None


def test_a_disabled_account_loses_its_open_sessions(accounts, sessions, engine):
    token, _ = sessions.start(accounts.create("maria", PASSWORD, "reviewer"))

    accounts.disable("maria")

    assert sessions.resume(token) is None
    assert session_rows(engine) == []


def test_a_new_password_ends_the_sessions_opened_before_it(accounts, sessions, engine):
    before, _ = sessions.start(accounts.create("maria", PASSWORD, "reviewer"))

    accounts.set_password("maria", OTHER_PASSWORD)
    after, _ = sessions.start(accounts.get("maria"))

    assert sessions.resume(before) is None
    assert sessions.resume(after) is not None


def test_starting_a_session_clears_out_idle_ones(accounts, sessions, engine):
    user = accounts.create("maria", PASSWORD, "reviewer")
    sessions.start(user, now=START)

    sessions.start(user, now=START + timedelta(minutes=16))

    assert len(session_rows(engine)) == 1


def test_csrf_tokens_must_match_exactly(accounts, sessions):
    _, session = sessions.start(accounts.create("maria", PASSWORD, "reviewer"))

    assert csrf_ok(session, session.csrf_token)
    for submitted in (None, "", session.csrf_token[:-1], session.csrf_token + "x", "é" * 43):
        assert not csrf_ok(session, submitted)


# Audit trail


def test_audit_entries_read_back_newest_first_and_by_action(engine):
    trail = AuditTrail(engine)
    trail.record("maria", "login")
    trail.record("maria", "view", target="conversation-1")
    trail.record("maria", "reveal", target="conversation-1", detail="caller asked for a callback")
    trail.record("system", "purge", detail="3 conversations older than 90 days")

    entries = trail.recent()

    assert [entry.action for entry in entries] == ["purge", "reveal", "view", "login"]
    assert entries[1].detail == "caller asked for a callback" and entries[1].target == "conversation-1"
    assert entries[0].at.tzinfo is not None and entries[0].at >= entries[-1].at
    assert [entry.action for entry in trail.recent(limit=2, offset=1)] == ["reveal", "view"]
    assert [entry.actor for entry in trail.recent(action="purge")] == ["system"]


def test_audit_refuses_unknown_actions(engine):
    with pytest.raises(ValueError, match="unknown audit action 'edit'"):
        AuditTrail(engine).record("maria", "edit")


@pytest.mark.parametrize(
    "statement", ["UPDATE console_audit SET detail = 'nothing happened'", "DELETE FROM console_audit"]
)
def test_the_database_refuses_to_change_or_remove_audit_entries(engine, statement):
    trail = AuditTrail(engine)
    trail.record("maria", "export", target="conversation-1")

    with pytest.raises(sa.exc.DBAPIError, match="audit trail is append-only"):
        with engine.begin() as connection:
            connection.execute(sa.text(statement))

    [entry] = trail.recent()
    assert (entry.action, entry.detail) == ("export", "")


def test_postgresql_refuses_to_change_or_remove_audit_entries(postgres_url):
    engine = sa.create_engine(postgres_url, future=True)
    try:
        AuditTrail(engine)
        trail = AuditTrail(engine)  # a second start finds the table and its triggers in place
        trail.record("maria", "reveal", target="conversation-1", detail="callback requested")
        for statement in ("UPDATE console_audit SET detail = ''", "DELETE FROM console_audit",
                          "TRUNCATE console_audit"):
            with pytest.raises(sa.exc.DBAPIError, match="audit trail is append-only"):
                with engine.begin() as connection:
                    connection.execute(sa.text(statement))
        [entry] = trail.recent()
        assert (entry.actor, entry.detail) == ("maria", "callback requested")
        assert entry.at.tzinfo is not None
        with engine.connect() as connection:
            assert connection.execute(sa.select(sa.func.count()).select_from(console_audit)).scalar_one() == 1
    finally:
        engine.dispose()
