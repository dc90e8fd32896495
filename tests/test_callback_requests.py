"""Requests to be called are bookings; questions about call backs, and names given as "call me Jess", are not."""
from __future__ import annotations

import pytest

from bot.nlu.callback_requests import asks_to_be_called, asks_to_be_called_at_another_time


@pytest.mark.parametrize("text", [
    "ok can someone call me tomorrow after 5", "can u call me", "please call me", "call me back", "call me tmrw pls",
    "Call me back please", "can a nurse call me this afternoon", "could someone from the clinic call my husband",
    "have someone call me", "i want a call back", "I'd like a callback", "can somebody give me a call",
    "can i get a phone call to go over things", "okay call me tomorrow", "I just want someone to call me",
])
def test_requests_to_be_called_are_read(text):
    assert asks_to_be_called(text)


@pytest.mark.parametrize("text", [
    "how soon will someone call me back", "will you call me before my appointment", "what number do i call",
    "can i call you guys tomorrow", "call me Jess", "did someone call me earlier", "why didnt anyone call me back",
    "do you call patients after infusions", "can I call and ask questions", "",
])
def test_questions_about_calls_and_names_are_not(text):
    assert not asks_to_be_called(text)


@pytest.mark.parametrize("text", ["no, call me in the evening instead", "can they call in the evening instead",
                                  "actually can you call after 6", "id rather they phone on saturday"])
def test_a_call_at_another_time_is_read(text):
    assert asks_to_be_called_at_another_time(text) and not asks_to_be_called(text)


@pytest.mark.parametrize("text", ["what number do i call instead", "how soon will they call me back instead",
                                  "id rather not get a call", "is it better to call in the morning?"])
def test_questions_and_refusals_are_no_call_at_another_time(text):
    assert not asks_to_be_called_at_another_time(text)
