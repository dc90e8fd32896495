"""Starts each conversation: carries the staff flags over, loads the clinic's facts, introduces the assistant."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.clinic.profile import clinic_profile

# Only the flags staff rely on outlive a session; a name or phone number from an earlier booking never does.
CARRIED_SLOTS = ("crisis_flagged", "emergency_flagged", "booking_requested", "booking_reference", "human_requested")


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        profile_values = clinic_profile().response_values()
        carried = [SlotSet(name, tracker.get_slot(name)) for name in CARRIED_SLOTS if tracker.get_slot(name) is not None]
        profile_slots = [SlotSet(name, value) for name, value in profile_values.items()]
        # The slots are not set yet when this message is rendered, so the profile values go in directly.
        dispatcher.utter_message(response="utter_session_intro", **profile_values)
        return [SessionStarted(), *carried, *profile_slots, ActionExecuted("action_listen")]
