"""Figures for the staff console, counted in SQL from Rasa's tracker-store `events` table (SQLite or PostgreSQL).

Days are UTC days and a conversation is a sender_id. Its flags carry over into every new session, so a crisis or an
emergency counts once, in the period its flag was first set; a conversation counts towards booking conversion in the
period it first asked to book, as converted if it ever recorded a booking request.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.exc import CompileError
from sqlalchemy.sql.expression import FunctionElement

from bot.actions.fallback import FIRST_MISS_RESPONSES
from bot.console import conversations
from bot.tracker_store import events

FALLBACK_INTENTS = tuple(FIRST_MISS_RESPONSES)
NLU_FALLBACK = "nlu_fallback"
BOOKING_INTENT = "book_appointment"
CRISIS_SLOT, EMERGENCY_SLOT, BOOKING_SLOT = "crisis_flagged", "emergency_flagged", "booking_requested"
TOP_INTENTS = 10
SECONDS_PER_DAY = 86400


class _WholeDays(FunctionElement):
    """Whole days in a non-negative number of seconds; SQLite has no FLOOR in every build, PostgreSQL CAST rounds."""

    type = sa.Integer()
    inherit_cache = True


@compiles(_WholeDays)
def _whole_days(element: _WholeDays, compiler, **kw) -> str:
    return f"CAST(FLOOR(({compiler.process(element.clauses, **kw)}) / {SECONDS_PER_DAY}.0) AS INTEGER)"


@compiles(_WholeDays, "sqlite")
def _whole_days_sqlite(element: _WholeDays, compiler, **kw) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) / {SECONDS_PER_DAY}.0 AS INTEGER)"


class _SlotValueIsTrue(FunctionElement):
    """True for a slot event whose JSON `data` sets the value true; the JSON functions differ per database."""

    type = sa.Boolean()
    inherit_cache = True


@compiles(_SlotValueIsTrue)
def _slot_value_is_true(element: _SlotValueIsTrue, compiler, **kw) -> str:
    raise CompileError(f"reading slot values is written for SQLite and PostgreSQL, not {compiler.dialect.name}")


@compiles(_SlotValueIsTrue, "sqlite")
def _slot_value_is_true_sqlite(element: _SlotValueIsTrue, compiler, **kw) -> str:
    return f"json_type({compiler.process(element.clauses, **kw)}, '$.value') = 'true'"


@compiles(_SlotValueIsTrue, "postgresql")
def _slot_value_is_true_postgresql(element: _SlotValueIsTrue, compiler, **kw) -> str:
    return f"(CAST({compiler.process(element.clauses, **kw)} AS JSONB) -> 'value') = 'true'::jsonb"


@dataclass(frozen=True)
class Insights:
    """What happened from `since` to `until` (UTC days, both included); the rates are derived from the counts."""

    since: date
    until: date
    conversations_per_day: Tuple[Tuple[date, int], ...]
    top_intents: Tuple[Tuple[str, int], ...]
    messages: int
    fallback_messages: int
    crisis_conversations: int
    emergency_conversations: int
    booking_asked: int
    booking_requested: int

    @property
    def conversations(self) -> int:
        """Conversations that started in the period."""
        return sum(count for _, count in self.conversations_per_day)

    @property
    def fallback_rate(self) -> Optional[float]:
        """Share of user messages the assistant could not place or did not cover; None without messages."""
        return self.fallback_messages / self.messages if self.messages else None

    @property
    def booking_conversion(self) -> Optional[float]:
        """Share of the conversations that asked to book which went on to record a booking request."""
        return self.booking_requested / self.booking_asked if self.booking_asked else None


@dataclass(frozen=True)
class UnansweredQuestion:
    """A user message the assistant could not answer, with the NLU's real guesses (intent, confidence), best first,
    and the names given in its conversation, so that it can be redacted."""

    at: datetime
    sender_id: str
    text: Optional[str]
    intent: str
    guesses: Tuple[Tuple[str, float], ...] = ()
    names: Tuple[str, ...] = ()

    @property
    def confidence(self) -> Optional[float]:
        """The best real guess's confidence, not the fallback threshold."""
        return self.guesses[0][1] if self.guesses else None


def insights(engine: sa.engine.Engine, since: date, until: date) -> Insights:
    """The console's overview figures, counted by four grouped SQL queries so large tracker stores stay fast."""
    start, end = _bounds(since, until)
    with engine.connect() as connection:
        started_on = dict(connection.execute(_started_per_day(start, end)).all())
        intent_counts = connection.execute(_user_intents(start, end)).all()
        flagged = dict(connection.execute(_first_flagged((CRISIS_SLOT, EMERGENCY_SLOT), start, end)).all())
        booking_asked, booking_requested = connection.execute(_booking(start, end)).one()

    top_intents = sorted(
        ((intent, count) for intent, count in intent_counts if intent and intent != NLU_FALLBACK),
        key=lambda intent_count: (-intent_count[1], intent_count[0]),
    )
    return Insights(
        since=since,
        until=until,
        conversations_per_day=tuple(
            (since + timedelta(days=index), started_on.get(index, 0)) for index in range((until - since).days + 1)
        ),
        top_intents=tuple(top_intents[:TOP_INTENTS]),
        messages=sum(count for _, count in intent_counts),
        fallback_messages=sum(count for intent, count in intent_counts if intent in FALLBACK_INTENTS),
        crisis_conversations=flagged.get(CRISIS_SLOT, 0),
        emergency_conversations=flagged.get(EMERGENCY_SLOT, 0),
        booking_asked=booking_asked,
        booking_requested=booking_requested,
    )


def unanswered_questions(
    engine: sa.engine.Engine, since: date, until: date, limit: Optional[int] = None
) -> List[UnansweredQuestion]:
    """Fallback and out-of-scope messages, newest first: what the assistant should learn to answer next.

    The names come from the conversation index, which the caller refreshes first.
    """
    start, end = _bounds(since, until)
    conversations.create_tables(engine)
    indexed = conversations.conversations
    query = (
        sa.select(events.c.timestamp, events.c.sender_id, events.c.intent_name, events.c.data, indexed.c.names_given)
        .select_from(events.outerjoin(indexed, indexed.c.sender_id == events.c.sender_id))
        .where(
            events.c.type_name == "user",
            events.c.intent_name.in_(FALLBACK_INTENTS),
            events.c.timestamp >= start,
            events.c.timestamp < end,
        )
        .order_by(events.c.timestamp.desc(), events.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [_unanswered(*row) for row in rows]


def _unanswered(
    timestamp: float, sender_id: str, intent: str, data: Optional[str], names_given: Optional[str]
) -> UnansweredQuestion:
    event = json.loads(data or "{}")
    parse_data = event.get("parse_data") or {}
    # nlu_fallback carries the configured threshold as its confidence; the rejected guess is next in the ranking.
    guesses = tuple(
        (guess["name"], guess["confidence"])
        for guess in parse_data.get("intent_ranking") or [parse_data.get("intent") or {}]
        if guess.get("name") not in (None, NLU_FALLBACK) and guess.get("confidence") is not None
    )
    return UnansweredQuestion(
        at=datetime.fromtimestamp(timestamp, tz=timezone.utc),
        sender_id=sender_id,
        text=event.get("text"),
        intent=intent,
        guesses=guesses,
        names=conversations.stored_names(names_given),
    )


def _bounds(since: date, until: date) -> Tuple[float, float]:
    if until < since:
        raise ValueError(f"the period ends ({until}) before it starts ({since})")
    start = datetime.combine(since, time(), tzinfo=timezone.utc)
    end = datetime.combine(until + timedelta(days=1), time(), tzinfo=timezone.utc)
    return start.timestamp(), end.timestamp()


def _started_per_day(start: float, end: float) -> sa.sql.Select:
    # Events after the period cannot be a conversation's first, so they are left out of the grouping.
    firsts = (
        sa.select(sa.func.min(events.c.timestamp).label("started"))
        .where(events.c.timestamp < end)
        .group_by(events.c.sender_id)
        .having(sa.func.min(events.c.timestamp) >= start)
        .subquery()
    )
    day = _WholeDays(firsts.c.started - start)
    return sa.select(day, sa.func.count()).group_by(day)


def _user_intents(start: float, end: float) -> sa.sql.Select:
    return (
        sa.select(events.c.intent_name, sa.func.count())
        .where(events.c.type_name == "user", events.c.timestamp >= start, events.c.timestamp < end)
        .group_by(events.c.intent_name)
    )


def _first_flagged(slots: Tuple[str, ...], start: float, end: float) -> sa.sql.Select:
    # NOT EXISTS probes the sender_id index for the few flagged rows, where grouping by sender would read every row.
    earlier = events.alias("earlier")
    flagged_before = sa.exists().where(
        earlier.c.sender_id == events.c.sender_id,
        _is_set_true(earlier, earlier.c.action_name == events.c.action_name),
        earlier.c.timestamp < start,
    )
    return (
        sa.select(events.c.action_name, sa.func.count(sa.distinct(events.c.sender_id)))
        .where(
            _is_set_true(events, events.c.action_name.in_(slots)),
            events.c.timestamp >= start,
            events.c.timestamp < end,
            ~flagged_before,
        )
        .group_by(events.c.action_name)
    )


def _booking(start: float, end: float) -> sa.sql.Select:
    earlier, booked = events.alias("earlier"), events.alias("booked")
    asked_before = sa.exists().where(
        earlier.c.sender_id == events.c.sender_id,
        earlier.c.type_name == "user",
        earlier.c.intent_name == BOOKING_INTENT,
        earlier.c.timestamp < start,
    )
    requested = sa.exists().where(
        booked.c.sender_id == events.c.sender_id, _is_set_true(booked, booked.c.action_name == BOOKING_SLOT)
    )
    return sa.select(
        sa.func.count(sa.distinct(events.c.sender_id)),
        sa.func.count(sa.distinct(sa.case((requested, events.c.sender_id)))),
    ).where(
        events.c.type_name == "user",
        events.c.intent_name == BOOKING_INTENT,
        events.c.timestamp >= start,
        events.c.timestamp < end,
        ~asked_before,
    )


def _is_set_true(table: sa.sql.FromClause, which_slot: sa.sql.ColumnElement) -> sa.sql.ColumnElement:
    return sa.and_(table.c.type_name == "slot", which_slot, _SlotValueIsTrue(table.c.data))
