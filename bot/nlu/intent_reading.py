"""How the readers after the classifier (callback requests, stopping or going on) put the intent they found first."""
from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


def read_as(message: Message, name: str) -> None:
    """The message is `name` beyond doubt; the rest of the ranking stays as the classifier gave it."""
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != name]
    reading = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, reading, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [reading, *ranking], add_to_output=True)
