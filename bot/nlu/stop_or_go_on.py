"""What the classifier makes of stopping and going on with a booking, where it is wrong; inside the booking form,
`cancel` stops it and nothing is sent.

- A question it took for "never mind" ("what if he doesnt want to go", asked by a parent in the middle of booking for
  a son) lost the booking. The `cancel` examples are requests ("never mind", "stop", "forget it"), not questions, so a
  question read as one that names no stopping, cancelling or putting off gets the classifier's next guess, and the
  fallback classifier after this decides whether that is sure enough to answer.
- A request to go on ("lets finish the booking" read as `cancel` at 0.80; "no im not in crisis, just sad. can we keep
  going with the booking" read as a crisis, then nothing) is a booking: the form resumes with the answers it has.
- A no that says stop ("no. stop", read as `deny`) is `cancel`: at the name question a no only asks again.

Teaching the classifier was not tried: every retraining moves dozens of held-out questions and a few blind-round
crises (see `callback_requests.py`). The safety stage after this reads the risk classifier's own scores, so no reading
here can hide a crisis.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_reading import read_as
from bot.nlu.safety_rules import reads_as_question

CANCEL, BOOKING, DENY = "cancel", "book_appointment", "deny"
# A question that says any of these is about stopping ("can i cancel later?", "how do i end my plan?"): it stays.
STOPPING = re.compile(
    r"\b(cancel\w*|stop\w*|quit\w*|end|ending|never ?mind|nvm|forget|call (it )?off|reschedul\w*|postpone\w*|"
    r"unsubscribe|opt out|membership|subscription|change my mind|not now|later|another time|back out)\b",
    re.IGNORECASE)
# Going on with the booking, said of the booking ("can we keep going with the booking", "lets finish the booking").
GO_ON_WITH_BOOKING = re.compile(
    r"\b(finish|continue|keep going|carry on|go on|resume|get back to|pick up|complete|proceed)( (with|on))? "
    r"(the |my |this |our )?(booking|consult(ation)?|appointment|request|form)\b|"
    # ...or the call back still wanted, after the crisis reply or a "never mind" stopped the form ("i still want them
    # to call me", "i do want the call", "ok send it").
    r"\bi (still|do|really) (want|need) (them|you|someone|the team|u) to call (me|us)\b|"
    r"\bi (still |do |really )?want the (call|consult(ation)?)\b|"
    r"\b(please |pls |ok |okay |just )?send (it|the request)\b", re.IGNORECASE)
# Going on said after taking a stop back ("ok actually nvm the nvm lol. lets do it"), where it was read as cancel.
GO_ON_AT_LAST = re.compile(r"\b(let'?s|lets) (do|book) (it|this|that)\W*$|\bi'?m ready( now)?\W*$", re.IGNORECASE)
# Something to pass on to the team ("pls tell them her son booked it so shes not confused"), read as cancel: the
# booking keeps it as a note (bot/actions/call_notes.py).
PASSED_ON = re.compile(r"\b(tell|let) (them|the team|whoever calls)\b|\badd (a |this as a |it as a )?note\b|"
                       r"\bnote (that|:)", re.IGNORECASE)
# A no that says stop: "no. stop", "nope, quit".
NO_STOP = re.compile(r"^\W*(no|nope|nah)\W+(stop|quit|cancel( it)?|forget it|enough)\W*$", re.IGNORECASE)


def question_not_about_stopping(text: str) -> bool:
    """Read as a question by the safety rules' own test, and naming nothing of stopping."""
    plain = " ".join(text.lower().split())
    return reads_as_question(plain) and not STOPPING.search(plain)


def goes_on_with_the_booking(text: str, intent: str) -> bool:
    return bool(GO_ON_WITH_BOOKING.search(text)) or intent == CANCEL and bool(GO_ON_AT_LAST.search(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class StopOrGoOnReader(GraphComponent):
    """After the classifier: going on with a booking is a booking, a no that says stop is cancel, and a question or
    something to pass on that it read as `cancel`, and that is not about stopping, gets its next guess."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "StopOrGoOnReader":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            text = message.get(TEXT) or ""
            if goes_on_with_the_booking(text, intent):
                read_as(message, BOOKING)
            elif intent == DENY and NO_STOP.match(text):
                read_as(message, CANCEL)
            elif intent == CANCEL and (question_not_about_stopping(text)
                                       or PASSED_ON.search(text) and not STOPPING.search(text)):
                ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or []
                           if entry.get(INTENT_NAME_KEY) != CANCEL]
                if ranking:
                    message.set(INTENT, ranking[0], add_to_output=True)
                    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

