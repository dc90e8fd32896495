"""Answers "do you treat my kind of trauma?" for the kind the user named."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

# The kinds of trauma the clinic's article lists, by the entity value the NLU extracts.
TRAUMA_LABELS: Dict[Text, Text] = {
    "combat": "combat and military trauma",
    "sexual_assault": "trauma from sexual assault or abuse",
    "physical_assault": "trauma from physical assault or violence",
    "accident": "trauma from a serious accident or injury",
    "natural_disaster": "trauma from a natural disaster",
    "medical": "medical trauma",
    "childhood": "childhood trauma",
    "complex": "complex or developmental trauma",
    "first_responder": "first responder and work-related trauma",
}


class ActionAnswerTraumaTypes(Action):
    def name(self) -> Text:
        return "action_answer_trauma_types"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        named = next(
            (TRAUMA_LABELS[value] for value in tracker.get_latest_entity_values("trauma_type") if value in TRAUMA_LABELS),
            None,
        )
        if named:
            dispatcher.utter_message(response="utter_trauma_type_specific", trauma_label=named)
        else:
            dispatcher.utter_message(response="utter_ask_trauma_types")
        return []
