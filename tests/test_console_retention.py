"""`python -m bot.console.retention`: old conversations go, recent ones and booking requests stay, the purge is audited."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.seed_conversations import seed_conversations
from bot.booking.outbox import Outbox
from bot.console import retention
from bot.console.audit import SYSTEM, AuditTrail
from bot.database import engine as database_engine

DAY = 86400


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    monkeypatch.setenv("TRACKER_DB_URL", url)
    return url


def last_activity(url: str) -> dict:
    with database_engine(url).connect() as connection:
        return dict(connection.execute(sa.text("SELECT sender_id, max(timestamp) FROM events GROUP BY sender_id")).all())


def test_retention_deletes_idle_conversations_keeps_recent_ones_and_bookings_and_audits(database_url, capsys):
    seed_conversations(database_engine(database_url), 120)
    Outbox(database_url).add("an-old-conversation", "rest", "Ana", "+17028741234", "Upland", "mornings", True)
    before = last_activity(database_url)
    cutoff = time.time() - 30 * DAY
    old = {sender for sender, last in before.items() if last < cutoff}
    assert old and len(old) < len(before), "the seeded conversations span more than 30 days"

    assert retention.main(["--days", "30"]) == 0

    after = last_activity(database_url)
    assert set(after) == set(before) - old
    assert f"Deleted {len(old)} conversation(s)" in capsys.readouterr().out
    assert len(Outbox(database_url).all()) == 1
    [entry] = AuditTrail(database_engine(database_url)).recent(action="purge")
    assert entry.actor == SYSTEM and entry.target == f"{len(old)} conversations" and "30 days" in entry.detail


def test_retention_refuses_a_period_under_one_day(database_url, capsys):
    assert retention.main(["--days", "0"]) == 1
    assert "at least 1" in capsys.readouterr().err
