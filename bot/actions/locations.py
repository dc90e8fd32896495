"""Answers "where are you?" with the location the user named, or with every location."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.clinic.profile import ClinicProfile, Location, clinic_profile


def named_place(tracker: Tracker) -> Optional[Text]:
    return next(tracker.get_latest_entity_values("location"), None)


def location_in_text(profile: ClinicProfile, text: Text) -> Optional[Location]:
    """The first location named in free text, such as an answer to the booking form's question."""
    return next((location for location, _ in profile.named_in(text)), None)


def locations_list(profile: ClinicProfile) -> Text:
    return "\n".join(
        f"- {location.name}, {location.region}: {location.address}. Phone {location.phone}"
        for location in profile.locations
    )


class ActionAnswerLocations(Action):
    def name(self) -> Text:
        return "action_answer_locations"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        profile = clinic_profile()
        place = named_place(tracker)
        location = profile.find_location(place) or location_in_text(profile, tracker.latest_message.get("text") or "")
        if location:
            dispatcher.utter_message(
                response="utter_location_one",
                location_name=location.name,
                location_region=location.region,
                location_address=location.address,
                location_phone=location.phone,
            )
            return []
        dispatcher.utter_message(response="utter_ask_locations", locations_list=locations_list(profile))
        return []
