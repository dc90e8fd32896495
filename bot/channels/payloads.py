"""Visitors choose buttons; they do not write Rasa commands.

A message shaped like `/intent` or `/intent{"entity": ...}` is taken as a command only when it is, exactly, the
payload of a button the assistant offered in this session and carries no entities; anything else is read as the
words it contains ("/book_appointment" as "book appointment", which the classifier still understands, so a link
that opens the chat with it works), so nobody can pick an intent or fill a booking slot by typing Rasa's syntax.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Set

# The widget opens every conversation with this one; it is harmless from anyone.
OPENING_PAYLOADS = frozenset({"/greet"})


def offered_payloads(events: Iterable[Dict[str, Any]]) -> Set[str]:
    """The payloads of every button the assistant offered since the session began."""
    offered: Set[str] = set()
    for event in events:
        if event.get("event") == "session_started":
            offered.clear()
        elif event.get("event") == "bot":
            offered.update(str(button.get("payload")) for button in (event.get("data") or {}).get("buttons") or [])
    return offered


def as_visitor_text(text: str, offered: Iterable[str]) -> str:
    """The message as the assistant should read it: an offered payload as it is, any other command as words."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return text
    if "{" not in stripped and (stripped in OPENING_PAYLOADS or stripped in set(offered)):
        return stripped
    return stripped.lstrip("/").replace("{", " ").replace("}", " ").replace("_", " ").strip()
