"""Greetings and thanks wrapped around a question: "Hi, where are you located?", "how much is it? thanks", "thank u.
will they talk to me about it?".

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
# Thanks for the last answer, then the next question ("thank u. will they talk to me about how to get him to go?").
THANKS_FIRST = re.compile(
    r"^\W*(?:ok(?:ay)?\s+)?(?:thanks|thank\s+(?:you|u)|thx|ty)(?:\s+(?:so\s+much|a\s+lot))?\s*[.!,;:-]+\s*",
    re.IGNORECASE,
)
THANKS = re.compile(
    r"[\s,;:-]*\b(?:thanks|thank\s+you|thx|ty|tia)(?:\s+(?:so\s+much|a\s+lot|in\s+advance|for\s+your\s+help))?\W*$",
    re.IGNORECASE,
)
# Thanks before the rest are set aside only where the rest asks something ("thanks. that helps a lot" is thanks).
ASKS = re.compile(r"\?|^\W*(?:what|how|why|when|where|who|which|can|could|would|will|does|do|did|is|are|should)\b",
                  re.IGNORECASE)
WORD = re.compile(r"\w+")
# What is left must still say something: "hi there" or "ok thanks" stay as they are.
MIN_WORDS_LEFT = 3


def without_courtesies(text: str) -> str:
    """The text without a greeting or thanks before it or thanks after it, if at least a short sentence is left."""
    core = GREETING.sub("", text, count=1)
    after_thanks = THANKS_FIRST.sub("", core, count=1)
    if after_thanks != core and ASKS.search(after_thanks):
        core = after_thanks
    core = THANKS.sub("", core, count=1)
    return core if len(WORD.findall(core)) >= MIN_WORDS_LEFT else text
