"""Responses rendered in the Rasa server with the clinic profile's facts, whatever the action server is doing.

Every `{clinic_phone}`, `{crisis_lifeline}` and the like comes from the profile loaded in this process, so a session
that started while the action server was down, or whose slots were never filled, still reads real numbers.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.clinic.profile import clinic_profile
from bot.nlg.topics import alternatives, button_intents, topic_buttons, topic_titles


# An answer given while the booking form runs (a question between its steps) does not offer to start a booking.
START_BOOKING = "/book_appointment"
# A question naming the nasal spray is answered from articles about IV ketamine: a note says so first.
SPRAVATO = re.compile(r"\b(spravato|esketamine)\b", re.IGNORECASE)
SPRAVATO_NOTE = "utter_spravato_note"
# The first replies to a message no answer covers; to one naming Spravato, what it is and where to ask is said instead.
MISS_REPLIES = frozenset({"utter_offer_topics", "utter_out_of_scope"})
SPRAVATO_ANSWER = "utter_spravato_answer"


class ProfileResponses(TemplatedNaturalLanguageGenerator):
    """Rasa's templated responses, with the profile's values given over any slot of the same name, an answer the
    classifier was unsure of followed by the runners-up as quick replies (bot/nlg/topics.py), and an answer to a
    question about Spravato led by a note that it is another treatment (said instead of "not sure" where no answer
    covers the question)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        domain = domain or Domain.empty()
        super().__init__(domain.responses)
        self._profile_values = clinic_profile().response_values()

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        values = {**kwargs, **self._profile_values}
        response = await super().generate(utter_action, tracker, output_channel, **values)
        if response is None:
            return None
        if self._names_spravato(tracker):
            if utter_action in MISS_REPLIES:
                answer = await super().generate(SPRAVATO_ANSWER, tracker, output_channel, **values)
                if answer:
                    response["text"] = answer["text"]
            elif answers_the_latest_message(utter_action, tracker) and utter_action.startswith("utter_ask_"):
                note = await super().generate(SPRAVATO_NOTE, tracker, output_channel, **values)
                if note:
                    response["text"] = f"{note['text']}\n\n{response['text']}"
        own = response.pop("buttons", None) or []
        if tracker.active_loop_name:
            own = [button for button in own if button.get("payload") != START_BOOKING]
        buttons = [*own, *self._runner_up_buttons(utter_action, tracker, button_intents(own))]
        if buttons:
            response["buttons"] = buttons
        return response

    @staticmethod
    def _names_spravato(tracker: DialogueStateTracker) -> bool:
        message = tracker.latest_message
        return bool(message and SPRAVATO.search(message.text or ""))

    def _runner_up_buttons(self, utter_action: Text, tracker: DialogueStateTracker,
                           on_buttons: Set[Text]) -> List[Dict[Text, Text]]:
        """Quick replies for the runners-up the answer does not offer already, when this is the answer to the latest
        message's intent. Titles come from the responses as they are now: `rasa run` creates this generator before
        the model's domain is loaded, and gives it the responses afterwards."""
        if not answers_the_latest_message(utter_action, tracker):
            return []
        parsed = latest_parse(tracker)
        intent = parsed["intent"]
        titles = topic_titles((name[len("utter_"):] for name in self.responses if name.startswith("utter_")),
                              self.responses)
        ranking = [entry.get("name") for entry in parsed.get("intent_ranking", [])]
        return topic_buttons(alternatives(intent["name"], intent.get("confidence") or 0.0, ranking, titles, on_buttons),
                             titles)


def latest_parse(tracker: DialogueStateTracker) -> Dict[Text, Any]:
    return tracker.latest_message.parse_data if tracker.latest_message else {}


def answers_the_latest_message(utter_action: Text, tracker: DialogueStateTracker) -> bool:
    """Whether `utter_action` is the answer to the intent of the user's latest message (not a form's question, a
    reply to a miss, or a line added after the answer)."""
    intent = (latest_parse(tracker).get("intent") or {}).get("name")
    return bool(intent) and utter_action == f"utter_{intent}"
