"""Policies that either name the next action with certainty or abstain, leaving the turn to the RulePolicy."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_EXTRACT_SLOTS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class OneActionPolicy(Policy):
    """Predicts `_next_action` with probability 1, or nothing; its priority decides over the RulePolicy's."""

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Most such policies learn nothing from the stories; one that does overrides this."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self._next_action(tracker, domain)
        probabilities = self._default_predictions(domain)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=action is not None
                                and bool(tracker.active_loop_name) and self._outranks_the_form(tracker, action))

    def _next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        raise NotImplementedError

    def _outranks_the_form(self, tracker: DialogueStateTracker, action: Text) -> bool:
        """Whether `action` comes before an active form's next step. Rasa runs a form's next step ahead of any other
        policy's prediction unless that prediction, too, is marked as needing no user input."""
        return False


def actions_this_turn(tracker: DialogueStateTracker) -> List[Text]:
    """The names of the actions run since the latest user message, oldest first, without Rasa's slot extraction."""
    names: List[Text] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name and event.action_name != ACTION_EXTRACT_SLOTS:
            names.append(event.action_name)
    return names[::-1]
