"""Extracts `phone_number` wherever a visitor writes a valid phone number, however they write it.

The statistical extractor missed numbers inside sentences ("my number is 702 555 0143, please call me"), so a
booking could not depend on it. phonenumbers' matcher knows the numbering plan; the value is the E.164 form.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.clinic.phones import phone_numbers_in

PHONE_NUMBER = "phone_number"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class PhoneNumberExtractor(GraphComponent, EntityExtractorMixin):
    """Adds a `phone_number` entity for every valid phone number in the message."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "PhoneNumberExtractor":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = [
                {"entity": PHONE_NUMBER, "value": e164, "start": start, "end": end, "confidence_entity": 1.0}
                for e164, start, end in phone_numbers_in(message.get(TEXT) or "")
            ]
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages
