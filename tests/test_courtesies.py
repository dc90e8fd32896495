"""A greeting or thanks around a question is set aside for the intent classifier; a courtesy alone is kept."""
from __future__ import annotations

import pytest

from bot.nlu.courtesies import without_courtesies


@pytest.mark.parametrize("text, question", [
    ("Hi, do you take insurance?", "do you take insurance?"),
    ("Hi. Where are you located?", "Where are you located?"),
    ("hello! how many sessions will I need", "how many sessions will I need"),
    ("Hey there, what are the side effects?", "what are the side effects?"),
    ("Good morning. Is ketamine safe?", "Is ketamine safe?"),
    ("👋 hi, how much is it", "how much is it"),
    ("where is your office? thanks", "where is your office?"),
    ("how much does it cost, thank you!", "how much does it cost"),
    ("Is ketamine safe? Thanks in advance", "Is ketamine safe?"),
    ("hi, can I drive home after? thx", "can I drive home after?"),
    ("thank u. will they talk to me about how to get him to go?", "will they talk to me about how to get him to go?"),
    ("ok thanks! how long is each session", "how long is each session"),
])
def test_a_question_wrapped_in_courtesies_is_read_without_them(text, question):
    assert without_courtesies(text) == question


@pytest.mark.parametrize("text", [
    "hi", "hey there", "hello hello", "good evening", "hi klarity",
    "thanks", "ok thanks", "no thank you", "thank you so much",
    "history of ptsd", "highly anxious about it", "they said thank you",
    "what does tia mean", "heyyy", "Thanks. That helps a lot", "thanks, bye",
])
def test_a_courtesy_alone_or_a_word_that_only_starts_like_one_is_kept(text):
    assert without_courtesies(text) == text
