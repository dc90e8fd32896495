"""A conversation as staff read it: messages, intents, form progress and flags, redacted unless revealed."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, List, Optional

import sqlalchemy as sa

from bot.tracker_store import events

FLAG_SLOTS = {
    "crisis_flagged": "Flagged: crisis",
    "emergency_flagged": "Flagged: medical emergency",
    "booking_requested": "Booking request recorded",
    "human_requested": "Asked for a person",
}
FORM_NAMES = {"booking_form": "booking form"}


@dataclass(frozen=True)
class TranscriptLine:
    at: datetime
    speaker: str  # "visitor", "assistant" or "system"
    text: str
    intent: Optional[str] = None
    confidence: Optional[float] = None
    channel: Optional[str] = None


def _line_for(event: dict, redact: Callable[[str], str]) -> Optional[TranscriptLine]:
    at = datetime.fromtimestamp(event.get("timestamp") or 0, tz=timezone.utc)
    kind = event.get("event")
    if kind == "user":
        intent = (event.get("parse_data") or {}).get("intent") or {}
        return TranscriptLine(at, "visitor", redact(event.get("text") or ""), intent.get("name"),
                              intent.get("confidence"), event.get("input_channel"))
    if kind == "bot":
        buttons = [button.get("title", "") for button in (event.get("data") or {}).get("buttons") or []]
        text = redact(event.get("text") or "")
        return TranscriptLine(at, "assistant", text + "".join(f"\n[{title}]" for title in buttons))
    if kind == "slot" and event.get("name") in FLAG_SLOTS and event.get("value") is True:
        return TranscriptLine(at, "system", FLAG_SLOTS[event["name"]])
    if kind == "slot" and event.get("name") == "requested_slot" and event.get("value"):
        return TranscriptLine(at, "system", f"Form asks for: {str(event['value']).replace('_', ' ')}")
    if kind == "active_loop":
        name = event.get("name")
        return TranscriptLine(at, "system", f"Started the {FORM_NAMES.get(name, name)}" if name else "Form ended")
    if kind == "session_started":
        return TranscriptLine(at, "system", "New session")
    return None


def load_events(engine: sa.engine.Engine, sender_id: str) -> List[dict]:
    """The conversation's Rasa events in the order they happened, straight from the tracker store."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(events.c.data).where(events.c.sender_id == sender_id).order_by(events.c.id)
        ).all()
    return [json.loads(row.data) for row in rows]


def names_given(events: List[dict]) -> List[str]:
    """The first names given in the booking form, so the redactor can hide them wherever they appear."""
    return [str(event["value"]) for event in events
            if event.get("event") == "slot" and event.get("name") == "first_name" and event.get("value")]


def transcript(events: List[dict], redact: Callable[[str], str]) -> List[TranscriptLine]:
    return [line for line in (_line_for(event, redact) for event in events) if line is not None]
