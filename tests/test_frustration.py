"""Frustration with the assistant is asking for a person; questions with the same words are not."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.frustration import FrustrationReader


def read(text: str, intent: str) -> str:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.5})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.5}])
    (processed,) = FrustrationReader().process([message])
    return processed.get(INTENT)["name"]


@pytest.mark.parametrize("text, intent", [("ur not helpful lol", "thank"), ("this bot is useless", "deny"),
                                          ("you are not very helpful", "nlu_fallback"),
                                          ("what a waste of time", "nlu_fallback"), ("ur not listening", "deny"),
                                          ("you're no help at all", "thank")])
def test_frustration_with_the_assistant_asks_for_a_person(text, intent):
    assert read(text, intent) == "ask_human"


@pytest.mark.parametrize("text, intent", [("is ketamine not helpful for some people?", "ask_effectiveness"),
                                          ("is it not helpful for anxiety", "nlu_fallback"),
                                          ("thank you, that was helpful", "thank"),
                                          ("you have been so helpful", "thank"),
                                          ("ur not helpful lol", "crisis"), ("this bot is useless", "out_of_scope")])
def test_questions_praise_and_safety_readings_stay(text, intent):
    assert read(text, intent) == intent
