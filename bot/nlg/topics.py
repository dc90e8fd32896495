"""The topics the assistant can offer as quick replies, and which to offer for a message.

Each FAQ answer `utter_<intent>` names its topic in its first variation's metadata (`metadata: {topic: ...}`), so a
new FAQ topic brings its own button title. Two places offer topics: a "not sure" reply offers the likeliest ones
(bot/actions/fallback.py), and an answer given with little confidence offers the runners-up beside it
(bot/nlg/profile_responses.py), so a wrong guess still leaves the right answer one tap away.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Set

TOPICS_OFFERED = 3
# Below this confidence an answer comes with its runners-up; measured on real questions (README).
ALTERNATIVES_BELOW = 0.9
ALTERNATIVES_OFFERED = 2
# Answers that are no topic of their own but still offer the runners-up when unsure: "that's outside what I can
# help with" is where a likely topic helps most.
ALSO_OFFERED_AFTER = frozenset({"out_of_scope"})


def topic_titles(intents: Iterable[Any], responses: Mapping[str, List[Dict[str, Any]]]) -> Dict[str, str]:
    """Intent name to button title, for every intent whose answer names its topic."""
    titles = {}
    for intent in intents:
        name = intent if isinstance(intent, str) else next(iter(intent))
        topic = next((v.get("metadata", {}).get("topic") for v in responses.get(f"utter_{name}", [])), None)
        if topic:
            titles[name] = topic
    return titles


def offered_topics(ranking: Iterable[str], titles: Dict[str, str], limit: int = TOPICS_OFFERED) -> List[str]:
    """The likeliest intents, in the classifier's order, that have an answer to offer."""
    return [intent for intent in ranking if intent in titles][:limit]


def alternatives(answered: str, confidence: float, ranking: Iterable[str], titles: Dict[str, str],
                 on_buttons: Iterable[str] = ()) -> List[str]:
    """The runners-up to offer beside an answer the classifier was not sure of, skipping topics its own buttons
    (`on_buttons`) already offer; none for a sure one."""
    if confidence >= ALTERNATIVES_BELOW or (answered not in titles and answered not in ALSO_OFFERED_AFTER):
        return []
    skipped = {answered, *on_buttons}
    return offered_topics((intent for intent in ranking if intent not in skipped), titles, ALTERNATIVES_OFFERED)


def button_intents(buttons: Optional[Iterable[Mapping[str, Any]]]) -> Set[str]:
    """The intents a response's buttons lead to (payload `/<intent>`)."""
    return {button["payload"][1:] for button in buttons or () if str(button.get("payload", "")).startswith("/")}


def topic_buttons(intents: Iterable[str], titles: Dict[str, str]) -> List[Dict[str, str]]:
    return [{"title": titles[intent], "payload": f"/{intent}"} for intent in intents]
