"""A wish about the call itself is kept as a note on the request, and the rest of the message is still the answer."""
from __future__ import annotations

import pytest

from bot.actions.call_notes import CALL_QUESTION, MAX_NOTE_LENGTH, call_note_in, with_note


@pytest.mark.parametrize("text, note, rest", [
    ("909 555 0123. oh and dont leave a voicemail, my husband doesnt know", "dont leave a voicemail, my husband doesnt know",
     "909 555 0123."),
    ("sure, but tell them not to leave a msg pls", "tell them not to leave a msg pls", "sure"),
    ("mornings. could the call be in spanish? its for my mother", "could the call be in spanish?",
     "mornings. its for my mother"),
    ("Walt. Im hard of hearing so pls speak up", "Im hard of hearing so pls speak up", "Walt."),
    ("can they text me first? i get anxious on the phone", "can they text me first?", "i get anxious on the phone"),
    ("after 4 but not if my parents might pick up", "after 4 but not if my parents might pick up", ""),
    ("his cell is 909 555 0177, or try the landline 909 555 0100 if he doesnt pick up",
     "or try the landline 909 555 0100 if he doesnt pick up", "his cell is 909 555 0177"),
    ("can you tell them my daughter set this up for me", "can you tell them my daughter set this up for me", ""),
    ("can they text first? he reads my messages and gets mad", "can they text first? he reads my messages and gets mad",
     ""),
    ("no voicemail pls. 702 555 0143. she is my mom", "no voicemail pls.", "702 555 0143. she is my mom"),
])
def test_the_note_and_the_answer_are_told_apart(text, note, rest):
    assert call_note_in(text) == (note, rest)


@pytest.mark.parametrize("text", ["Maria", "its for my son marcus", "702 555 0143", "weekday mornings", "yes", "i dont know",
                                  "what if he doesnt want to go", "x" * 5_000])
def test_answers_and_questions_about_treatment_hold_no_note(text):
    assert call_note_in(text)[0] is None


def test_notes_from_several_messages_are_kept_once_each_and_short():
    notes = with_note(with_note(None, "no voicemail"), "in spanish please")
    assert with_note(notes, "No voicemail") == "no voicemail / in spanish please"
    assert len(with_note("x" * MAX_NOTE_LENGTH, "no voicemail")) == MAX_NOTE_LENGTH


@pytest.mark.parametrize("text", ["how long is the phone call", "who's gonna call me, a nurse?", "how soon will they call",
                                  "is the consultation by phone or in person?", "when will someone call me back"])
def test_questions_about_the_call_are_read(text):
    assert CALL_QUESTION.search(text)


@pytest.mark.parametrize("text", ["how long is a session", "how long does it take to work", "how soon will i feel better"])
def test_questions_about_the_treatment_are_not(text):
    assert not CALL_QUESTION.search(text)
