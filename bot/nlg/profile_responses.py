"""Responses rendered in the Rasa server with the clinic profile's facts, whatever the action server is doing.

Every `{clinic_phone}`, `{crisis_lifeline}` and the like comes from the profile loaded in this process, so a session
that started while the action server was down, or whose slots were never filled, still reads real numbers.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.clinic.profile import clinic_profile
from bot.nlg.topics import alternatives, button_intents, topic_buttons, topic_titles


# An answer given while the booking form runs (a question between its steps) does not offer to start a booking.
START_BOOKING = "/book_appointment"


class ProfileResponses(TemplatedNaturalLanguageGenerator):
    """Rasa's templated responses, with the profile's values given over any slot of the same name, and an answer
    the classifier was unsure of followed by the runners-up as quick replies (bot/nlg/topics.py)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        domain = domain or Domain.empty()
        super().__init__(domain.responses)
        self._profile_values = clinic_profile().response_values()

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        response = await super().generate(utter_action, tracker, output_channel, **{**kwargs, **self._profile_values})
        if response is None:
            return None
        own = response.pop("buttons", None) or []
        if tracker.active_loop_name:
            own = [button for button in own if button.get("payload") != START_BOOKING]
        buttons = [*own, *self._runner_up_buttons(utter_action, tracker, button_intents(own))]
        if buttons:
            response["buttons"] = buttons
        return response

    def _runner_up_buttons(self, utter_action: Text, tracker: DialogueStateTracker,
                           on_buttons: Set[Text]) -> List[Dict[Text, Text]]:
        """Quick replies for the runners-up the answer does not offer already, when this is the answer to the latest
        message's intent. Titles come from the responses as they are now: `rasa run` creates this generator before
        the model's domain is loaded, and gives it the responses afterwards."""
        parsed = tracker.latest_message.parse_data if tracker.latest_message else {}
        intent = parsed.get("intent") or {}
        if utter_action != f"utter_{intent.get('name')}":
            return []
        titles = topic_titles((name[len("utter_"):] for name in self.responses if name.startswith("utter_")),
                              self.responses)
        ranking = [entry.get("name") for entry in parsed.get("intent_ranking", [])]
        return topic_buttons(alternatives(intent["name"], intent.get("confidence") or 0.0, ranking, titles, on_buttons),
                             titles)
