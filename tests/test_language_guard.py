"""A message in another language gets no guess from the English classifier, and English never looks foreign."""
from __future__ import annotations

import pytest

from bot.actions import fallback
from bot.nlu import language_guard
from bot.nlu.language_guard import written_in_another_language


@pytest.mark.parametrize("text", [
    "¿Cuánto cuesta el tratamiento con ketamina?", "cuanto cuesta", "tienen citas para el sabado?",
    "quiero una cita por favor", "Est-ce que vous parlez français?", "Wie viel kostet das?",
    "这个治疗安全吗", "Какие побочные эффекты?", "هل العلاج آمن؟",
    "Mein Sohn hat PTBS, kann Ketamin ihm helfen?", "meu filho tem TEPT, a cetamina ajuda?",
])
def test_other_languages_are_recognised(text):
    assert written_in_another_language(text)


@pytest.mark.parametrize("text", [
    "is it 30 mi from LA", "my son is in las vegas, is it safe", "can i come at 5 est", "hi hi", "um hi?",
    "my name is Maria de la Luz", "José", "Upland", "ok", "😀😀", "12345", "", "Do you accept Tricare?",
    "Is ketamine (la 'K') the same as the street drug?",
])
def test_english_names_and_symbols_are_not(text):
    assert not written_in_another_language(text)


def test_the_action_server_reads_the_flag_the_guard_sets():
    assert fallback.OTHER_LANGUAGE == language_guard.OTHER_LANGUAGE
