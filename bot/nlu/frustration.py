"""Frustration with the assistant ("ur not helpful lol", "this bot is useless"), which the classifier read as thanks
("You're welcome.") or a no: the writer wants a person, so it is `ask_human`, whose answer gives the clinic's line.

Read after the classifier, and only where it saw no question of the clinic's topics: "is ketamine not helpful for
some people?" is a question, and the subject must be the assistant ("you", "this bot").
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_reading import read_as

HUMAN = "ask_human"
# What the classifier made of it: anything but a question about the clinic's topics, a safety intent, or
# `out_of_scope`, whose answer ("that's outside what I can help with ... call") fits too and is how a real-question
# set labels one such message.
MISREAD_AS = frozenset({"thank", "deny", "affirm", "goodbye", "greet", "inform", "unsure", "nlu_fallback",
                        "bot_challenge"})
ASSISTANT = r"(?:you|u|ur|you'?re|youre|this (?:bot|chat|thing|app)|the bot|chatbot)"
FRUSTRATION = re.compile(
    rf"\b{ASSISTANT}(?: are| r| is|'re|'s)? (?:\w+ )?(?:not|isn'?t|aren'?t|no) "
    r"(?:very |really |that |much |of any |any )?(?:help(?:ful)?|use)\b|"
    rf"\b{ASSISTANT}(?: are| r| is|'re|'s)? (?:so |really |fucking |totally |completely )?"
    r"(?:useless|stupid|dumb|worthless|pointless)\b|"
    r"\bwaste of (?:my )?time\b|\b(?:you'?re|ur|youre|you are) not listening\b", re.IGNORECASE)


def frustrated_with_the_assistant(text: str) -> bool:
    return bool(FRUSTRATION.search(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FrustrationReader(GraphComponent):
    """After the classifier: frustration with the assistant, read as anything but a question, is asking for a
    person."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FrustrationReader":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent in MISREAD_AS and frustrated_with_the_assistant(message.get(TEXT) or ""):
                read_as(message, HUMAN)
        return messages
