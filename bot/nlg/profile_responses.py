"""Responses rendered in the Rasa server with the clinic profile's facts, whatever the action server is doing.

Every `{clinic_phone}`, `{crisis_lifeline}` and the like comes from the profile loaded in this process, so a session
that started while the action server was down, or whose slots were never filled, still reads real numbers.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.clinic.profile import clinic_profile


class ProfileResponses(TemplatedNaturalLanguageGenerator):
    """Rasa's templated responses, with the profile's values given over any slot of the same name."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)
        self._profile_values = clinic_profile().response_values()

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        return await super().generate(utter_action, tracker, output_channel, **{**kwargs, **self._profile_values})
