"""The safety stage: the last NLU component, so nothing after it can change its verdict.

It combines the deterministic rules with the classifier. The parse result's intent is `crisis` or
`medical_emergency` exactly when someone is at risk now; otherwise it is the question's own intent, and a sensitive
mention (a question about suicide, a denial, a past history) is recorded under `safety` for the answer and for staff.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.length_guard import FULL_TEXT, MESSAGE_TOO_LONG
from bot.nlu.linear_intents import CLASSIFIER_RISK
from bot.nlu.safety_patterns import CRISIS, MEDICAL, MEDICAL_EMERGENCY, SUICIDE
from bot.nlu.safety_rules import (
    AT_RISK,
    NO_CONCERN,
    ORDINARY_NEED_REASON,
    SAYS_ALL_RIGHT_REASON,
    SENSITIVE,
    TREATMENT_WORRY_REASON,
    SafetyRules,
    SafetyVerdict,
    after_effects_told,
    harm_by_someone_told,
)

INTENT_RANKING = "intent_ranking"
SAFETY = "safety"
# What is told of now after a treatment, BODY or MOOD (safety_rules.after_effects_told), where it is: bot/policies/
# safety_net.py adds the line for it.
AFTER_EFFECTS = "after_effects"
# Whether someone tells that another person hurts or threatens them (safety_rules.harm_by_someone_told), where it is:
# bot/policies/safety_net.py adds 911 and the domestic violence hotline.
HARM_TOLD = "harmed_by_someone"
NLU_FALLBACK = "nlu_fallback"
AT_RISK_INTENTS = frozenset({CRISIS, MEDICAL_EMERGENCY})
# A fear of what a session will do ("scared it will make me relive the worst night of my life") that the classifier
# took for a crisis is answered with what a session is like, and hunger or thirst it took for an emergency with what
# the clinic says of after a session, not with topics to choose from.
SIGN_ANSWERS = {TREATMENT_WORRY_REASON: "ask_what_to_expect", ORDINARY_NEED_REASON: "ask_aftercare"}
CLASSIFIER_TOPICS = {CRISIS: frozenset({SUICIDE}), MEDICAL_EMERGENCY: frozenset({MEDICAL})}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyStage(GraphComponent):
    """Decides who is at risk now, after the classifier and the fallback classifier have had their say."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # The classifier alone calls someone at risk only when crisis or emergency is its first guess with a
        # probability this high (`classifier_risk`), the rules saw no sign against it, and the message has words
        # enough to judge: fragments such as "and then"
        # or "my mom" lean on the words of emergency examples. From `sensitive_threshold` up to that, it earns the
        # gentle line. `fallback_threshold` is the FallbackClassifier's: a replacement intent below it becomes
        # nlu_fallback.
        return {"classifier_threshold": 0.4, "sensitive_threshold": 0.3, "classifier_min_words": 4,
                "fallback_threshold": 0.4}

    def __init__(self, config: Dict[str, Any], rules: SafetyRules) -> None:
        self._classifier_threshold = config["classifier_threshold"]
        self._sensitive_threshold = config["sensitive_threshold"]
        self._classifier_min_words = config["classifier_min_words"]
        self._fallback_threshold = config["fallback_threshold"]
        self._rules = rules

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyStage":
        return cls({**cls.get_default_config(), **config}, SafetyRules())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._decide(message)
        return messages

    def _decide(self, message: Message) -> None:
        full_text = message.get(FULL_TEXT)
        if full_text:
            message.set(TEXT, full_text, add_to_output=True)
            message.set(MESSAGE_TOO_LONG, True, add_to_output=True)
        ranking: List[Dict[str, Any]] = message.get(INTENT_RANKING) or []
        classifier_top = next((entry for entry in ranking if entry.get(INTENT_NAME_KEY) != NLU_FALLBACK), {})
        risk = classifier_risk(message, classifier_top)
        verdict, source = self._verdict(message.get(TEXT), *risk)
        classifier = {INTENT_NAME_KEY: classifier_top.get(INTENT_NAME_KEY),
                      PREDICTED_CONFIDENCE_KEY: classifier_top.get(PREDICTED_CONFIDENCE_KEY)}
        message.set(SAFETY, {**verdict.as_dict(), "source": source, "classifier": classifier,
                             "risk": {INTENT_NAME_KEY: risk[0], PREDICTED_CONFIDENCE_KEY: risk[1]},
                             AFTER_EFFECTS: after_effects_told(message.get(TEXT)),
                             HARM_TOLD: harm_by_someone_told(message.get(TEXT))}, add_to_output=True)
        if verdict.at_risk:
            self._force(message, ranking, verdict.label)
        elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in AT_RISK_INTENTS:
            name, confidence = self._question_intent(ranking)
            if name == NLU_FALLBACK and verdict.reason in SIGN_ANSWERS:
                name = SIGN_ANSWERS[verdict.reason]
            self._force(message, ranking, name, confidence)

    def _verdict(self, text: Optional[str], label: Optional[str], confidence: float) -> Tuple[SafetyVerdict, str]:
        """The rules' verdict where they saw anything, a sign against risk included; else a sure classifier adds
        recall and a doubtful one earns the gentle line. Where the writer says they are all right, a sure classifier
        earns only the gentle line: grief and good news read like a crisis to it, and a masked crisis still gets the
        lifeline."""
        verdict = self._rules.detect(text)
        says_all_right = verdict.reason == SAYS_ALL_RIGHT_REASON
        if verdict.level != NO_CONCERN or (verdict.reason and not says_all_right):
            return verdict, "rules"
        too_short = len((text or "").split()) < self._classifier_min_words
        if label not in AT_RISK_INTENTS or confidence < self._sensitive_threshold or too_short:
            return verdict, ""
        if confidence >= self._classifier_threshold and not says_all_right:
            return SafetyVerdict(AT_RISK, label, "classifier", topics=CLASSIFIER_TOPICS[label]), "classifier"
        return SafetyVerdict(SENSITIVE, topics=CLASSIFIER_TOPICS[label], reason="classifier"), "classifier"

    def _question_intent(self, ranking: List[Dict[str, Any]]) -> Tuple[str, float]:
        """The most likely intent that is not a safety one, or nlu_fallback when it is too unsure."""
        for entry in ranking:
            name = entry.get(INTENT_NAME_KEY)
            if name in AT_RISK_INTENTS or name == NLU_FALLBACK:
                continue
            confidence = entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0
            if confidence >= self._fallback_threshold:
                return name, confidence
            break
        return NLU_FALLBACK, self._fallback_threshold

    @staticmethod
    def _force(message: Message, ranking: List[Dict[str, Any]], name: str, confidence: float = 1.0) -> None:
        forced = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        others = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, forced, add_to_output=True)
        message.set(INTENT_RANKING, [forced, *others], add_to_output=True)


def classifier_risk(message: Message, classifier_top: Dict[str, Any]) -> Tuple[Optional[str], float]:
    """Crisis or emergency where the classifier judges one the first guess, with its probability: the risk
    classifier's own one-vs-rest probability where the classifier gives one (bot/nlu/linear_intents.py); else the
    ranking's first guess and its share, as DIET gives it."""
    risk = message.get(CLASSIFIER_RISK)
    if risk is not None:
        return risk.get(INTENT_NAME_KEY), risk.get(PREDICTED_CONFIDENCE_KEY) or 0.0
    label = classifier_top.get(INTENT_NAME_KEY)
    if label not in AT_RISK_INTENTS:
        return None, 0.0
    return label, classifier_top.get(PREDICTED_CONFIDENCE_KEY) or 0.0


def safety_of(parse_data: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The safety stage's verdict in a stored parse result; older events have none."""
    return (parse_data or {}).get(SAFETY) or {"level": NO_CONCERN, "topics": []}

