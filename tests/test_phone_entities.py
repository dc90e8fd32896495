"""A `phone_number` is extracted wherever a valid number is written, and nowhere else: booking rules depend on it."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.phone_entities import PhoneNumberExtractor


def phone_numbers(text: str):
    message = Message.build(text=text)
    PhoneNumberExtractor().process([message])
    return [(entity["value"], text[entity["start"]:entity["end"]]) for entity in message.get("entities", [])]


@pytest.mark.parametrize("text, expected", [
    ("my number is 702 555 0143, please call me", [("+17025550143", "702 555 0143")]),
    ("(909) 555-0187", [("+19095550187", "(909) 555-0187")]),
    ("txt me 7025550178 pls", [("+17025550178", "7025550178")]),
    ("+1 702-555-0199 after 5", [("+17025550199", "+1 702-555-0199")]),
    ("Priya, 702.555.0166", [("+17025550166", "702.555.0166")]),
    ("home 702 555 0143 or cell 909-555-0112", [("+17025550143", "702 555 0143"), ("+19095550112", "909-555-0112")]),
    ("work line 702-555-0143 ext 2214, ask for me", [("+17025550143;ext=2214", "702-555-0143 ext 2214")]),
    ("seven oh two, five five five, oh one four three", [("+17025550143", "seven oh two, five five five, oh one four three")]),
    ("its 702 five five five zero one eight seven thx", [("+17025550187", "702 five five five zero one eight seven")]),
    ("Nine Oh Nine Double Five Five Zero One One Two", [("+19095550112", "Nine Oh Nine Double Five Five Zero One One Two")]),
])
def test_numbers_written_the_usual_ways_are_found_in_e164(text, expected):
    assert phone_numbers(text) == expected


@pytest.mark.parametrize("text", [
    "I took 3 sessions of 0.5 mg/kg in 2021",
    "is it 400 dollars per session",
    "my zip is 89123",
    "I was deployed 2004-2006 and 2009",
    "12",
    "hmm",
    "555-0143",
    "one two three four five six seven",
    "i had two or three sessions, one in may and one in june",
    "oh ok, one more question",
])
def test_doses_prices_years_and_fragments_are_not_phone_numbers(text):
    assert phone_numbers(text) == []
