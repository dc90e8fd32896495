"""The Twilio SMS channel against the running assistant: signed webhooks in, texts out to a fake Twilio API."""
from __future__ import annotations

import random
import re
import sqlite3
from typing import List

import requests
from twilio.request_validator import RequestValidator

from bot.clinic.profile import clinic_profile
from bot.sms.gsm7 import GSM7_BASIC, gsm7_length
from bot.sms.subscribers import Subscribers, conversation_id
from tests.conftest import SMS_CONVERSATION_KEY, TWILIO_AUTH_TOKEN

PROFILE = clinic_profile()


def new_number() -> str:
    return f"+1702555{random.randint(0, 9999):04d}"


def post_sms(assistant, sender: str, body: str, signed_for: str = None, signature: str = None, media: int = 0):
    params = {"From": sender, "To": "+17025550100", "Body": body, "NumMedia": str(media),
              "MessageSid": "SM" + "1" * 32, "AccountSid": "AC" + "0" * 32}
    headers = {}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    elif signed_for is not False:
        url = signed_for or assistant.sms_webhook_url
        headers["X-Twilio-Signature"] = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(url, params)
    return requests.post(assistant.sms_webhook_url, data=params, headers=headers, timeout=30)


def texts(assistant, sender: str, body: str, **kwargs) -> List[str]:
    before = len(assistant.twilio.texts_to(sender))
    response = post_sms(assistant, sender, body, **kwargs)
    assert response.status_code == 200 and "<Response>" in response.text
    return assistant.twilio.texts_to(sender)[before:]


def stored_events(assistant, sender: str) -> int:
    with sqlite3.connect(assistant.database) as connection:
        conversation = conversation_id(sender, SMS_CONVERSATION_KEY.encode())
        return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation,)).fetchone()[0]


def test_a_signed_text_is_answered_in_gsm7_parts_of_at_most_160(assistant):
    sender = new_number()
    replies = texts(assistant, sender, "what are the side effects")
    assert any("30 min" in reply for reply in replies)
    assert all(gsm7_length(reply) <= 160 and set(reply) <= GSM7_BASIC | {"€"} for reply in replies)


def test_the_conversation_is_stored_under_a_keyed_hash_not_the_number(assistant):
    sender = new_number()
    texts(assistant, sender, "hello")
    assert stored_events(assistant, sender) > 0
    with sqlite3.connect(assistant.database) as connection:
        ids = [row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")]
    assert not any(sender[2:] in conversation for conversation in ids)


def test_forged_unsigned_and_replayed_requests_are_refused_and_not_logged(assistant):
    sender = new_number()
    assert post_sms(assistant, sender, "hi", signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert post_sms(assistant, sender, "hi", signed_for=False).status_code == 403
    replayed = post_sms(assistant, sender, "hi", signed_for="https://another.example/webhooks/twilio/webhook")
    assert replayed.status_code == 403
    assert stored_events(assistant, sender) == 0 and assistant.twilio.texts_to(sender) == []


def test_stop_confirms_once_then_silence_and_start_answers_again(assistant):
    sender = new_number()
    [confirmation] = texts(assistant, sender, "  stop ")
    assert "unsubscribed" in confirmation
    assert texts(assistant, sender, "what are the side effects") == []
    assert Subscribers(f"sqlite:///{assistant.database}").is_opted_out(
        conversation_id(sender, SMS_CONVERSATION_KEY.encode()))
    [welcome_back] = texts(assistant, sender, "START")
    assert "resubscribed" in welcome_back
    assert texts(assistant, sender, "how long is each session")


def test_help_gives_the_clinic_the_phone_and_how_to_opt_out(assistant):
    [reply] = texts(assistant, new_number(), "Help")
    for required in (PROFILE.name, PROFILE.main_phone, "STOP", "Msg & data rates may apply"):
        assert required in reply
    assert gsm7_length(reply) <= 160


def test_buttons_become_numbered_choices_and_a_number_selects_one(assistant):
    sender = new_number()
    greeting = " ".join(texts(assistant, sender, "hi"))
    assert "Reply 1 for What to expect, 2 for Side effects" in greeting and "/ask_" not in greeting
    answer = " ".join(texts(assistant, sender, "2"))
    assert "30 min" in answer


def test_a_text_about_two_topics_gets_one_answer_and_the_other_as_a_numbered_choice(assistant):
    """SMS has no buttons: the runner-up, or the topics offered when the classifier is not sure, are numbered, and the
    number gets the answer."""
    sender = new_number()
    reply = " ".join(texts(assistant, sender, "the cost and the side effects"))
    assert "/ask_" not in reply
    choices = dict((title, number) for number, title in re.findall(r"(\d) for ([A-Z][a-z ]+?)(?:,| or|\.|$)", reply))
    offered = {"Side effects", "Cost and insurance"} & choices.keys()
    assert offered, reply
    answer = " ".join(texts(assistant, sender, choices[offered.pop()]))
    assert "not sure" not in answer and "couldn't help" not in answer


def test_empty_and_picture_only_messages_get_a_polite_text(assistant):
    assert "empty" in texts(assistant, new_number(), "   ")[0]
    assert "pictures" in texts(assistant, new_number(), "", media=1)[0]


def test_an_sms_booking_confirms_the_sender_number_and_reaches_the_intake(assistant):
    sender = new_number()
    texts(assistant, sender, "i want to book a free consultation")
    offer = " ".join(texts(assistant, sender, "Dana"))
    assert sender[-4:] in offer and all(len(part) <= 160 for part in texts(assistant, sender, "yes"))
    texts(assistant, sender, "vegas")
    texts(assistant, sender, "evenings")
    confirmation = " ".join(texts(assistant, sender, "yes"))
    [received] = [item for item in assistant.intake.received if item.payload["phone"] == sender]
    assert received.payload["channel"] == "twilio" and received.payload["location"] == "Las Vegas"
    assert received.payload["first_name"] == "Dana" and received.payload["reference"] in confirmation


def test_consent_over_sms_is_a_yes_even_one_letter_and_never_a_hesitation(assistant):
    sender = new_number()
    texts(assistant, sender, "can i book a consult")
    texts(assistant, sender, "Sam")
    texts(assistant, sender, "k")
    texts(assistant, sender, "upland")
    texts(assistant, sender, "after 5")
    hesitant = " ".join(texts(assistant, sender, "hmm idk"))
    assert "No rush" in hesitant and "call Sam at" in hesitant
    for unclear_answer in ("huh", "i dont know", "purple"):
        unclear = " ".join(texts(assistant, sender, unclear_answer))
        assert "call Sam at" in unclear and "Thanks" not in unclear
    assert not [item for item in assistant.intake.received if item.payload["phone"] == sender]
    confirmation = " ".join(texts(assistant, sender, "y"))
    [received] = [item for item in assistant.intake.received if item.payload["phone"] == sender]
    assert received.payload["consent"] is True and received.payload["location"] == "Upland"
    assert received.payload["reference"] in confirmation


def test_a_crisis_text_gets_the_crisis_lines(assistant):
    replies = " ".join(texts(assistant, new_number(), "i want to kill myself"))
    assert "988" in replies and "741741" in replies and "911" in replies
