"""Texts that fit SMS: GSM-7 only, parts of at most 160, cut at sentence boundaries."""
from __future__ import annotations

from bot.sms.gsm7 import GSM7_BASIC, GSM7_EXTENDED, gsm7_length, numbered_choices, split_sms, to_gsm7
from bot.sms.keywords import HELP, START, STOP, carrier_keyword


def test_characters_outside_gsm7_are_replaced():
    text = to_gsm7("It\u2019s \u201cfine\u201d \u2014 really\u2026 \U0001F60A caf\u00e9 na\u00efve")
    assert text == "It's \"fine\" - really... café naive"
    assert set(text) <= GSM7_BASIC | GSM7_EXTENDED


def test_short_text_is_one_part():
    assert split_sms("Call 844-555-0100.") == ["Call 844-555-0100."]


def test_long_text_is_split_at_sentence_boundaries_within_160():
    sentences = [f"This is sentence number {n} of a long answer about side effects." for n in range(8)]
    parts = split_sms(" ".join(sentences))
    assert len(parts) > 1 and all(gsm7_length(part) <= 160 for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts) == " ".join(sentences)


def test_a_sentence_longer_than_160_is_split_between_words():
    parts = split_sms("word " * 100)
    assert all(gsm7_length(part) <= 160 for part in parts) and " ".join(parts).split() == ["word"] * 100


def test_extended_characters_count_twice():
    assert gsm7_length("{}") == 4
    assert all(gsm7_length(part) <= 160 for part in split_sms("[x] " * 60))


def test_buttons_as_numbered_choices():
    assert numbered_choices(["Yes", "No"]) == "Reply 1 for Yes, 2 for No"


def test_carrier_keywords_in_any_case_with_spaces():
    assert carrier_keyword("  Stop ") == STOP and carrier_keyword("unsubscribe") == STOP
    assert carrier_keyword("OPTOUT") == STOP and carrier_keyword("revoke") == STOP
    assert carrier_keyword("unstop") == START and carrier_keyword("Info") == HELP
    assert carrier_keyword("stop the booking") is None and carrier_keyword("help me please") is None
