"""A `location` is only ever one of the clinic's locations or a town the profile lists beside it."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.message import Message

from bot.clinic.profile import clinic_profile
from bot.nlu.location_entities import ProfileLocationExtractor
from tests.conftest import MODEL_PATH

PROFILE = clinic_profile()
QUESTION_OPENERS = [
    "Who is supervising the infusion?", "Are there any side effects?", "Will I be able to drive home?",
    "Can I keep taking my meds?", "Is it safe?", "Do you take insurance?", "Where are you located?",
    "How long is a session?", "What should I bring?", "Does it hurt?", "When will I feel better?",
    "Should I eat before?", "Could my husband come with me?", "May I bring a friend?", "Why ketamine?",
    "Which location is closest to me?", "CAN KIDS GET IT?", "Ca you help me", "Nevermind",
]


def locations(extractor: ProfileLocationExtractor, text: str):
    message = Message.build(text=text)
    extractor.process([message])
    return [(entity["value"], text[entity["start"]:entity["end"]]) for entity in message.get("entities", [])]


@pytest.fixture(scope="module")
def extractor() -> ProfileLocationExtractor:
    return ProfileLocationExtractor(PROFILE)


@pytest.mark.parametrize("text, expected", [
    ("is there one in henderson?", [("las_vegas", "henderson")]),
    ("I live in North  Las Vegas", [("las_vegas", "North  Las Vegas")]),
    ("closest to Rancho Cucamonga or Upland", [("upland", "Rancho Cucamonga"), ("upland", "Upland")]),
    ("vegas!", [("las_vegas", "vegas")]),
    ("we're in Phoenix", []),
    ("Las Vegasville", []),
])
def test_profile_towns_and_nothing_else_become_locations(extractor, text, expected):
    assert locations(extractor, text) == expected


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(MODEL_PATH))


@pytest.mark.parametrize("question", QUESTION_OPENERS)
def test_question_openers_never_become_a_location_in_the_trained_model(agent, question):
    parsed = asyncio.run(agent.parse_message(question))
    assert [entity for entity in parsed["entities"] if entity["entity"] == "location"] == []


def test_the_trained_model_names_the_location_a_visitor_means(agent):
    parsed = asyncio.run(agent.parse_message("do you have an office near summerlin?"))
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [("location", "las_vegas")]
