"""The action server's actions, called the way Rasa calls them, with trackers built from real events."""
from __future__ import annotations

import asyncio
import inspect

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionHandleFallback
from bot.actions.locations import ActionAnswerLocations
from bot.actions.session import ActionSessionStart
from bot.actions.trauma_types import ActionAnswerTraumaTypes
from bot.clinic.profile import clinic_profile

PROFILE = clinic_profile()


def user_event(text: str, intent: str, entities: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
    }


def tracker_for(*events: Dict[str, Any], slots: Optional[Dict[str, Any]] = None) -> Tracker:
    users = [event for event in events if event["event"] == "user"]
    latest = users[-1]["parse_data"] if users else {}
    return Tracker("tester", slots or {}, latest, list(events), False, None, {}, "action_listen")


def run(action, tracker: Tracker):
    """Runs an action as the action server would, whether its `run` is synchronous or a coroutine."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    if inspect.isawaitable(events):
        events = asyncio.run(events)
    return dispatcher.messages, events


def test_session_start_loads_the_profile_into_slots_and_introduces_itself():
    messages, events = run(ActionSessionStart(), tracker_for())
    assert isinstance(events[0], dict) and events[0] == SessionStarted()
    assert SlotSet("clinic_phone", PROFILE.main_phone) in events
    assert SlotSet("crisis_lifeline", "988") in events
    assert events[-1] == ActionExecuted("action_listen")
    assert messages[0]["response"] == "utter_session_intro"
    assert messages[0]["clinic_name"] == PROFILE.name


def test_a_new_session_keeps_the_crisis_flag():
    _, events = run(ActionSessionStart(), tracker_for(slots={"crisis_flagged": True, "emergency_flagged": None}))
    assert SlotSet("crisis_flagged", True) in events
    assert not any(event.get("name") == "emergency_flagged" for event in events)


def test_locations_answers_the_location_named_by_the_entity():
    tracker = tracker_for(user_event("near rancho?", "ask_locations", [{"entity": "location", "value": "upland"}]))
    messages, _ = run(ActionAnswerLocations(), tracker)
    assert [message["response"] for message in messages] == ["utter_location_one"]
    assert messages[0]["location_address"] == PROFILE.find_location("upland").address


def test_locations_finds_a_town_in_the_text_when_no_entity_was_extracted():
    messages, _ = run(ActionAnswerLocations(), tracker_for(user_event("anything in henderson?", "ask_locations")))
    assert messages[0]["location_name"] == "Las Vegas"


def test_locations_lists_every_location_for_a_place_without_one():
    messages, _ = run(ActionAnswerLocations(), tracker_for(user_event("one in phoenix?", "ask_locations")))
    assert [message["response"] for message in messages] == ["utter_ask_locations"]
    for location in PROFILE.locations:
        assert location.address in messages[0]["locations_list"]


def test_trauma_type_named_gets_the_specific_answer():
    tracker = tracker_for(
        user_event("do u treat combat ptsd", "ask_trauma_types", [{"entity": "trauma_type", "value": "combat"}])
    )
    messages, _ = run(ActionAnswerTraumaTypes(), tracker)
    assert messages[0]["response"] == "utter_trauma_type_specific"
    assert messages[0]["trauma_label"] == "combat and military trauma"


def test_unknown_trauma_value_gets_the_general_list():
    tracker = tracker_for(user_event("what trauma", "ask_trauma_types", [{"entity": "trauma_type", "value": "x"}]))
    messages, _ = run(ActionAnswerTraumaTypes(), tracker)
    assert messages[0]["response"] == "utter_ask_trauma_types"


def test_fallback_offers_the_likeliest_topics_then_hands_over_to_the_phone_line():
    first = tracker_for(user_event("asdf", "ask_cost"), user_event("flurb", "nlu_fallback"))
    second = tracker_for(user_event("flurb", "nlu_fallback"), {"event": "bot"}, user_event("zorp", "out_of_scope"))
    assert run(ActionHandleFallback(), first)[0][0]["response"] == "utter_offer_topics"
    assert run(ActionHandleFallback(), second)[0][0]["response"] == "utter_fallback_handoff"


@pytest.mark.parametrize("text", ["\U0001F622", "\U0001F62D\U0001F62D\U0001F62D", "\U0001F494 ...", "\u2639\ufe0f",
                                  "\U0001F97A\U0001F3FD"])
def test_sad_faces_alone_get_kindness_and_a_person_not_a_topic_menu(text):
    earlier_miss = user_event("flurb", "nlu_fallback")
    [message], _ = run(ActionHandleFallback(), tracker_for(earlier_miss, user_event(text, "nlu_fallback")))
    assert message["response"] == "utter_sorry_things_are_hard"
    assert [button["payload"] for button in message["buttons"]] == ["/ask_human"]


@pytest.mark.parametrize("text", ["\U0001F914\U0001F914", "\U0001F622 how long does it last", "\U0001F600", ":("])
def test_other_emoji_or_words_with_a_sad_face_are_read_as_usual(text):
    [message], _ = run(ActionHandleFallback(), tracker_for(user_event(text, "nlu_fallback")))
    assert message["response"] == "utter_offer_topics"


@pytest.mark.parametrize("text", ["i'm scared honestly. i haven't left the house much since the assault. i don't know if "
                                  "i can do this", "sorry im just really nervous about all of this",
                                  "i dont know if i can go through with it"])
def test_a_fear_told_without_a_question_gets_told_it_makes_sense_not_a_topic_menu(text):
    [message], _ = run(ActionHandleFallback(), tracker_for(user_event(text, "nlu_fallback")))
    assert message["response"] == "utter_fear_makes_sense"
    assert [button["payload"] for button in message["buttons"]] == ["/ask_what_to_expect", "/ask_human"]


@pytest.mark.parametrize("text", ["is it scary", "my dog is afraid of storms lol", "nervous system stuff?"])
def test_fear_words_that_tell_no_fear_of_ones_own_get_the_topics(text):
    [message], _ = run(ActionHandleFallback(), tracker_for(user_event(text, "nlu_fallback")))
    assert message["response"] == "utter_offer_topics"


def test_out_of_scope_once_gets_its_own_answer():
    tracker = tracker_for(user_event("weather?", "out_of_scope"))
    assert run(ActionHandleFallback(), tracker)[0][0]["response"] == "utter_out_of_scope"


def test_a_new_session_keeps_the_staff_flags_and_drops_the_answers_of_an_earlier_booking():
    earlier = {"crisis_flagged": True, "booking_reference": "KC-7QH2MX", "first_name": "Maria",
               "phone_number": "+17025550143", "contact_time": "mornings", "requested_slot": "preferred_location"}
    _, events = run(ActionSessionStart(), tracker_for(slots=earlier))
    carried = {event["name"]: event["value"] for event in events if isinstance(event, dict) and event.get("event") == "slot"}
    assert carried["crisis_flagged"] is True and carried["booking_reference"] == "KC-7QH2MX"
    assert not {"first_name", "phone_number", "contact_time", "requested_slot"} & set(carried)
