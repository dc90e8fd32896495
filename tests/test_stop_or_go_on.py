"""What the classifier makes of stopping and going on with a booking, read again where it is wrong."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.stop_or_go_on import StopOrGoOnReader, question_not_about_stopping


@pytest.mark.parametrize("text", ["what if he doesnt want to go", "What if she refuses to come?",
                                  "does he have to go to every session?"])
def test_questions_that_are_not_about_stopping_are_read(text):
    assert question_not_about_stopping(text)


@pytest.mark.parametrize("text", ["never mind", "stop", "forget it", "can i cancel later?",
                                  "how do i end my monthly plan", "what if i change my mind later",
                                  "can we do this another time?", "can i reschedule?", ""])
def test_requests_and_questions_about_stopping_are_not(text):
    assert not question_not_about_stopping(text)


def parsed(text: str, ranking):
    message = Message({TEXT: text})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, entries[0])
    message.set(INTENT_RANKING_KEY, entries)
    (processed,) = StopOrGoOnReader().process([message])
    return processed


def test_a_question_read_as_cancel_gets_the_next_guess_and_cancel_leaves_the_ranking():
    message = parsed("what if he doesnt want to go", [("cancel", 0.52), ("crisis", 0.23), ("ask_treatment_plan", 0.07)])
    assert message.get(INTENT)["name"] == "crisis"
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == ["crisis", "ask_treatment_plan"]


def test_a_request_to_stop_stays_cancel():
    message = parsed("nvm", [("cancel", 0.9), ("goodbye", 0.05)])
    assert message.get(INTENT)["name"] == "cancel"


@pytest.mark.parametrize("text, ranking", [
    ("lets finish the booking", [("cancel", 0.80), ("book_appointment", 0.13)]),
    ("no im not in crisis, just sad. can we keep going with the booking", [("crisis", 0.43), ("cancel", 0.30)]),
    ("ok actually nvm the nvm lol. lets do it", [("cancel", 0.58), ("crisis", 0.28)]),
    ("ok. i still want them to call me though. yes", [("crisis", 0.50), ("cancel", 0.22), ("affirm", 0.15)]),
    ("?? i said send it", [("cancel", 0.5)]), ("i changed my mind i do want the call", [("cancel", 0.6)]),
])
def test_going_on_with_the_booking_is_a_booking(text, ranking):
    assert parsed(text, ranking).get(INTENT)["name"] == "book_appointment"


@pytest.mark.parametrize("text, ranking", [("lets do it", [("affirm", 0.9)]),
                                           ("can i cancel the booking", [("cancel", 0.9)]),
                                           ("i want to stop the booking", [("cancel", 0.9)])])
def test_going_on_said_alone_or_stopping_the_booking_stays(text, ranking):
    assert parsed(text, ranking).get(INTENT)["name"] == ranking[0][0]


@pytest.mark.parametrize("text, intent", [("no. stop", "cancel"), ("nope, quit", "cancel"), ("no thanks", "deny")])
def test_a_no_that_says_stop_is_cancel(text, intent):
    assert parsed(text, [("deny", 0.55), ("cancel", 0.41)]).get(INTENT)["name"] == intent

