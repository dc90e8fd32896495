"""Keeps very long messages away from the classifier, whose memory grows with the square of a message's length.

The classifier reads the first MAX_CLASSIFIED_CHARS; the safety stage at the end of the pipeline reads all of it.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# Longer than any question a visitor types (an SMS of ten parts is 1,530 characters).
MAX_CLASSIFIED_CHARS = 2000
FULL_TEXT = "full_text"
MESSAGE_TOO_LONG = "message_too_long"


def shortened(text: str) -> str:
    """The first MAX_CLASSIFIED_CHARS characters, cut at a space where there is one."""
    head = text[:MAX_CLASSIFIED_CHARS]
    cut = head.rfind(" ")
    return head[:cut] if cut > MAX_CLASSIFIED_CHARS // 2 else head


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MessageLengthGuard(GraphComponent):
    """The first component of the pipeline: the classifier sees a bounded text, the full one is kept aside."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageLengthGuard":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if len(text) > MAX_CLASSIFIED_CHARS:
                message.set(FULL_TEXT, text)
                message.set(TEXT, shortened(text))
        return messages
