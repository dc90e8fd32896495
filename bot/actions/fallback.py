"""What to say when the NLU is unsure: ask to rephrase once, then hand over to the phone line."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

FALLBACK_INTENT = "nlu_fallback"
MISSES_BEFORE_HANDOFF = 2


def misses_in_a_row(tracker: Tracker) -> int:
    """Counts the latest user messages, newest first, that the NLU could not place."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != FALLBACK_INTENT:
            break
        misses += 1
    return misses


class ActionHandleFallback(Action):
    def name(self) -> Text:
        return "action_handle_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if misses_in_a_row(tracker) >= MISSES_BEFORE_HANDOFF:
            dispatcher.utter_message(response="utter_fallback_handoff")
        else:
            dispatcher.utter_message(response="utter_rephrase")
        return []
