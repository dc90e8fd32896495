"""Messages written in another language: the classifier knows English only, and guessed "¿Cuánto cuesta?" as out of
scope, so such a message gets no confidence (the fallback takes it) and is marked for a reply in English and Spanish
with the clinic's phone line (bot/actions/fallback.py). The safety stage after it still reads every message.

A message is in another language when most of its letters are not Latin ones (Chinese, Arabic, Cyrillic ...), or
when it has at least two common words of Spanish, French, Portuguese, German or Italian (a short list that leaves
out words English also uses, such as "las", "mi", "die" or "son"), and more of them than English function words.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, FrozenSet, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

OTHER_LANGUAGE = "other_language"
# The flag's value says why: another script (a name typed in it is still a name) or common words of another language.
OTHER_SCRIPT, OTHER_WORDS = "script", "words"
FOREIGN_WORDS: FrozenSet[str] = frozenset("""
    el los que qué por para con una está están estoy tienen tiene puedo puede cuánto cuanto cuesta cuestan cómo
    dónde donde cuándo hay usted ustedes hablan habla español quiero necesito gracias hola cita también pero muy
    tratamiento ayuda seguro
    vous nous je les des une avec combien quel quelle pas suis merci bonjour français parlez fils fille aide
    traitement
    não você vocês uma com quanto obrigado obrigada português meu minha filho filha ajuda
    ist und das nicht ich wie viel kostet bitte danke deutsch sprechen mein meine meinem sohn tochter kann hilft
    hilfe behandlung termin kosten
    sono che della questo grazie italiano mio figlio figlia aiuto trattamento
""".split())
MIN_FOREIGN_WORDS = 2
WORD = re.compile(r"[^\W\d_]+")


def other_language_reason(text: str) -> Optional[str]:
    """OTHER_SCRIPT or OTHER_WORDS for a message in another language, None for English (or no letters at all)."""
    letters = [character for character in text if character.isalpha()]
    if not letters:
        return None
    latin = sum(unicodedata.name(character, "").startswith("LATIN") for character in letters)
    if latin * 2 < len(letters):
        return OTHER_SCRIPT
    words = WORD.findall(text.lower())
    foreign = sum(word in FOREIGN_WORDS for word in words)
    english = sum(word in ENGLISH for word in words)
    return OTHER_WORDS if foreign >= MIN_FOREIGN_WORDS and foreign > english else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OtherLanguageGuard(GraphComponent):
    """Between the classifier and the fallback classifier: takes the guess's confidence away, keeps the ranking."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "OtherLanguageGuard":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reason = other_language_reason(message.get(TEXT) or "")
            if reason:
                message.set(OTHER_LANGUAGE, reason, add_to_output=True)
                if message.get(INTENT):
                    message.set(INTENT, {**message.get(INTENT), PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
        return messages
