"""A message in another language gets no guess from the English classifier, and English never looks foreign."""
from __future__ import annotations

import pytest

from bot.actions import fallback
from bot.nlu import language_guard
from bot.nlu.language_guard import OTHER_SCRIPT, OTHER_WORDS, other_language_reason


@pytest.mark.parametrize("text", [
    "¿Cuánto cuesta el tratamiento con ketamina?", "cuanto cuesta", "tienen citas para el sabado?",
    "quiero una cita por favor", "Est-ce que vous parlez français?", "Wie viel kostet das?",
    "这个治疗安全吗", "Какие побочные эффекты?", "هل العلاج آمن؟",
    "Mein Sohn hat PTBS, kann Ketamin ihm helfen?", "meu filho tem TEPT, a cetamina ajuda?",
])
def test_other_languages_are_recognised(text):
    assert other_language_reason(text)


@pytest.mark.parametrize("text", [
    "is it 30 mi from LA", "my son is in las vegas, is it safe", "can i come at 5 est", "hi hi", "um hi?",
    "my name is Maria de la Luz", "José", "Upland", "ok", "😀😀", "12345", "", "Do you accept Tricare?",
    "Is ketamine (la 'K') the same as the street drug?",
])
def test_english_names_and_symbols_are_not(text):
    assert other_language_reason(text) is None


def test_a_name_in_another_script_is_told_apart_from_words_of_another_language():
    """The booking form takes "Иван" as a name but not "hablan español" (bot/actions/booking.py)."""
    assert other_language_reason("Иван") == OTHER_SCRIPT
    assert other_language_reason("hablan español") == OTHER_WORDS


def test_the_action_server_reads_the_flag_the_guard_sets():
    assert (fallback.OTHER_LANGUAGE, fallback.OTHER_WORDS) == (language_guard.OTHER_LANGUAGE, language_guard.OTHER_WORDS)
