"""A detail corrected after the booking request was sent ("oh no wait i gave the wrong number, its 702 644 1920",
"actually can you change it to las vegas"): the number started a second booking, and the clinic got two requests,
one of them wrong. A request already sent cannot be changed from the chat, so the reply says so, with its reference
and the line to call. A new number or place without a word of correction ("now one for my husband, 702 555 0101")
still starts a booking.

Asked whether a request went through ("did that go thru?", "i booked a callback earlier but nobody called yet"), it
started a new booking, then answered with the treatment plan: the reply says what this session sent, or that earlier
requests can't be looked up here, and the line. Asked about the call once a request is sent ("how long will it take
them to call"), the reply says what is not known and where to ask, not the phone line and "book a consultation".
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.actions.call_notes import CALL_QUESTION
from bot.policies.one_action import OneActionPolicy, actions_this_turn

ALREADY_SENT, STATUS, SUBMIT = ("action_tell_request_already_sent", "action_tell_request_status",
                                "action_submit_booking")
ABOUT_THE_CALL = "utter_about_the_call"
REFERENCE_SLOT = "booking_reference"
DETAILS = frozenset({"phone_number", "location"})
CORRECTION = re.compile(r"\b(wrong|oops|typo|mistake|actually|meant|mean|instead|change|correct(ion)?|not|sorry|"
                        r"wait)\b", re.IGNORECASE)
# A change asked for in words ("i need to change my callback time on the request i just sent").
CHANGE_ASKED = re.compile(r"\b(change|fix|update|correct)\b.{0,40}\b(time|number|phone|name|location|place)\b",
                          re.IGNORECASE)
REQUEST = r"((both |the two )?(request|booking|call ?back|consult\w*|appointment|appt)s?)"
STATUS_ASKED = re.compile(
    rf"\b(did|has|have|was) (it|that|this|they|my {REQUEST}|the {REQUEST}|{REQUEST}) (actually |really |even |both )?"
    r"(go|gone|get|got|went) "
    r"(thru|through)\b"
    r"(?! (insurance|the va|tricare|medicare|medicaid))|"
    rf"\b(did|has|was|is) (it|that|my {REQUEST}|the {REQUEST}) (been )?(sent|received)\b|"
    rf"\bdid (you|u|they|the team)( guys)? (get|got|receive) (it|that|my {REQUEST})\b|"
    r"\b(no ?one|nobody) (has )?(called|rang|got back|contacted)\b|"
    r"\b(haven'?t|havent|have not|didn'?t|didnt|never) (heard|hear|gotten|got) (back|a call)\b|"
    rf"\bcheck (on|up on) (my|the) (existing |earlier )?{REQUEST}|"
    r"\b(already|earlier) (sent|put in) (a |the |my )?(request|call ?back)\b", re.IGNORECASE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SentRequestPolicy(OneActionPolicy):
    """Outranks the RulePolicy only where a detail is corrected after a request was sent in this session."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 7}

    def _next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        if tracker.active_loop_name:
            return None
        done = actions_this_turn(tracker)
        if done:
            return ACTION_LISTEN_NAME if done in ([ALREADY_SENT], [STATUS], [ABOUT_THE_CALL]) else None
        if asks_about_a_request(tracker):
            return STATUS
        if CALL_QUESTION.search(tracker.latest_message.text or "") and sent_in_this_session(tracker):
            return ABOUT_THE_CALL
        return ALREADY_SENT if corrects_a_detail(tracker) and sent_in_this_session(tracker) else None


def corrects_a_detail(tracker: DialogueStateTracker) -> bool:
    """A number or a place said with a word that corrects, or a change of a detail asked for; not a plain yes."""
    message = tracker.latest_message
    if message is None or message.intent.get("name") == "affirm":
        return False
    named = {entity.get("entity") for entity in message.entities}
    text = message.text or ""
    return bool(named & DETAILS) and bool(CORRECTION.search(text)) or bool(CHANGE_ASKED.search(text))


def asks_about_a_request(tracker: DialogueStateTracker) -> bool:
    """Whether the message asks what became of a request, not for something new."""
    message = tracker.latest_message
    return message is not None and message.intent.get("name") not in ("crisis", "medical_emergency") \
        and bool(STATUS_ASKED.search(message.text or ""))


def sent_in_this_session(tracker: DialogueStateTracker) -> bool:
    """Whether a request was sent since the session began: the submit action set a reference (a new session carries
    an earlier reference over, set by the session start)."""
    submitted = False
    for event in tracker.applied_events():
        if isinstance(event, ActionExecuted):
            submitted = event.action_name == SUBMIT
        elif submitted and isinstance(event, SlotSet) and event.key == REFERENCE_SLOT and event.value:
            return True
    return False
