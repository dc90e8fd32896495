"""Greetings and thanks wrapped around a question: "Hi, where are you located?", "how much is it? thanks".

The intent classifier reads the question without them. Left in, "hi" or "thanks" pulls a third or more of the
confidence towards `greet` or `thank`, and the visitor is offered topics instead of the answer they asked for.
"""
from __future__ import annotations

import re

GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening|day))"
    r"(?:\s+(?:there|all|everyone|team|folks|guys))?\b\W*",
    re.IGNORECASE,
)
THANKS = re.compile(
    r"[\s,;:-]*\b(?:thanks|thank\s+you|thx|ty|tia)(?:\s+(?:so\s+much|a\s+lot|in\s+advance|for\s+your\s+help))?\W*$",
    re.IGNORECASE,
)
WORD = re.compile(r"\w+")
# What is left must still say something: "hi there" or "ok thanks" stay as they are.
MIN_WORDS_LEFT = 3


def without_courtesies(text: str) -> str:
    """The text without a greeting before it or thanks after it, if at least a short sentence is left."""
    core = THANKS.sub("", GREETING.sub("", text, count=1), count=1)
    return core if len(WORD.findall(core)) >= MIN_WORDS_LEFT else text
