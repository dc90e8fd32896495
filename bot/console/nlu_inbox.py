"""The NLU inbox: unanswered messages grouped by their redacted text, labelled by reviewers, exported as training data.

A group's key is its redacted text normalised (NFKC, case-folded, apostrophes dropped, whitespace collapsed,
trailing punctuation stripped), so "Great!", "great" and "GREAT ." are one group, "What's", "What’s" (a phone's
curly apostrophe) and "whats" are one, and so are two messages that differ only in a phone number. Labels live in
the conversation database (table `console_nlu_labels`), one per key, so a group stays labelled whichever period the
inbox shows; dismissed groups ("ok", "great") are kept out of the export.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable, Collection, Dict, FrozenSet, Generic, Iterable, List, Optional, Sequence, Tuple, TypeVar

import sqlalchemy as sa
import yaml
from rasa.shared.core.constants import DEFAULT_INTENTS

from bot.console import insights
from bot.console.redaction import Redactor
from bot.database import as_utc, utc_now

DOMAIN_PATH = Path(__file__).resolve().parents[2] / "domain.yml"
INTENT, NEW_TOPIC, DISMISSED = "intent", "new_topic", "dismissed"
GUESSES_SHOWN = 3
PER_PAGE = 50
TOPIC_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
MAX_TOPIC_LENGTH = 48
# Punctuation that ends a sentence or trails off; closing brackets stay, so "[phone]" keeps its bracket.
TRAILING_CATEGORIES = ("Po", "Pd", "Pi", "Pf")
# Straight, curly and modifier-letter apostrophes: keyboards differ, people skip them in SMS.
APOSTROPHES = re.compile("['\u2019\u02bc]")
# Rasa reads "[text](entity)", "[text]{...}" and "[text][...]" in an example as an entity annotation.
ANNOTATION_AFTER_BRACKET = re.compile(r"\](?=[(\[{])")
NEEDS_DOMAIN_ENTRY = ("# New topic: add `{intent}` to the intents in domain.yml, write a response for it and a rule "
                      "that answers it, before training.")

T = TypeVar("T")

metadata = sa.MetaData()
nlu_labels = sa.Table(
    "console_nlu_labels",
    metadata,
    # The SHA-256 of the group key: a message can be long, and an index on the text itself could overflow.
    sa.Column("group_id", sa.String(64), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("intent", sa.String(64)),
    sa.Column("labelled_by", sa.String(64), nullable=False),
    sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False, index=True),
)


class LabelError(ValueError):
    """A label that cannot be stored; the message is meant for the reviewer who chose it."""


@dataclass(frozen=True)
class Group:
    """Unanswered messages with the same normalised text: `text` is their most frequent redacted wording; `guesses`
    (the top intents) and `last_conversation` come from the latest message, so they reflect the model now serving
    and lead to the context of a recent case."""

    key: str
    text: str
    count: int
    last_seen: datetime
    last_conversation: str
    guesses: Tuple[Tuple[str, float], ...]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list (`number` 1 is the first), with the list's length for paging."""

    items: List[T]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def page_of(items: Sequence[T], number: int, per_page: int = PER_PAGE) -> Page[T]:
    """Page `number` of the items; a number past the end gives an empty page, not an error."""
    number = max(number, 1)
    return Page(list(items[(number - 1) * per_page:number * per_page]), len(items), number, per_page)


@dataclass(frozen=True)
class Inbox:
    """The groups still to review in a period, a page of them, with how many messages they hold and how many groups
    reviewers have labelled so far (in any period)."""

    groups: Page[Group]
    messages: int
    labelled: int


@dataclass(frozen=True)
class Label:
    """A reviewer's decision on one group: an intent, a new topic's name, or dismissed (no intent)."""

    group_id: str
    text: str
    kind: str
    intent: Optional[str]
    labelled_by: str
    labelled_at: datetime

    def describe(self) -> str:
        """How the label reads in the console and the audit trail."""
        return {INTENT: f"intent {self.intent}", NEW_TOPIC: f"new topic {self.intent}"}.get(self.kind, "not a question")


def tidy(text: str) -> str:
    """One line as shown and exported: whitespace collapsed, control characters dropped."""
    return " ".join("".join(char for char in text if unicodedata.category(char) != "Cc" or char.isspace()).split())


def group_key(redacted: str) -> str:
    """The text a group is known by; the caller redacts first, so personal details never become part of a key."""
    folded = " ".join(APOSTROPHES.sub("", unicodedata.normalize("NFKC", redacted).casefold()).split())
    stripped = folded
    while stripped and (stripped[-1].isspace() or unicodedata.category(stripped[-1]) in TRAILING_CATEGORIES):
        stripped = stripped[:-1]
    # A message of punctuation only ("?", "...") keeps it rather than joining every other such message.
    return stripped or folded


def group_id(key: str) -> str:
    """The labels table's key for a group: fixed length, however long the message."""
    return hashlib.sha256(key.encode()).hexdigest()


def domain_intents(path: Path = DOMAIN_PATH) -> Tuple[str, ...]:
    """The assistant's intents as domain.yml lists them, read again whenever the file changes."""
    return _intents_in(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _intents_in(path: Path, _modified: int) -> Tuple[str, ...]:
    # An intent is listed by name, or as a one-key mapping to its options ({"greet": {"use_entities": []}}).
    listed = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []
    return tuple(str(next(iter(intent))) if isinstance(intent, dict) else str(intent) for intent in listed)


def group_messages(
    questions: Iterable[insights.UnansweredQuestion], redactor_for: Callable[[Tuple[str, ...]], Redactor]
) -> List[Group]:
    """Groups the messages, most frequent first, then most recently seen; each message is redacted with the names
    given in its own conversation."""
    redacted: Dict[Tuple[Tuple[str, ...], str], str] = {}
    wordings: Dict[str, Dict[str, Tuple[int, datetime]]] = {}
    latest: Dict[str, insights.UnansweredQuestion] = {}
    for question in questions:
        cache_key = (question.names, question.text or "")
        if cache_key not in redacted:
            redacted[cache_key] = tidy(redactor_for(question.names).redact(question.text or ""))
        text = redacted[cache_key]
        key = group_key(text)
        count, last = wordings.setdefault(key, {}).get(text, (0, question.at))
        wordings[key][text] = (count + 1, max(last, question.at))
        if key not in latest or question.at > latest[key].at:
            latest[key] = question
    groups = [
        # The wording most messages used, of equally common ones the latest, stands for the group.
        Group(key=key, text=max(seen, key=seen.__getitem__), count=sum(count for count, _ in seen.values()),
              last_seen=latest[key].at, last_conversation=latest[key].sender_id,
              guesses=latest[key].guesses[:GUESSES_SHOWN])
        for key, seen in wordings.items()
    ]
    return sorted(groups, key=lambda group: (-group.count, -group.last_seen.timestamp(), group.key))


class NluLabels:
    """Stores, changes and removes the reviewers' labels; every text is redacted again before it is stored."""

    def __init__(self, engine: sa.engine.Engine, redact: Callable[[str], str]) -> None:
        self._engine = engine
        self._redact = redact
        metadata.create_all(self._engine)

    def label(self, text: str, kind: str, intent: Optional[str], by: str,
              intents: Collection[str]) -> Tuple[Label, Optional[Label]]:
        """Labels the group of `text` (replacing any earlier label) and returns the new label and the one it replaced.

        A new topic that names an existing intent is stored as that intent.
        """
        shown = tidy(self._redact(text))
        if not shown:
            raise LabelError("There is no message to label.")
        intent = _checked_intent(kind, (intent or "").strip(), intents)
        if kind == NEW_TOPIC and intent in intents:
            kind = INTENT
        label = Label(group_id(group_key(shown)), shown, kind, intent, by, utc_now())
        values = {"text": label.text, "kind": label.kind, "intent": label.intent, "labelled_by": label.labelled_by,
                  "labelled_at": label.labelled_at}
        try:
            with self._engine.begin() as connection:
                replaced = self._get(connection, label.group_id)
                if replaced is None:
                    connection.execute(nlu_labels.insert().values(group_id=label.group_id, **values))
                else:
                    connection.execute(
                        nlu_labels.update().where(nlu_labels.c.group_id == label.group_id).values(**values)
                    )
        except sa.exc.IntegrityError:
            raise LabelError("Someone else labelled this message at the same moment: reload to see it.") from None
        return label, replaced

    def remove(self, group_id: str) -> Optional[Label]:
        """Undoes a label, so its group is back in the inbox; returns the label, None if there was none."""
        with self._engine.begin() as connection:
            removed = self._get(connection, group_id)
            connection.execute(nlu_labels.delete().where(nlu_labels.c.group_id == group_id))
        return removed

    def all(self) -> List[Label]:
        """Every label, newest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                nlu_labels.select().order_by(nlu_labels.c.labelled_at.desc(), nlu_labels.c.group_id)
            ).all()
        return [_label(row) for row in rows]

    def labelled_ids(self) -> FrozenSet[str]:
        """The group ids with a label, which the inbox leaves out."""
        with self._engine.connect() as connection:
            return frozenset(connection.execute(sa.select(nlu_labels.c.group_id)).scalars())

    @staticmethod
    def _get(connection: sa.engine.Connection, wanted: str) -> Optional[Label]:
        row = connection.execute(nlu_labels.select().where(nlu_labels.c.group_id == wanted)).one_or_none()
        return _label(row) if row else None


def _checked_intent(kind: str, intent: str, intents: Collection[str]) -> Optional[str]:
    if kind == DISMISSED:
        return None
    if kind == INTENT:
        if intent not in intents:
            raise LabelError("Choose one of the assistant's intents.")
        return intent
    if kind == NEW_TOPIC:
        if not TOPIC_NAME.fullmatch(intent) or len(intent) > MAX_TOPIC_LENGTH:
            raise LabelError(f"Name the new topic in snake_case: lower-case letters, digits and single underscores, "
                             f"at most {MAX_TOPIC_LENGTH} characters (e.g. ask_parking).")
        if intent in DEFAULT_INTENTS and intent not in intents:
            raise LabelError(f"{intent} is reserved by Rasa; choose another name.")
        return intent
    raise LabelError("Choose an intent, name a new topic, or mark the message as not a question.")


def _label(row: sa.engine.Row) -> Label:
    return Label(row.group_id, row.text, row.kind, row.intent, row.labelled_by, as_utc(row.labelled_at))


def inbox(
    engine: sa.engine.Engine, labels: NluLabels, since: date, until: date,
    redactor_for: Callable[[Tuple[str, ...]], Redactor], page: int = 1, per_page: int = PER_PAGE,
) -> Inbox:
    """The groups of the period that nobody has labelled yet, a page at a time."""
    labelled = labels.labelled_ids()
    grouped = group_messages(insights.unanswered_questions(engine, since, until), redactor_for)
    waiting = [group for group in grouped if group_id(group.key) not in labelled]
    return Inbox(page_of(waiting, page, per_page), sum(group.count for group in waiting), len(labelled))


class _LiteralDumper(yaml.SafeDumper):
    """A SafeDumper of our own, so that the literal style below changes no other YAML output."""


class _Examples(str):
    """Example lines, written as a literal block like Rasa's own training files (quoted if a character needs it)."""


_LiteralDumper.add_representer(
    _Examples, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
)


def training_data(labels: Iterable[Label], known_intents: Collection[str]) -> str:
    """Rasa NLU YAML of the labelled examples, one block per intent, ready to go into bot/data.

    Dismissed groups are left out; an intent the domain does not list (a new topic) gets a comment saying what else
    it needs.
    """
    by_intent: Dict[str, List[str]] = {}
    for label in labels:
        if label.kind != DISMISSED and label.intent:
            by_intent.setdefault(label.intent, []).append(ANNOTATION_AFTER_BRACKET.sub("] ", label.text))
    known = [intent for intent in sorted(by_intent) if intent in known_intents]
    new = [intent for intent in sorted(by_intent) if intent not in known_intents]
    parts = ['version: "3.1"\n', "nlu:\n"]
    for intent in known + new:
        if intent in new:
            parts.append(NEEDS_DOMAIN_ENTRY.format(intent=intent) + "\n")
        block = {"intent": intent, "examples": _Examples("".join(f"- {text}\n" for text in sorted(by_intent[intent])))}
        parts.append(yaml.dump([block], Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False, width=10_000))
    return "".join(parts)
