"""A question the classifier took for "never mind" keeps the booking going unless it is about stopping."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.cancel_questions import CancelQuestionReader, question_not_about_stopping


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
    (processed,) = CancelQuestionReader().process([message])
    return processed


def test_a_question_read_as_cancel_gets_the_next_guess_and_cancel_leaves_the_ranking():
    message = parsed("what if he doesnt want to go", [("cancel", 0.52), ("crisis", 0.23), ("ask_treatment_plan", 0.07)])
    assert message.get(INTENT)["name"] == "crisis"
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == ["crisis", "ask_treatment_plan"]


def test_a_request_to_stop_stays_cancel():
    message = parsed("nvm", [("cancel", 0.9), ("goodbye", 0.05)])
    assert message.get(INTENT)["name"] == "cancel"
