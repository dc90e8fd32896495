"""Requests to be called ("can someone call me tomorrow after 5", "call me back pls"): the booking form is the clinic's
call back, but the classifier read them as questions about the phone line (`ask_contact`, "You can reach the clinic
at ...") or asking for a person, and the name and number the visitor typed next were lost.

Teaching the classifier instead (18 examples, 2026-12-07) answered them, but the retraining took held-out real
questions from 80.0% to 78.2% right and lost 4 and 3 crises on the blind safety rounds, so the request forms are read
here, after the classifier, and only where it saw a question about contact or a person. Questions about call backs
("how soon will someone call me back?", "will you call me before my appointment?") stay questions, and a crisis or
emergency is never read as a booking (the safety stage after this reads the risk classifier's own scores anyway).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_reading import read_as

BOOKING = "book_appointment"
# A time to be called given again ("no, call me in the evening instead", "can they call after 6 instead"): a detail of
# the booking, which the form's consent question takes as a new time (bot/actions/booking.py). A request to be called
# comes first ("call me tomorrow instead" starts a booking where none is under way).
DETAIL = "inform"
# What the classifier makes of a request to be called; anything else stands: a crisis, a question about aftercare,
# and a bare detail (`inform`), which at the booking's time question is the answer ("call me after 5").
READ_AS_CONTACT = frozenset({"ask_contact", "ask_human"})
CALLER = (r"(?:you|u|someone|somebody|anyone|one of you|a nurse|a doctor|the doctor|a person|a real person|the team|"
          r"your team|the clinic|someone from (?:the|your) (?:clinic|office|team))(?: guys)?")
CALL = r"(?:call|ring|phone)"
CALLBACK_REQUEST = re.compile(
    rf"\b(?:can|could|would) {CALLER} (?:please |pls )?{CALL} (?:me|us|my \w+)\b|"
    rf"\b(?:please|pls|plz) {CALL} me\b|\b{CALL} me(?: back)? (?:please|pls|plz|asap)\b|"
    rf"^\W*(?:(?:ok|okay|so|yes|yeah),? )?{CALL} me(?: back)?(?=\W*$|\s+(?:back|tomorrow|tmrw|tmr|today|tonight|this|"
    rf"after|before|at|around|when|in|on|later|about|re)\b)|"
    rf"\b(?:have|get) {CALLER} (?:to )?{CALL} (?:me|us)\b|"
    r"\b(?:i'?d (?:just |really )?like|i would like|i (?:just |really |only )?(?:want|need)|can i get|could i get|"
    r"can i have|could i have) "
    r"(?:a |an |someone to |somebody to |you to |u to )?(?:phone call|call ?back|call|ring)\b|"
    r"\bgive me a (?:call|ring)\b", re.IGNORECASE)
# A question about call backs rather than a request for one.
ABOUT_CALLBACKS = re.compile(
    r"\b(?:how (?:soon|long|fast|quickly)|when (?:will|do|does|would|can)|what time|why|did (?:you|u|someone|anyone)|"
    r"will (?:you|u|someone|somebody|anyone|they))\b", re.IGNORECASE)

# A call at another time than the one given: a call word, a time, and a word that changes it.
CALL_AT_ANOTHER_TIME = re.compile(
    rf"(?=.*\b{CALL}\b)(?=.*\b(?:instead|rather|better|actually|prefer)\b)"
    r"(?=.*(?:\d|\b(?:mornings?|afternoons?|evenings?|nights?|tonight|noon|lunch|tomorrow|tmrw|weekdays?|weekends?|"
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?s?|after|before|later)\b))", re.IGNORECASE)
# A question about when the visitor should call ("is it better to call in the morning?").
ABOUT_CALLING = re.compile(r"^\W*(?:is|are|should|do|does|can i|could i|when|what|where|how)\b", re.IGNORECASE)


def asks_to_be_called(text: str) -> bool:
    return bool(CALLBACK_REQUEST.search(text)) and not ABOUT_CALLBACKS.search(text)


def asks_to_be_called_at_another_time(text: str) -> bool:
    return bool(CALL_AT_ANOTHER_TIME.match(text)) and not ABOUT_CALLBACKS.search(text) and not ABOUT_CALLING.match(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CallbackRequestReader(GraphComponent):
    """After the classifier: a request to be called that it read as contact or a person is a booking, and one to be
    called at another time is a detail of the booking."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CallbackRequestReader":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) not in READ_AS_CONTACT:
                continue
            text = message.get(TEXT) or ""
            if asks_to_be_called(text):
                read_as(message, BOOKING)
            elif asks_to_be_called_at_another_time(text):
                read_as(message, DETAIL)
        return messages

