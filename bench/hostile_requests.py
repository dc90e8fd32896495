"""Malformed and hostile requests to the REST channel, as a fuzzer or an attacker would send them, for `make soak`.

Each request is (kind, body bytes). The kinds cover what issue 12 found: bodies that are not JSON objects, wrong
types, lone surrogates, oversized metadata, a client-chosen channel, typed intents with entities, and very long
messages (100 kB of prose, 100,000 emoji), besides text a real visitor might send in any language or markup.
"""
from __future__ import annotations

import json
import random
from typing import Callable, Dict, Iterator, List, Tuple

HostileRequest = Tuple[str, bytes]
PROSE = "I have had nightmares since the accident and I want to know if ketamine could help me sleep again. "
VISITOR_TEXTS = [
    "<script>alert('x')</script> is ketamine safe?", "¿La ketamina ayuda con el TEPT?", "氯胺酮治疗安全吗",
    "هل الكيتامين آمن", "😭😭😭", "🙏 help", "   ", "a" * 3000, "null", "\u0000\u0001\u0002", "DROP TABLE events;--",
    "=HYPERLINK(\"http://x\")", "\u202eevil", "ok", "?", "how much does it cost", "/greet", "/ask_side_effects",
]


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def _message(sender: str, text: str, **extra: object) -> bytes:
    return _json({"sender": sender, "message": text, **extra})


def _generators(rng: random.Random) -> Dict[str, Callable[[str], bytes]]:
    return {
        "not JSON": lambda sender: bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200))),
        "JSON, not an object": lambda sender: rng.choice([b"null", b"[]", b"123", b'"text"', b"true", b"{}"]),
        "message of the wrong type": lambda sender: _json(
            {"sender": sender, "message": rng.choice([42, ["a"], {"text": "hi"}, None, 1.5, True])}),
        "sender of the wrong type": lambda sender: _json({"sender": rng.choice([1, [], {}]), "message": "hi"}),
        "lone surrogates": lambda sender: (
            b'{"sender": "' + sender.encode() + b'", "message": "hi \\ud800 there \\udfff"}'),
        "invalid UTF-8": lambda sender: b'{"sender": "' + sender.encode() + b'", "message": "\xff\xfe\xc3"}',
        "metadata over 2 kB": lambda sender: _message(sender, "hello", metadata={"pad": "x" * 5000}),
        "metadata not an object": lambda sender: _message(sender, "hello", metadata="x"),
        "deeply nested metadata": lambda sender: (
            b'{"sender": "' + sender.encode() + b'", "message": "hi", "metadata": ' + b'{"a":' * 500 + b"1"
            + b"}" * 500 + b"}"),
        "client-chosen channel": lambda sender: _message(sender, "hello", input_channel="twilio"),
        "typed intent with entities": lambda sender: _message(
            sender, '/inform{"phone_number": "+17025550199", "first_name": "=cmd|x"}'),
        "visitor text": lambda sender: _message(sender, rng.choice(VISITOR_TEXTS)),
        "8,000 emoji": lambda sender: _message(sender, "😀" * 8000),
    }


def hostile_requests(count: int, senders: List[str], seed: int = 12) -> Iterator[HostileRequest]:
    """`count` requests drawn evenly from every kind, plus the two heaviest messages twice each, in shuffled order."""
    rng = random.Random(seed)
    generators = _generators(rng)
    kinds = list(generators)
    heavy: List[HostileRequest] = [("100 kB of prose", _message(senders[0], PROSE * 1000)),
                                   ("100,000 emoji", _message(senders[1 % len(senders)], "😀" * 100_000))] * 2
    plan = [kinds[index % len(kinds)] for index in range(max(count - len(heavy), 0))]
    rng.shuffle(plan)
    positions = {round(len(plan) * share) for share in (0.2, 0.4, 0.6, 0.8)}
    for index, kind in enumerate(plan):
        if index in positions and heavy:
            yield heavy.pop()
        yield kind, generators[kind](rng.choice(senders))
    yield from heavy
