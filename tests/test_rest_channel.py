"""The widget's REST channel refuses what it cannot store or should not trust, over real HTTP to the real server."""
from __future__ import annotations

import json
import uuid

import pytest
import requests

from bot.channels.payloads import as_visitor_text, offered_payloads
from bot.channels.rest import MAX_METADATA_BYTES
from tests.conftest import stored_events


def new_sender() -> str:
    return f"channel-{uuid.uuid4()}"


def post(assistant, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(f"{assistant.base_url}/webhooks/rest/webhook", data=body,
                         headers={"Content-Type": content_type}, timeout=30)


@pytest.mark.parametrize("body", [b"", b"null", b"[]", b"123", b'"text"', b"{not json", b"\xff\xfe",
                                  b'{"message": "hi"}', b'{"sender": 5, "message": "hi"}',
                                  b'{"sender": "", "message": "hi"}', b'{"sender": "a", "message": ["hi"]}',
                                  b'{"sender": "a", "message": {"text": "hi"}}', b'{"sender": "a", "message": 7}',
                                  b'{"sender": "a", "message": "hi", "metadata": [1]}'])
def test_a_body_that_is_not_a_well_typed_object_is_refused_with_400_and_nothing_stored(assistant, body):
    response = post(assistant, body)
    assert response.status_code == 400 and "error" in response.json()


def test_metadata_over_the_cap_is_refused_and_under_it_is_kept(assistant):
    sender = new_sender()
    big = {"note": "x" * MAX_METADATA_BYTES}
    assert post(assistant, json.dumps({"sender": sender, "message": "hi", "metadata": big}).encode()).status_code == 400
    assert stored_events(assistant.database, sender, "user") == []
    small = {"page": "/faq"}
    assert post(assistant, json.dumps({"sender": sender, "message": "hi", "metadata": small}).encode()).ok
    assert stored_events(assistant.database, sender, "user")[-1]["metadata"].items() >= small.items()


def test_a_lone_surrogate_is_answered_and_stored_as_a_replacement_character(assistant):
    sender = new_sender()
    response = post(assistant, b'{"sender": "%s", "message": "is it safe \\ud800?"}' % sender.encode())
    assert response.status_code == 200 and response.json()
    assert stored_events(assistant.database, sender, "user")[-1]["text"] == "is it safe \ufffd?"


def test_the_channel_is_set_by_the_route_not_by_the_client(assistant):
    sender = new_sender()
    body = {"sender": sender, "message": "hello", "input_channel": "twilio"}
    assert post(assistant, json.dumps(body).encode()).ok
    assert {event["input_channel"] for event in stored_events(assistant.database, sender, "user")} == {"rest"}


def test_a_typed_command_with_entities_fills_nothing(assistant):
    sender = new_sender()
    assistant.send(sender, '/inform{"phone_number": "7025550143", "first_name": "=HYPERLINK()"}')
    [event] = stored_events(assistant.database, sender, "user")
    assert event["parse_data"]["intent"]["name"] != "inform" or not event["parse_data"]["entities"]
    assert not [slot for slot in stored_events(assistant.database, sender, "slot")
                if slot["name"] in ("phone_number", "first_name") and slot["value"]]


def test_an_offered_button_is_obeyed_and_an_unoffered_command_is_read_as_words(assistant):
    sender = new_sender()
    greeting = next(message for message in assistant.send(sender, "hi") if message.get("buttons"))
    offered = greeting["buttons"][0]["payload"]
    assistant.send(sender, offered)
    assistant.send(sender, "/ask_cost")
    offered_event, typed_event = stored_events(assistant.database, sender, "user")[-2:]
    assert offered_event["parse_data"]["intent"]["name"] == offered[1:]
    # A command is parsed to one intent at confidence 1; words go through the classifier and get its ranking.
    assert typed_event["text"] == "ask cost" and len(typed_event["parse_data"]["intent_ranking"]) > 1


def test_a_command_typed_as_the_first_message_is_read_as_its_words_and_still_understood(assistant):
    """A link that opens the chat with "/book_appointment" gets the booking, through the classifier."""
    reply = assistant.reply_text(new_sender(), "/book_appointment")
    assert "What first name" in reply


def test_payloads_offered_before_the_session_began_do_not_count():
    events = [{"event": "bot", "data": {"buttons": [{"payload": "/ask_cost"}]}}, {"event": "session_started"},
              {"event": "bot", "data": {"buttons": [{"payload": "/ask_side_effects"}]}}]
    offered = offered_payloads(events)
    assert offered == {"/ask_side_effects"}
    assert as_visitor_text(" /ask_side_effects ", offered) == "/ask_side_effects"
    assert as_visitor_text("/ask_cost", offered) == "ask cost"
    assert as_visitor_text('/ask_side_effects{"location": "upland"}', offered) == 'ask side effects "location": "upland"'
