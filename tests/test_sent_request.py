"""Which messages ask what became of a request, and which only sound like it."""
from __future__ import annotations

import pytest

from bot.actions.booking import EXISTING_APPOINTMENT
from bot.policies.sent_request import STATUS_ASKED


@pytest.mark.parametrize("text", ["hey did my request go thru", "was it sent?", "did u guys get it? the callback",
                                  "nobody has called me yet", "still havent heard back, its been 2 days",
                                  "how can i check on my request"])
def test_questions_about_a_request_are_read(text):
    assert STATUS_ASKED.search(text)


@pytest.mark.parametrize("text", ["has it been through clinical trials", "did ketamine work for you",
                                  "did it go through insurance for anyone", "did they go through the VA first",
                                  "i already booked a consult, what should i bring"])
def test_questions_about_treatment_or_insurance_are_not(text):
    assert not STATUS_ASKED.search(text)


@pytest.mark.parametrize("text", ["i need to move my appointment to friday", "can we reschedule?",
                                  "i already have a consult booked for monday, can i change the time"])
def test_an_appointment_already_made_is_read(text):
    assert EXISTING_APPOINTMENT.search(text)


@pytest.mark.parametrize("text", ["i'd like to book an appointment", "book a consult please",
                                  "how long is a session", "can my son get an appointment"])
def test_a_new_booking_is_not(text):
    assert not EXISTING_APPOINTMENT.search(text)
