"""Extracts `location` only where a visitor names one of the clinic's locations or a town the profile lists beside it.

A statistical extractor tagged question openers ("Who", "Are", "Can") as places; this one cannot, because it only
knows the words in bot/clinic/profile.yml. The entity's value is the location's key (`las_vegas`, `upland`).
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

from bot.clinic.profile import ClinicProfile, clinic_profile

LOCATION = "location"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ProfileLocationExtractor(GraphComponent, EntityExtractorMixin):
    """Adds a `location` entity for every clinic location named in the message."""

    def __init__(self, profile: ClinicProfile) -> None:
        self._profile = profile

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ProfileLocationExtractor":
        return cls(clinic_profile())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {"entity": LOCATION, "value": location.key, "start": match.start(), "end": match.end(),
                 "confidence_entity": 1.0}
                for location, match in self._profile.named_in(text)
            ]
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages
