"""The console's conversation index: one summary row per conversation, folded incrementally from Rasa's events.

Replaying the events table on every page view is too slow at thousands of conversations, so `refresh` reads only
the events added since its last run, and listing, search and filters read the summary rows.
"""
from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

import sqlalchemy as sa

from bot.actions.fallback import FIRST_MISS_RESPONSES
from bot.nlu.safety_component import safety_of
from bot.nlu.safety_rules import SENSITIVE
from bot.sms.subscribers import sms_subscribers
from bot.tracker_store import events

BATCH_EVENTS = 5000
# How long a refresh on PostgreSQL waits for saves in flight (or a vacuum) before leaving the catch-up to the next.
SETTLE_LOCK_TIMEOUT_MS = 2000
PG_LOCK_NOT_AVAILABLE = "55P03"
# Senders per IN (...) list, well under every database's limit on bound parameters.
IN_CHUNK = 500
STATE_KEY = "events"
SMS_INPUT_CHANNEL = "twilio"
SMS_SENDER_PREFIX = "sms-"
CHANNELS = frozenset({"web", "sms"})
FALLBACK_INTENTS = frozenset(FIRST_MISS_RESPONSES)
FALLBACK_ACTIONS = frozenset({"action_handle_fallback", "action_default_fallback"})
# Slots set true by the safety layer and the actions and never cleared; intents that set the safety slots.
FLAG_SLOTS = {"crisis_flagged": "crisis", "emergency_flagged": "emergency",
              "booking_requested": "booking_requested", "human_requested": "human_requested"}
FLAG_INTENTS = {"crisis": "crisis", "medical_emergency": "emergency"}
NAME_SLOT = "first_name"
# "sensitive": suicide, self-harm or an overdose came up in a question, a denial or a history (lower priority).
STORED_FLAGS = ("crisis", "emergency", "sensitive", "booking_requested", "fallback", "human_requested")
FLAGS = frozenset(STORED_FLAGS) | {"opted_out"}

logger = logging.getLogger(__name__)
metadata = sa.MetaData()
conversations = sa.Table(
    "console_conversations",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("last_active_at", sa.Float, nullable=False),
    sa.Column("turns", sa.Integer, nullable=False),
    *(sa.Column(flag, sa.Boolean, nullable=False) for flag in STORED_FLAGS),
    sa.Column("first_message", sa.Text),
    # The first names given in the booking form, one a line, so previews can redact them.
    sa.Column("names_given", sa.Text, nullable=False),
    # Last, so SQLite reads the other columns without following this long one's overflow pages.
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Index("ix_console_conversations_started", "started_at", "sender_id"),
    sa.Index("ix_console_conversations_last_active", "last_active_at"),
)
index_state = sa.Table(
    "console_index_state",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
)
opted_out = sa.func.coalesce(sms_subscribers.c.opted_out, sa.false())


@dataclass(frozen=True)
class ConversationFilter:
    query: str = ""
    flags: FrozenSet[str] = frozenset()
    channel: Optional[str] = None
    since: Optional[date] = None
    until: Optional[date] = None
    # Where the days of since/until begin and end: the clinic's own day, not UTC's, when given.
    tz: tzinfo = timezone.utc


@dataclass(frozen=True)
class ConversationRow:
    sender_id: str
    channel: str
    started_at: datetime
    last_active_at: datetime
    turns: int
    first_message: Optional[str]
    flags: FrozenSet[str]
    # The first names given in the booking form, so a preview can be redacted without reading the events.
    names: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ConversationPage:
    rows: List[ConversationRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass
class _Summary:
    """One conversation while a batch is folded in: its stored row, plus what the batch adds."""

    sender_id: str
    channel: str
    started_at: Optional[float] = None
    last_active_at: Optional[float] = None
    turns: int = 0
    flags: Set[str] = field(default_factory=set)
    first_message: Optional[str] = None
    names: List[str] = field(default_factory=list)
    search_text: str = ""
    new_texts: List[str] = field(default_factory=list)

    @classmethod
    def stored(cls, row: Any) -> "_Summary":
        return cls(row.sender_id, row.channel, row.started_at, row.last_active_at, row.turns,
                   {flag for flag in STORED_FLAGS if row._mapping[flag]}, row.first_message,
                   list(stored_names(row.names_given)), row.search_text)

    def fold(self, type_name: str, timestamp: Optional[float], intent: Optional[str], action: Optional[str],
             data: Dict[str, Any]) -> None:
        if timestamp is not None:
            if self.started_at is None or timestamp < self.started_at:
                self.started_at = timestamp
            if self.last_active_at is None or timestamp > self.last_active_at:
                self.last_active_at = timestamp
        if type_name == "user":
            self.turns += 1
            if data.get("input_channel") == SMS_INPUT_CHANNEL:
                self.channel = "sms"
            if intent in FALLBACK_INTENTS:
                self.flags.add("fallback")
            if intent in FLAG_INTENTS:
                self.flags.add(FLAG_INTENTS[intent])
            if safety_of(data.get("parse_data")).get("level") == SENSITIVE:
                self.flags.add("sensitive")
            if data.get("text"):
                # Only what visitors wrote is searched: the assistant's canned answers would make every search match.
                self.new_texts.append(data["text"].lower())
                if self.first_message is None:
                    self.first_message = data["text"]
        elif type_name == "action" and action in FALLBACK_ACTIONS:
            self.flags.add("fallback")
        elif type_name == "slot" and action in FLAG_SLOTS and data.get("value") is True:
            self.flags.add(FLAG_SLOTS[action])
        elif type_name == "slot" and action == NAME_SLOT and data.get("value") and data["value"] not in self.names:
            self.names.append(str(data["value"]))

    def values(self) -> Dict[str, Any]:
        """The row's columns except the key; times default to 0 only for events that carried none."""
        return {
            "channel": self.channel,
            "started_at": self.started_at or 0.0,
            "last_active_at": self.last_active_at or 0.0,
            "turns": self.turns,
            **{flag: flag in self.flags for flag in STORED_FLAGS},
            "first_message": self.first_message,
            "names_given": "\n".join(self.names),
            "search_text": "\n".join(text for text in (self.search_text, *self.new_texts) if text),
        }


def stored_names(names_given: Optional[str]) -> Tuple[str, ...]:
    """The names of a `names_given` column, which keeps them one a line."""
    return tuple(names_given.split("\n")) if names_given else ()


def _decode(data: str) -> Dict[str, Any]:
    """One malformed row must not stop the index for good, so it counts as an event without details."""
    try:
        decoded = json.loads(data)
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), IN_CHUNK):
        yield items[start:start + IN_CHUNK]


@lru_cache(maxsize=None)
def create_tables(engine: sa.engine.Engine) -> None:
    """Creates the index's tables, and the opt-out table the list joins, once per engine (every call here does)."""
    _drop_outdated_index(engine)
    for table in (conversations, index_state, sms_subscribers):
        try:
            table.create(engine, checkfirst=True)
        except sa.exc.DBAPIError:
            # A concurrent first start created it between the check and the CREATE: fine, if it is there now.
            if not sa.inspect(engine).has_table(table.name):
                raise
    with engine.connect() as connection:
        exists = connection.execute(sa.select(index_state.c.name).where(index_state.c.name == STATE_KEY)).first()
    if exists is None:
        try:
            with engine.begin() as connection:
                connection.execute(index_state.insert().values(name=STATE_KEY, last_event_id=0))
        except sa.exc.IntegrityError:
            pass  # another process created it first


def _drop_outdated_index(engine: sa.engine.Engine) -> None:
    """The index is derived from the events: one written by an older version (a flag column missing) is rebuilt."""
    inspector = sa.inspect(engine)
    if not inspector.has_table(conversations.name):
        return
    present = {column["name"] for column in inspector.get_columns(conversations.name)}
    if present >= {column.name for column in conversations.columns}:
        return
    logger.info("the conversation index predates a new column; rebuilding it from the events")
    with engine.begin() as connection:
        conversations.drop(connection)
        if inspector.has_table(index_state.name):
            connection.execute(index_state.delete().where(index_state.c.name == STATE_KEY))


def _has_events(engine: sa.engine.Engine) -> bool:
    """Rasa creates the events table when it first starts; before that there is nothing to index."""
    return sa.inspect(engine).has_table("events")


def _mark(connection: sa.engine.Connection) -> int:
    """The id of the last event folded into the summaries."""
    state = index_state.c
    return connection.execute(sa.select(state.last_event_id).where(state.name == STATE_KEY)).scalar_one()


def _locked_mark(connection: sa.engine.Connection) -> int:
    """The mark, under the index's write lock: SQLite only locks at a transaction's first write, so a no-op update
    comes first; a concurrent refresh then waits and reads the mark this one leaves."""
    state = index_state.c
    connection.execute(index_state.update().where(state.name == STATE_KEY).values(last_event_id=state.last_event_id))
    return _mark(connection)


def _set_mark(connection: sa.engine.Connection, event_id: int) -> None:
    connection.execute(index_state.update().where(index_state.c.name == STATE_KEY).values(last_event_id=event_id))


def _rewind_past_deleted(connection: sa.engine.Connection, mark: int) -> None:
    """SQLite hands out max(id) + 1 again once the newest events are deleted: a mark above them would skip those."""
    newest = connection.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0
    if newest < mark:
        _set_mark(connection, newest)


def _settled_max_id(engine: sa.engine.Engine) -> Optional[int]:
    """The newest event id with no insert still in flight below it, or None if that cannot be known just now.

    On PostgreSQL a save can commit after a later id is visible; the brief SHARE lock waits for open inserts, so
    the index never steps over an id for good. If the lock is not granted in time, the next refresh catches up.
    """
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(sa.text(f"SET LOCAL lock_timeout = {SETTLE_LOCK_TIMEOUT_MS}"))
                connection.execute(sa.text("LOCK TABLE events IN SHARE MODE"))
            return connection.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0
    except sa.exc.OperationalError as error:
        if getattr(error.orig, "pgcode", None) != PG_LOCK_NOT_AVAILABLE:
            raise
        logger.warning("events table busy for %d ms; the conversation index is not refreshed this time",
                       SETTLE_LOCK_TIMEOUT_MS)
        return None


def _fold_batch(connection: sa.engine.Connection, batch: Sequence[tuple]) -> None:
    senders = list({sender: None for _, sender, *_ in batch})
    known: Dict[str, _Summary] = {}
    for chunk in _chunks(senders):
        rows = connection.execute(conversations.select().where(conversations.c.sender_id.in_(chunk)))
        known.update((row.sender_id, _Summary.stored(row)) for row in rows)
    new: Dict[str, _Summary] = {}
    for _, sender, type_name, timestamp, intent, action, data in batch:
        conversation = known.get(sender) or new.get(sender)
        if conversation is None:
            channel = "sms" if sender.startswith(SMS_SENDER_PREFIX) else "web"
            conversation = new[sender] = _Summary(sender, channel)
        conversation.fold(type_name, timestamp, intent, action, _decode(data) if data else {})
    if known:
        connection.execute(
            conversations.update().where(conversations.c.sender_id == sa.bindparam("key")),
            [{"key": sender, **conversation.values()} for sender, conversation in known.items()],
        )
    if new:
        connection.execute(conversations.insert(),
                           [{"sender_id": sender, **conversation.values()} for sender, conversation in new.items()])


def refresh(engine: sa.engine.Engine) -> int:
    """Folds the events added since the last call into the summaries and returns how many it read.

    Each batch and its new mark commit together under the index's lock, so concurrent calls never count twice.
    """
    create_tables(engine)
    if not _has_events(engine):
        return 0
    settled = _settled_max_id(engine)
    if settled is None:
        return 0
    with engine.connect() as connection:
        if _mark(connection) == settled:
            return 0  # nothing new: a page view costs no write
    # Only the events a summary needs details from are decoded; the rest are counted by their columns.
    detailed = sa.or_(events.c.type_name == "user",
                      sa.and_(events.c.type_name == "slot", events.c.action_name.in_([*FLAG_SLOTS, NAME_SLOT])))
    columns = [events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.intent_name,
               events.c.action_name, sa.case((detailed, events.c.data), else_=sa.null()).label("data")]
    processed = 0
    while True:
        with engine.begin() as connection:
            mark = _locked_mark(connection)
            batch = [tuple(event) for event in connection.execute(
                sa.select(*columns).where(events.c.id > mark, events.c.id <= settled)
                .order_by(events.c.id).limit(BATCH_EVENTS)
            )]
            if not batch:
                _rewind_past_deleted(connection, mark)
                return processed
            _fold_batch(connection, batch)
            _set_mark(connection, batch[-1][0])
        processed += len(batch)
        if len(batch) < BATCH_EVENTS:
            return processed


def _start_of(day: date, tz: tzinfo) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def _conditions(search: ConversationFilter) -> List[sa.sql.ClauseElement]:
    unknown = set(search.flags) - FLAGS
    if unknown:
        raise ValueError(f"unknown flags: {sorted(unknown)}")
    if search.channel is not None and search.channel not in CHANNELS:
        raise ValueError(f"unknown channel: {search.channel}")
    table = conversations.c
    # autoescape escapes %, _ and the escape character itself, and adds the ESCAPE clause: terms match literally.
    conditions = [table.search_text.contains(term, autoescape=True) for term in search.query.lower().split()]
    conditions += [opted_out if flag == "opted_out" else table[flag] for flag in sorted(search.flags)]
    if search.channel is not None:
        conditions.append(table.channel == search.channel)
    if search.since is not None:
        conditions.append(table.started_at >= _start_of(search.since, search.tz))
    if search.until is not None:
        conditions.append(table.started_at < _start_of(search.until + timedelta(days=1), search.tz))
    return conditions


def _rows() -> sa.sql.Select:
    table = conversations.c
    return (
        sa.select(table.sender_id, table.channel, table.started_at, table.last_active_at, table.turns,
                  table.first_message, table.names_given, *(table[flag] for flag in STORED_FLAGS),
                  opted_out.label("opted_out"))
        .select_from(conversations.outerjoin(sms_subscribers, sms_subscribers.c.conversation_id == table.sender_id))
    )


def _listing(search: ConversationFilter) -> sa.sql.Select:
    return _rows().where(*_conditions(search)).order_by(conversations.c.started_at.desc(),
                                                        conversations.c.sender_id.desc())


def _row(row: Any) -> ConversationRow:
    return ConversationRow(
        sender_id=row.sender_id,
        channel=row.channel,
        started_at=datetime.fromtimestamp(row.started_at, timezone.utc),
        last_active_at=datetime.fromtimestamp(row.last_active_at, timezone.utc),
        turns=row.turns,
        first_message=row.first_message,
        flags=frozenset(flag for flag in FLAGS if row._mapping[flag]),
        names=stored_names(row.names_given),
    )


def list_conversations(engine: sa.engine.Engine, search: ConversationFilter, page: int,
                       per_page: int = 50) -> ConversationPage:
    """One page of the matching conversations, newest first (page 1 is the first), with the total for paging."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    create_tables(engine)
    page = max(page, 1)
    listing = _listing(search)
    with engine.connect() as connection:
        total = connection.execute(sa.select(sa.func.count()).select_from(listing.order_by(None).subquery())).scalar()
        rows = connection.execute(listing.limit(per_page).offset((page - 1) * per_page)).all()
    return ConversationPage([_row(row) for row in rows], total, page, per_page)


def all_matching(engine: sa.engine.Engine, search: ConversationFilter) -> Iterator[ConversationRow]:
    """Every matching conversation, newest first, streamed so an export does not hold them all in memory."""
    create_tables(engine)
    return _stream(engine, _listing(search))


def _stream(engine: sa.engine.Engine, listing: sa.sql.Select) -> Iterator[ConversationRow]:
    with engine.connect() as connection:
        for row in connection.execution_options(stream_results=True).execute(listing):
            yield _row(row)


def summary(engine: sa.engine.Engine, sender_id: str) -> Optional[ConversationRow]:
    """One conversation's row, for the transcript page's header; None until it is indexed."""
    create_tables(engine)
    with engine.connect() as connection:
        row = connection.execute(_rows().where(conversations.c.sender_id == sender_id)).first()
    return _row(row) if row else None


def delete_conversations(engine: sa.engine.Engine, sender_ids: Iterable[str]) -> int:
    """Removes the summaries of conversations whose events were deleted, so the list shows no empty rows."""
    create_tables(engine)
    senders, deleted = list(sender_ids), 0
    with engine.begin() as connection:
        for chunk in _chunks(senders):
            deleted += connection.execute(conversations.delete().where(conversations.c.sender_id.in_(chunk))).rowcount
    return deleted


def purge_older_than(engine: sa.engine.Engine, days: int, now: Optional[float] = None) -> List[str]:
    """Deletes the events and summaries of conversations idle for more than `days` days and returns their ids.

    Booking requests are clinic records and stay. Only indexed events are deleted, so a message arriving meanwhile
    survives and is listed as the conversation's continuation.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (time.time() if now is None else now) - days * 86400
    if not _has_events(engine):
        return []
    refresh(engine)
    with engine.begin() as connection:
        mark = _locked_mark(connection)
        senders = list(connection.execute(
            sa.select(conversations.c.sender_id).where(conversations.c.last_active_at < cutoff)
        ).scalars())
        for chunk in _chunks(senders):
            connection.execute(events.delete().where(events.c.sender_id.in_(chunk), events.c.id <= mark))
            connection.execute(conversations.delete().where(conversations.c.sender_id.in_(chunk)))
        _rewind_past_deleted(connection, mark)
    return senders
