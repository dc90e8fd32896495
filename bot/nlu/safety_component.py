"""The safety layer as a Rasa NLU component: it overrides the classifier when crisis language appears."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.safety_rules import SafetyRules

INTENT_RANKING = "intent_ranking"
SAFETY_RULE = "safety_rule"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyRuleLayer(GraphComponent):
    """Runs after the statistical classifier and before the FallbackClassifier, so a match always wins."""

    def __init__(self, rules: SafetyRules) -> None:
        self._rules = rules

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyRuleLayer":
        return cls(SafetyRules())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._override(message)
        return messages

    def _override(self, message: Message) -> None:
        match = self._rules.detect(message.get(TEXT))
        if match is None:
            return
        forced = {INTENT_NAME_KEY: match.label, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking: List[Dict[str, Optional[Any]]] = message.get(INTENT_RANKING) or []
        others = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != match.label]
        message.set(INTENT, forced, add_to_output=True)
        message.set(INTENT_RANKING, [forced, *others], add_to_output=True)
        message.set(SAFETY_RULE, {"rule": match.rule, "matched": match.matched_text}, add_to_output=True)
