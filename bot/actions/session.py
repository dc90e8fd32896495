"""Starts each conversation: carries flags over, loads the clinic's facts into slots, introduces the assistant."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.clinic.profile import clinic_profile


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        profile_values = clinic_profile().response_values()
        carried = [
            SlotSet(name, value)
            for name, value in tracker.current_slot_values().items()
            if value is not None and name not in profile_values
        ]
        profile_slots = [SlotSet(name, value) for name, value in profile_values.items()]
        # The slots are not set yet when this message is rendered, so the profile values go in directly.
        dispatcher.utter_message(response="utter_session_intro", **profile_values)
        return [SessionStarted(), *carried, *profile_slots, ActionExecuted("action_listen")]
