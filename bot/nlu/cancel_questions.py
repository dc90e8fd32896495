"""Questions the classifier took for "never mind" ("what if he doesnt want to go", asked by a parent in the middle of
booking for a son): inside the booking form, `cancel` stops it and nothing is sent, so the question lost the booking.

The `cancel` examples are requests ("never mind", "stop", "forget it"), not questions, so a question read as one that
names no stopping, cancelling or putting off is given the classifier's next guess instead, and the fallback
classifier after this decides whether that is sure enough to answer. Teaching the classifier was not tried: every
retraining moves dozens of held-out questions and a few blind-round crises (see `callback_requests.py`).
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

from bot.nlu.safety_rules import reads_as_question

CANCEL = "cancel"
# A question that says any of these is about stopping ("can i cancel later?", "how do i end my plan?"): it stays.
STOPPING = re.compile(
    r"\b(cancel\w*|stop\w*|quit\w*|end|ending|never ?mind|nvm|forget|call (it )?off|reschedul\w*|postpone\w*|"
    r"unsubscribe|opt out|membership|subscription|change my mind|not now|later|another time|back out)\b",
    re.IGNORECASE)


def question_not_about_stopping(text: str) -> bool:
    """Read as a question by the safety rules' own test, and naming nothing of stopping."""
    plain = " ".join(text.lower().split())
    return reads_as_question(plain) and not STOPPING.search(plain)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CancelQuestionReader(GraphComponent):
    """After the classifier: a question it read as `cancel` that is not about stopping gets its next guess."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CancelQuestionReader":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) == CANCEL and question_not_about_stopping(message.get(TEXT) or ""):
                ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or []
                           if entry.get(INTENT_NAME_KEY) != CANCEL]
                if ranking:
                    message.set(INTENT, ranking[0], add_to_output=True)
                    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
