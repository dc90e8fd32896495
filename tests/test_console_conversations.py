"""The console's conversation index, over events written by Rasa's own SQL tracker store into a real database."""
from __future__ import annotations

import asyncio
import json
import threading
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterator, List, Optional
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bench.seed_conversations import generate, seed_conversations
from bot.booking.outbox import Outbox
from bot.console import conversations as index
from bot.console.conversations import ConversationFilter
from bot.database import tuned_engine
from bot.sms.subscribers import Subscribers
from tests.conftest import PROJECT_ROOT

DAY = 86400.0


def at(day: int, hour: int = 12, minute: int = 0, month: int = 5) -> float:
    return datetime(2024, month, day, hour, minute, tzinfo=timezone.utc).timestamp()


@lru_cache(maxsize=1)
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


def session(start: float, **carried: object) -> List[Event]:
    """What action_session_start writes: the session marker, the carried-over slots, then listening."""
    return [ActionExecuted("action_session_start", timestamp=start), SessionStarted(timestamp=start + 0.1),
            *(SlotSet(name, value, timestamp=start + 0.2) for name, value in carried.items()),
            ActionExecuted("action_listen", timestamp=start + 0.3)]


def turn(text: str, start: float, intent: str = "ask_cost", channel: str = "rest", answer: str = "Okay.",
         action: str = "utter_answer", **slots: object) -> List[Event]:
    """One exchange as the assistant stores it: the message, slots it set, the action, its answer, listening."""
    return [UserUttered(text, {"name": intent, "confidence": 0.93}, timestamp=start, input_channel=channel),
            *(SlotSet(name, value, timestamp=start + 0.1) for name, value in slots.items()),
            ActionExecuted(action, timestamp=start + 0.2), BotUttered(answer, timestamp=start + 0.3),
            ActionExecuted("action_listen", timestamp=start + 0.4)]


class Database:
    """A database file written by Rasa's SQLTrackerStore, and the engine the console reads it with."""

    def __init__(self, url: str, store: SQLTrackerStore) -> None:
        self.url = url
        self.store = store
        self.engine = tuned_engine(url)  # the console's engine: SQLite in WAL mode, as bot.database sets it up

    def add(self, sender_id: str, events: List[Event]) -> None:
        """Appends events to a conversation the way Rasa does: retrieve, update, save."""
        tracker = asyncio.run(self.store.retrieve(sender_id)) or DialogueStateTracker(sender_id, domain().slots)
        for event in events:
            tracker.update(event)
        asyncio.run(self.store.save(tracker))

    def event_count(self, sender_id: Optional[str] = None) -> int:
        query = sa.select(sa.func.count()).select_from(index.events)
        if sender_id is not None:
            query = query.where(index.events.c.sender_id == sender_id)
        with self.engine.connect() as connection:
            return connection.execute(query).scalar_one()

    def page(self, search: ConversationFilter = ConversationFilter(), page: int = 1,
             per_page: int = 50) -> index.ConversationPage:
        index.refresh(self.engine)
        return index.list_conversations(self.engine, search, page, per_page)

    def ids(self, search: ConversationFilter = ConversationFilter()) -> List[str]:
        return [row.sender_id for row in self.page(search).rows]

    def row(self, sender_id: str) -> index.ConversationRow:
        index.refresh(self.engine)
        found = index.summary(self.engine, sender_id)
        assert found is not None, sender_id
        return found


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "conversations.db"
    store = SQLTrackerStore(domain(), dialect="sqlite", db=str(path))
    database = Database(f"sqlite:///{path}", store)
    yield database
    database.engine.dispose()
    store.engine.dispose()


def test_the_row_has_channel_turns_times_and_first_message(db: Database) -> None:
    db.add("web-1", session(at(1)) + turn("How much is it?", at(1, 12, 1)) + turn("and in Upland?", at(1, 12, 5))
           + turn("thanks", at(1, 12, 9), intent="thank"))
    db.add("sms-0a1b", session(at(2)) + turn("PRICE?", at(2, 12, 1), channel="twilio"))
    db.add("sms-quiet", session(at(3)))
    db.add("+17025550100", turn("hi", at(4), intent="greet", channel="twilio"))

    web = db.row("web-1")
    assert (web.channel, web.turns, web.first_message) == ("web", 3, "How much is it?")
    assert web.started_at == datetime.fromtimestamp(at(1), timezone.utc)
    assert web.last_active_at == datetime.fromtimestamp(at(1, 12, 9) + 0.4, timezone.utc)
    assert (db.row("sms-0a1b").channel, db.row("sms-0a1b").turns) == ("sms", 1)
    quiet = db.row("sms-quiet")
    assert (quiet.channel, quiet.turns, quiet.first_message, quiet.flags) == ("sms", 0, None, frozenset())
    assert db.row("+17025550100").channel == "sms"


@pytest.mark.parametrize("events, flag", [
    (turn("i want to die", at(1, 13), intent="crisis", crisis_flagged=True), "crisis"),
    (session(at(2), crisis_flagged=True) + turn("hi again", at(2, 13), intent="greet"), "crisis"),
    (turn("he is not breathing", at(1, 13), intent="medical_emergency", emergency_flagged=True), "emergency"),
    (turn("yes", at(1, 13), intent="affirm", action="action_submit_booking", booking_requested=True),
     "booking_requested"),
    (turn("a real person please", at(1, 13), intent="ask_human", action="action_hand_to_phone_line",
          human_requested=True), "human_requested"),
    (turn("wifi password?", at(1, 13), intent="nlu_fallback", action="action_handle_fallback"), "fallback"),
    (turn("order me a pizza", at(1, 13), intent="out_of_scope", action="action_handle_fallback"), "fallback"),
    (turn("hmm", at(1, 13), intent="ask_cost", action="action_default_fallback"), "fallback"),
    ([UserUttered("i'm not suicidal, just tired. can it help?", {"name": "ask_eligibility", "confidence": 0.8},
                  parse_data={"safety": {"level": "sensitive", "topics": ["suicide"]}}, timestamp=at(1, 13))],
     "sensitive"),
], ids=["crisis", "crisis-carried-over", "emergency", "booking", "human", "nlu-fallback", "out-of-scope",
        "core-fallback", "sensitive"])
def test_each_flag(db: Database, events: List[Event], flag: str) -> None:
    db.add("flagged", session(at(1)) + turn("hello", at(1, 12, 1), intent="greet") + events)
    db.add("plain", session(at(1)) + turn("hello", at(1, 12, 1), intent="greet", booking_requested=False,
                                          crisis_flagged=None))

    assert db.row("flagged").flags == {flag}
    assert db.row("plain").flags == frozenset()
    assert db.ids(ConversationFilter(flags=frozenset({flag}))) == ["flagged"]


def test_an_index_written_before_a_new_flag_column_is_rebuilt_from_the_events(db: Database) -> None:
    db.add("older", session(at(1)) + turn("i want to die", at(1, 13), intent="crisis", crisis_flagged=True))
    assert db.row("older").flags == {"crisis"}
    with db.engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE console_conversations DROP COLUMN sensitive"))
    index.create_tables.cache_clear()

    assert db.row("older").flags == {"crisis"}
    assert db.row("older").turns == 1


def test_opted_out_is_read_live_from_the_sms_subscribers(db: Database) -> None:
    db.add("sms-stop", session(at(1)) + turn("STOP", at(1, 12, 1), intent="deny", channel="twilio"))
    db.add("sms-stays", session(at(2)) + turn("price?", at(2, 12, 1), channel="twilio"))
    assert db.ids() == ["sms-stays", "sms-stop"]  # the opt-out table did not exist yet: the index creates it
    subscribers = Subscribers(db.url)
    subscribers.remember("sms-stop", "+17025550100")
    subscribers.remember("sms-stays", "+17025550101")

    subscribers.set_opted_out("sms-stop", True)
    assert db.row("sms-stop").flags == {"opted_out"}
    assert db.ids(ConversationFilter(flags=frozenset({"opted_out"}))) == ["sms-stop"]

    subscribers.set_opted_out("sms-stop", False)  # no refresh needed: opt-out is never copied into the index
    assert index.list_conversations(db.engine, ConversationFilter(flags=frozenset({"opted_out"})), 1).total == 0


def test_refresh_reads_only_new_events_and_continues_a_conversation_across_batches(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "BATCH_EVENTS", 4)
    db.add("returning", session(at(1)) + turn("Is ketamine safe?", at(1, 12, 1))
           + turn("i want to die", at(1, 12, 2), intent="crisis", crisis_flagged=True))
    db.add("other", session(at(1, 14)) + turn("hello", at(1, 14, 1), intent="greet"))
    first = db.event_count()
    assert index.refresh(db.engine) == first
    assert index.refresh(db.engine) == 0

    db.add("returning", session(at(20), crisis_flagged=True) + turn("Back again. Cost in Upland?", at(20, 12, 1))
           + turn("Maria", at(20, 12, 2), intent="inform", first_name="Maria"))
    assert index.refresh(db.engine) == db.event_count() - first

    row = db.row("returning")
    assert (row.turns, row.first_message, row.flags) == (4, "Is ketamine safe?", {"crisis"})
    assert row.started_at == datetime.fromtimestamp(at(1), timezone.utc)
    assert row.last_active_at == datetime.fromtimestamp(at(20, 12, 2) + 0.4, timezone.utc)
    assert db.ids(ConversationFilter(query="ketamine upland")) == ["returning"]  # one term from each batch
    assert index.summary(db.engine, "returning").names == ("Maria",)
    assert db.row("other").turns == 1


def test_concurrent_refreshes_count_every_event_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "BATCH_EVENTS", 3)
    for number in range(5):
        db.add(f"c{number}", session(at(1, 10 + number)) + turn("one", at(1, 10 + number, 1))
               + turn("two", at(1, 10 + number, 2)) + turn("three", at(1, 10 + number, 3)))
    start, counts, errors = threading.Barrier(4), [], []

    def refresh() -> None:
        start.wait()
        try:
            counts.append(index.refresh(db.engine))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == db.event_count()
    assert [db.row(f"c{number}").turns for number in range(5)] == [3] * 5


def test_search_needs_every_term_in_any_case_in_what_the_visitor_wrote(db: Database) -> None:
    db.add("effects", session(at(1)) + turn("What are the SIDE effects?", at(1, 12, 1),
                                            answer="Nausea and dizziness can happen."))
    db.add("road", session(at(2)) + turn("is it on the side of the road", at(2, 12, 1)))

    assert db.ids(ConversationFilter(query="side Effects")) == ["effects"]
    assert db.ids(ConversationFilter(query="NAUSEA  side")) == [], "the assistant's answers are not searched"
    assert db.ids(ConversationFilter(query="side")) == ["road", "effects"]
    assert db.ids(ConversationFilter(query="side pizza")) == []
    assert db.ids(ConversationFilter(query="   ")) == ["road", "effects"]


@pytest.mark.parametrize("query, expected", [
    ("%", ["percent"]), ("100%", ["percent"]), ("_", ["underscore"]), ("user_name", ["underscore"]),
    ("\\", ["backslash"]), ("/", ["slash"]), ("'", ["quote"]), ("o'brien", ["quote"]),
    ("'; DROP TABLE events; --", []), ("%' OR '1'='1", []),
])
def test_search_matches_sql_and_like_metacharacters_literally(db: Database, query: str, expected: List[str]) -> None:
    texts = {"percent": "is it 100% covered", "underscore": "my user_name is x", "backslash": "saved in C:\\temp",
             "slash": "insurance and/or cash", "quote": "I'm with O'Brien", "plain": "hello there"}
    for number, (sender, text) in enumerate(texts.items()):
        db.add(sender, turn(text, at(1, 10 + number)))
    events_before = db.event_count()

    assert db.ids(ConversationFilter(query=query)) == expected
    assert db.event_count() == events_before


def test_filters_by_all_chosen_flags_channel_and_dates(db: Database) -> None:
    db.add("web-may1", session(at(1, 10)) + turn("help", at(1, 10, 1), intent="crisis", crisis_flagged=True)
           + turn("book me", at(1, 10, 2), booking_requested=True))
    # 03:00 UTC on 2 May is still 1 May in Los Angeles.
    db.add("sms-may2", session(at(2, 3)) + turn("help", at(2, 3, 1), intent="crisis", channel="twilio",
                                                crisis_flagged=True))
    db.add("web-may3", session(at(3, 23, 30)) + turn("book", at(3, 23, 31), booking_requested=True))
    los_angeles = ZoneInfo("America/Los_Angeles")

    assert db.ids(ConversationFilter(flags=frozenset({"crisis"}))) == ["sms-may2", "web-may1"]
    assert db.ids(ConversationFilter(flags=frozenset({"crisis", "booking_requested"}))) == ["web-may1"]
    assert db.ids(ConversationFilter(channel="sms")) == ["sms-may2"]
    assert db.ids(ConversationFilter(channel="web")) == ["web-may3", "web-may1"]
    assert db.ids(ConversationFilter(since=date(2024, 5, 2))) == ["web-may3", "sms-may2"]
    assert db.ids(ConversationFilter(until=date(2024, 5, 2))) == ["sms-may2", "web-may1"]
    assert db.ids(ConversationFilter(since=date(2024, 5, 2), until=date(2024, 5, 2))) == ["sms-may2"]
    assert db.ids(ConversationFilter(since=date(2024, 5, 1), until=date(2024, 5, 1), tz=los_angeles)) == [
        "sms-may2", "web-may1"]
    assert db.ids(ConversationFilter(channel="web", since=date(2024, 5, 2), query="book")) == ["web-may3"]
    with pytest.raises(ValueError, match="unknown flags"):
        db.ids(ConversationFilter(flags=frozenset({"crisis", "vip"})))
    with pytest.raises(ValueError, match="unknown channel"):
        db.ids(ConversationFilter(channel="fax"))


def test_pages_are_newest_first_with_totals_and_the_export_sees_them_all(db: Database) -> None:
    for number in range(7):
        db.add(f"c{number}", session(at(1, 10 + number)) + turn("odd" if number % 2 else "even", at(1, 10 + number, 1)))

    first, last, beyond = db.page(per_page=3), db.page(page=3, per_page=3), db.page(page=4, per_page=3)
    assert [row.sender_id for row in first.rows] == ["c6", "c5", "c4"]
    assert (first.total, first.pages, first.page) == (7, 3, 1)
    assert [row.sender_id for row in last.rows] == ["c0"]
    assert (beyond.rows, beyond.total) == ([], 7)
    assert db.page(page=0, per_page=3).rows == first.rows
    odd = db.page(ConversationFilter(query="odd"), per_page=2)
    assert (odd.total, odd.pages, [row.sender_id for row in odd.rows]) == (3, 2, ["c5", "c3"])
    assert [row.sender_id for row in index.all_matching(db.engine, ConversationFilter())] == [
        f"c{number}" for number in range(6, -1, -1)]
    assert db.page(ConversationFilter(query="nothing-matches")).pages == 1


def test_purge_deletes_idle_conversations_events_and_rows_but_keeps_booking_requests(db: Database) -> None:
    now = at(1) + 100 * DAY
    db.add("old", session(at(1)) + turn("book me", at(1, 12, 1), booking_requested=True))
    db.add("recent", session(now - DAY) + turn("price?", now - DAY + 60))
    Outbox(db.url).add("old", "rest", "Maria", "702-555-0143", "Upland", "mornings", consent=True)
    recent_events = db.event_count("recent")

    assert index.purge_older_than(db.engine, 30, now=now) == ["old"]

    assert (db.event_count("old"), db.event_count("recent")) == (0, recent_events)
    assert index.summary(db.engine, "old") is None
    assert db.ids() == ["recent"]
    assert [request.conversation_id for request in Outbox(db.url).all()] == ["old"]
    assert index.purge_older_than(db.engine, 30, now=now) == []
    with pytest.raises(ValueError):
        index.purge_older_than(db.engine, 0)


def test_events_written_after_purging_the_newest_ones_are_still_indexed(db: Database) -> None:
    """SQLite reuses the ids of deleted newest rows; the index must not skip the reused ids."""
    now = at(1) + 100 * DAY
    db.add("recent", session(now - DAY) + turn("price?", now - DAY + 60))
    db.add("stale", session(at(1)) + turn("hello", at(1, 12, 1)))  # the newest ids, the oldest messages
    index.refresh(db.engine)
    with db.engine.connect() as connection:
        mark = connection.execute(sa.select(index.index_state.c.last_event_id)).scalar_one()

    assert index.purge_older_than(db.engine, 30, now=now) == ["stale"]
    db.add("next", session(now) + turn("new here, what is ketamine?", now + 60)
           + turn("and the cost?", now + 120))

    with db.engine.connect() as connection:
        reused = connection.execute(sa.select(sa.func.min(index.events.c.id))
                                    .where(index.events.c.sender_id == "next")).scalar_one()
    assert reused <= mark
    assert db.row("next").turns == 2
    assert db.ids() == ["next", "recent"]


def test_delete_conversations_removes_only_the_named_rows(db: Database) -> None:
    for sender in ("a", "b", "c"):
        db.add(sender, turn("hello", at(1, 12)))
    index.refresh(db.engine)

    assert index.delete_conversations(db.engine, ["a", "c", "missing"]) == 2
    assert index.list_conversations(db.engine, ConversationFilter(), 1).total == 1
    assert index.summary(db.engine, "b") is not None


def test_an_unknown_conversation_and_a_database_before_rasa_ran(tmp_path: Path) -> None:
    engine = tuned_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert index.refresh(engine) == 0
    assert index.list_conversations(engine, ConversationFilter(), 1).total == 0
    assert index.summary(engine, "nobody") is None
    assert index.purge_older_than(engine, 30) == []
    engine.dispose()


def test_seeded_conversations_are_events_rasa_reads_back_and_the_index_agrees(tmp_path: Path) -> None:
    path, now = tmp_path / "seeded.db", at(1) + 90 * DAY
    engine = tuned_engine(f"sqlite:///{path}")
    assert seed_conversations(engine, 60, seed=3, now=now) == len(list(generate(60, 3, now)))
    assert list(generate(5, 3, now)) == list(generate(5, 3, now))
    index.refresh(engine)
    store = SQLTrackerStore(domain(), dialect="sqlite", db=str(path))
    rows = list(index.all_matching(engine, ConversationFilter()))
    assert len(rows) == 60
    for row in rows:
        tracker = asyncio.run(store.retrieve_full_tracker(row.sender_id))
        users = [event for event in tracker.events if isinstance(event, UserUttered)]
        assert row.turns == len(users) and 2 <= row.turns <= 20
        assert row.channel == ("sms" if users[0].input_channel == "twilio" else "web")
        assert ("crisis" in row.flags) == any(isinstance(event, SlotSet) and event.key == "crisis_flagged"
                                              for event in tracker.events)
        assert row.started_at >= datetime.fromtimestamp(now - 90 * DAY, timezone.utc)
    store.engine.dispose()
    engine.dispose()


def test_postgresql_refresh_list_search_and_purge(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "BATCH_EVENTS", 7)
    db = Database(postgres_url, SQLTrackerStore(domain(), dialect="postgresql", host=postgres_url))
    try:
        now = at(1) + 100 * DAY
        db.add("old", session(at(1)) + turn("is it 100% covered?", at(1, 12, 1), booking_requested=True))
        db.add("sms-stop", session(now - DAY) + turn("i want to die", now - DAY + 60, intent="crisis",
                                                     channel="twilio", crisis_flagged=True))
        seed_conversations(db.engine, 20, seed=5, now=now)
        results: List[int] = []
        threads = [threading.Thread(target=lambda: results.append(index.refresh(db.engine))) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(results) == db.event_count()

        Subscribers(postgres_url).remember("sms-stop", "+17025550100")
        Subscribers(postgres_url).set_opted_out("sms-stop", True)
        assert db.page().total == 22
        assert db.ids(ConversationFilter(query="100%")) == ["old"]
        assert db.ids(ConversationFilter(query="'; DROP TABLE events; --")) == []
        assert db.row("sms-stop").flags == {"crisis", "opted_out"}
        assert db.ids(ConversationFilter(flags=frozenset({"crisis", "opted_out"}), channel="sms")) == ["sms-stop"]
        assert db.row("old").turns == 1 and db.row("old").flags == {"booking_requested"}
        assert index.purge_older_than(db.engine, 95, now=now) == ["old"]  # the seeded ones are within 90 days
        assert db.event_count("old") == 0 and db.page().total == 21
    finally:
        db.engine.dispose()
        db.store.engine.dispose()


def test_postgresql_never_steps_over_a_save_still_in_flight(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that took its id first but commits last must still be indexed: the refresh waits for it, or leaves
    the catch-up to the next refresh, instead of moving its mark past the id."""
    monkeypatch.setattr(index, "SETTLE_LOCK_TIMEOUT_MS", 300)
    db = Database(postgres_url, SQLTrackerStore(domain(), dialect="postgresql", host=postgres_url))
    try:
        db.add("first", turn("hello", at(1)))
        index.refresh(db.engine)
        with db.engine.connect() as slow:
            with slow.begin():
                slow.execute(index.events.insert().values(
                    sender_id="slow", type_name="user", timestamp=at(2), intent_name="greet",
                    data=json.dumps(UserUttered("hi there", {"name": "greet"}, timestamp=at(2)).as_dict()),
                ))
                db.add("fast", turn("price?", at(3)))  # a later id, committed first

                assert index.refresh(db.engine) == 0
        assert db.ids() == ["fast", "slow", "first"]
        assert db.row("slow").first_message == "hi there"
    finally:
        db.engine.dispose()
        db.store.engine.dispose()
