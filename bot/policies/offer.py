"""A "yes" to an answer's closing question takes the step it offered.

An answer that ends "Want to see the treatment plan?" names in its response's metadata (domain.yml) the button a yes
stands for (`offer: "/ask_treatment_plan"`), for the channels whose variant asks. "yes", "sure" or "ok" right after
it gets what tapping that button gets (a bare "ok" does not); the rule for a yes on its own answered "Okay. Anything else?", and a visitor
who had just agreed to book lost the booking. What each button's intent leads to is learned from the rules that
answer that intent when it is asked outright.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, RULE_SNIPPET_ACTION_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.one_action import OneActionPolicy, actions_this_turn

ANSWERS_FILE = "answers.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class OfferPolicy(OneActionPolicy):
    """Outranks the RulePolicy (priority 6) only where a yes meets an offer; everywhere else it abstains."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # As in the booking's consent step, a yes counts only when it is clear: "huh" reads as affirm at 0.55. A bare
        # "ok" reads as affirm too, but mostly acknowledges the answer: it starts no booking nobody asked for.
        return {"priority": 7, "accepting_intents": ["affirm"], "min_confidence": 0.8,
                "acknowledgements": ["ok", "okay", "k", "kk", "alright", "cool", "ok cool", "got it"]}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, answers: Optional[Dict[Text, Text]] = None) -> None:
        super().__init__(config, model_storage, resource, execution_context)
        self._answers = answers or {}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        self._answers = answers_from_rules(training_trackers)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / ANSWERS_FILE).write_text(json.dumps(self._answers, sort_keys=True))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "OfferPolicy":
        try:
            with model_storage.read_from(resource) as directory:
                answers = json.loads((directory / ANSWERS_FILE).read_text())
        except (ValueError, OSError):
            answers = {}
        return cls(config, model_storage, resource, execution_context, answers)

    def _next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        message = tracker.latest_message
        if message is None or message.intent.get("name") not in self.config["accepting_intents"]:
            return None
        if (message.intent.get("confidence") or 0.0) < self.config["min_confidence"]:
            return None
        if (message.text or "").lower().strip(" .!") in self.config["acknowledgements"]:
            return None
        answer = self._answers.get(offered_intent(tracker, domain) or "")
        if answer is None:
            return None
        done = actions_this_turn(tracker)
        if not done:
            # In a form, a yes answers the form's own question.
            return None if tracker.active_loop_name else answer
        if done == [answer]:
            # A form the answer started asks its first question and listens by the rules.
            return None if tracker.active_loop_name else ACTION_LISTEN_NAME
        return None


def offered_intent(tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
    """The intent of the button that the assistant's turn before the latest message offered, if it offered one and no
    form asked its own question after it (then a yes answers the form: a question at the booking's consent step,
    answered with "Would you like to book?", then "yes" to the consent question, lost the booking)."""
    channel = tracker.get_latest_input_channel()
    for response in reversed(responses_of_previous_turn(tracker)):
        if response in domain.form_names:
            return None
        variants = domain.responses.get(response) or []
        chosen = [variant for variant in variants if variant.get("channel") == channel] or [
            variant for variant in variants if not variant.get("channel")]
        offers = {(variant.get("metadata") or {}).get("offer") for variant in chosen}
        if len(offers) == 1 and None not in offers:
            return str(offers.pop()).lstrip("/")
    return None


def responses_of_previous_turn(tracker: DialogueStateTracker) -> List[Text]:
    """The responses the assistant gave between the last two user messages, oldest first: the actions run, and the
    responses that custom actions sent."""
    names: List[Text] = []
    user_messages = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            user_messages += 1
            if user_messages == 2:
                break
        elif user_messages == 1 and isinstance(event, ActionExecuted) and event.action_name:
            names.append(event.action_name)
        elif user_messages == 1 and isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action"):
            names.append(event.metadata["utter_action"])
    return names[::-1]


def answers_from_rules(trackers: List[TrackerWithCachedStates]) -> Dict[Text, Text]:
    """Each intent's first action in the rules that answer it with no condition, where there is exactly one."""
    found: Dict[Text, set] = {}
    for tracker in trackers:
        if not tracker.is_rule_tracker:
            continue
        events = list(tracker.events)
        if len(events) < 4 or not all(isinstance(event, kind) for event, kind in zip(
                events, (ActionExecuted, ActionExecuted, UserUttered, ActionExecuted))):
            continue
        if (events[0].action_name, events[1].action_name) != (RULE_SNIPPET_ACTION_NAME, ACTION_LISTEN_NAME):
            continue
        found.setdefault(events[2].intent_name, set()).add(events[3].action_name)
    return {intent: actions.pop() for intent, actions in found.items() if len(actions) == 1}
