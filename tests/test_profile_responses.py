"""The Rasa server renders clinic facts and crisis lines from the profile, with no slot set by any action."""
from __future__ import annotations

import asyncio
import string

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.clinic.profile import clinic_profile
from bot.nlg.profile_responses import ProfileResponses
from tests.conftest import PROJECT_ROOT

DOMAIN = Domain.load(PROJECT_ROOT / "domain.yml")
NATIONAL_LINES = {"utter_crisis": ("988", "838255", "741741", "HOME", "911"),
                  "utter_medical_emergency": ("911", "1-800-222-1222", "988")}


def rendered(response: str, channel: str) -> str:
    tracker = DialogueStateTracker("no-session-start", DOMAIN.slots)
    generated = asyncio.run(ProfileResponses(domain=DOMAIN).generate(response, tracker, channel))
    return generated["text"]


@pytest.mark.parametrize("channel", ["rest", "twilio"])
@pytest.mark.parametrize("response", sorted(NATIONAL_LINES))
def test_safety_replies_carry_the_national_lines_in_a_tracker_without_slots(response, channel):
    text = rendered(response, channel)
    assert all(number in text for number in NATIONAL_LINES[response]), text


def placeholders(response: str) -> set:
    return {name for variation in DOMAIN.responses[response]
            for _, name, _, _ in string.Formatter().parse(variation.get("text", "")) if name}


# Responses an action fills with its own values (a location, a reference) are the actions' to render.
PROFILE_ONLY = sorted(name for name in DOMAIN.responses
                      if placeholders(name) <= set(clinic_profile().response_values()))


@pytest.mark.parametrize("response", PROFILE_ONLY)
def test_no_response_renders_none_in_a_tracker_without_slots(response):
    text = rendered(response, "rest") or ""
    assert "None" not in text and "{" not in text


def test_the_clinic_phone_comes_from_the_profile():
    assert clinic_profile().main_phone in rendered("utter_ask_cost", "rest")


def answer_to(intent: str, confidence: float, response: str, channel: str = "rest", text: str = "is it ok") -> dict:
    """The response as rendered right after a message the classifier read as `intent`, runners-up below it."""
    ranking = [{"name": intent, "confidence": confidence}, {"name": "ask_cost", "confidence": 0.25},
               {"name": "greet", "confidence": 0.1}, {"name": "ask_safety", "confidence": 0.05}]
    tracker = DialogueStateTracker("answer", DOMAIN.slots)
    tracker.update(UserUttered(text, parse_data={"intent": ranking[0], "intent_ranking": ranking}))
    return asyncio.run(ProfileResponses(domain=DOMAIN).generate(response, tracker, channel))


def payloads(generated: dict) -> list:
    return [button["payload"] for button in generated.get("buttons") or []]


def test_an_unsure_answer_offers_the_runners_up_after_its_own_buttons():
    unsure = answer_to("ask_side_effects", 0.4, "utter_ask_side_effects")
    own = payloads(answer_to("ask_side_effects", 0.95, "utter_ask_side_effects"))
    assert payloads(unsure) == [*own, "/ask_cost", "/ask_safety"]
    assert {"title": "Cost and insurance", "payload": "/ask_cost"} in unsure["buttons"]


def test_a_runner_up_the_answer_already_offers_is_not_offered_twice():
    """utter_ask_safety's own buttons include side effects; the next runner-up takes its place."""
    ranking = [{"name": "ask_safety", "confidence": 0.4}, {"name": "ask_side_effects", "confidence": 0.3},
               {"name": "ask_cost", "confidence": 0.2}, {"name": "ask_what_to_expect", "confidence": 0.1}]
    tracker = DialogueStateTracker("answer", DOMAIN.slots)
    tracker.update(UserUttered("is it safe", parse_data={"intent": ranking[0], "intent_ranking": ranking}))
    offered = payloads(asyncio.run(ProfileResponses(domain=DOMAIN).generate("utter_ask_safety", tracker, "rest")))
    assert offered.count("/ask_side_effects") == 1 and offered[-2:] == ["/ask_cost", "/ask_what_to_expect"]


def test_a_generator_made_before_the_domain_is_loaded_offers_the_runners_up_once_given_the_responses():
    """`rasa run` creates the generator with an empty domain and sets its responses when the model is loaded."""
    generator = ProfileResponses()
    generator.responses = DOMAIN.responses
    ranking = [{"name": "ask_side_effects", "confidence": 0.5}, {"name": "ask_cost", "confidence": 0.4}]
    tracker = DialogueStateTracker("answer", DOMAIN.slots)
    tracker.update(UserUttered("cost and side effects", parse_data={"intent": ranking[0], "intent_ranking": ranking}))
    generated = asyncio.run(generator.generate("utter_ask_side_effects", tracker, "rest"))
    assert "/ask_cost" in payloads(generated)


def test_a_sure_answer_or_another_response_gets_no_runners_up():
    assert "/ask_cost" not in payloads(answer_to("ask_side_effects", 0.95, "utter_ask_side_effects"))
    assert "/ask_cost" not in payloads(answer_to("ask_side_effects", 0.4, "utter_greet"))


def test_an_unsure_out_of_scope_answer_offers_the_likeliest_topics():
    """'Outside what I can help with' for a question the classifier half placed leaves its best guesses a tap away."""
    assert payloads(answer_to("out_of_scope", 0.5, "utter_out_of_scope")) == ["/ask_cost", "/ask_safety"]
    assert payloads(answer_to("out_of_scope", 0.95, "utter_out_of_scope")) == []


def test_an_answer_given_between_the_booking_forms_steps_does_not_offer_to_start_a_booking():
    tracker = DialogueStateTracker("answer", DOMAIN.slots)
    tracker.update(UserUttered("am i a candidate", parse_data={"intent": {"name": "ask_eligibility", "confidence": 0.95}}))
    outside = payloads(asyncio.run(ProfileResponses(domain=DOMAIN).generate("utter_ask_eligibility", tracker, "rest")))
    tracker.update(ActiveLoop("booking_form"))
    inside = payloads(asyncio.run(ProfileResponses(domain=DOMAIN).generate("utter_ask_eligibility", tracker, "rest")))
    assert "/book_appointment" in outside and "/book_appointment" not in inside
    assert inside == [payload for payload in outside if payload != "/book_appointment"]


@pytest.mark.parametrize("channel", ["rest", "twilio"])
def test_a_question_about_spravato_is_told_first_that_the_answer_is_about_iv_ketamine(channel):
    question = ("ask_what_to_expect", 0.9, "utter_ask_what_to_expect", channel)
    plain = answer_to(*question)["text"]
    text = answer_to(*question, text="does ESKETAMINE get u high")["text"]
    assert text.endswith(plain)
    note = text[:-len(plain)]
    assert "esketamine" in note.lower() and "PTSD" in note and clinic_profile().main_phone in note


@pytest.mark.parametrize("channel", ["rest", "twilio"])
@pytest.mark.parametrize("intent, reply", [("nlu_fallback", "utter_offer_topics"), ("out_of_scope", "utter_out_of_scope")])
def test_a_question_about_spravato_that_no_answer_covers_is_told_what_it_is_instead_of_not_sure(intent, reply, channel):
    """"do you offer esketamine?" has no answer of its own: what it is and where to ask beats "not sure I understood",
    and the topics the reply offers stay."""
    plain = answer_to(intent, 0.3, reply, channel)
    spravato = answer_to(intent, 0.3, reply, channel, text="do u guys do the esketamine nasal spray")
    assert "Sorry" in plain["text"] and "Sorry" not in spravato["text"]
    assert "PTSD" in spravato["text"] and clinic_profile().main_phone in spravato["text"]
    assert payloads(spravato) == payloads(plain)


def test_only_the_answer_to_a_question_naming_spravato_gets_the_note():
    crisis = answer_to("crisis", 1.0, "utter_crisis", text="i want to take all my spravato at once")["text"]
    other = answer_to("ask_cost", 0.9, "utter_ask_cost", text="is it expensive")["text"]
    assert "esketamine" not in crisis.lower() and "esketamine" not in other.lower()
