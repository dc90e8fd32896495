"""The replies that must happen whatever state the conversation is in.

Rules need an `action_listen` before the user's message, which a session whose start failed (the action server down)
does not have; this policy answers from the latest message alone:
- someone at risk now gets the fixed crisis or emergency reply, then a booking under way stops, or the policy listens;
  after it, help turned down gets it again, and reaching out is met with gladness and the lines;
- asked for the poison control number or a line for abuse, that number, whatever the classifier read; asked about
  ketamine from a friend or the street to take at home, not to, and why;
- a message too long to classify gets "please keep it shorter" instead of a guessed answer (outside a form);
- an answer to a message where suicide or self-harm came up is followed by one gentle line with the lifeline, unless
  the answer gives the lifeline itself; one that tells of a physical effect going on now after a treatment, by when to
  call the clinic and when 911; one that tells of feeling low or on edge since, by telling the team, the lifeline
  and 911 (the whole answer where it would have been "I can't give medical advice"); one that tells that someone
  hurts or threatens the writer, by 911 and the domestic violence hotline (after the crisis reply too); and every
  later answer in a session that had the crisis or emergency reply, by a short reminder of 911 and 988 (never
  between the booking form's steps, nor before its submission, but after it).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.length_guard import MESSAGE_TOO_LONG
from bot.nlu.safety_component import AFTER_EFFECTS, HARM_TOLD, safety_of
from bot.nlu.safety_patterns import (AFTER_EFFECT_SYMPTOMS, ASKS_WHETHER_TO_CALL_911, CRISIS, FEARS_THE_POLICE,
                                     FEELING_BETTER, HARM_LINE_ASKED, MEDICAL_EMERGENCY, POISON_HELP_ASKED,
                                     REACHING_OUT, SAFE_NOW_AND_ASKING, SCARED_NOW, SEDATION, STREET_KETAMINE,
                                     SUPPORT_LINE_TOPICS, TURNS_CARE_DOWN, TURNS_HELP_DOWN)
from bot.nlu.safety_rules import BODY, MOOD, SENSITIVE, URGENT, normalise, reads_as_question
from bot.policies.one_action import OneActionPolicy, actions_this_turn

SAFETY_REPLIES = {CRISIS: "utter_crisis", MEDICAL_EMERGENCY: "utter_medical_emergency"}
TOO_LONG_REPLY = "utter_message_too_long"
SUPPORT_LINE = "utter_support_line"
AFTER_EFFECTS_LINES = {BODY: "utter_after_effects_line", MOOD: "utter_low_mood_after_treatment",
                       URGENT: "utter_after_effects_line"}
# "i feel really low since my infusion yesterday, is that normal?" and "had my 3rd infusion this morning and now i have
# a mild headache, is that normal" read as questions for a consultation ("book a free consultation"); to a patient in
# treatment, the answer is telling the team (low mood), or what the clinic says of effects after an infusion, then
# the line (a physical effect); "should i go to the ER" gets when to call 911 and when the clinic, alone.
MEDICAL_ADVICE, SAFETY_QUESTION = "ask_medical_advice", "ask_safety"
AFTER_EFFECTS_ANSWERS = {MOOD: AFTER_EFFECTS_LINES[MOOD], BODY: "utter_ask_side_effects",
                         URGENT: AFTER_EFFECTS_LINES[URGENT]}
# Someone who was at risk earlier in the session and writes on: each answer keeps 911 and the lifeline in reach.
SAFETY_REMINDER = "utter_safety_reminder"
# Someone who tells that another person hurts or threatens them: 911 and the domestic violence hotline.
HARM_LINE = "utter_harmed_by_someone_line"
# Lines that say what no answer's lifeline says, so they come even after one.
LINES_OF_THEIR_OWN = frozenset({*AFTER_EFFECTS_LINES.values(), HARM_LINE})
GLAD_YOU_REACHED_OUT = "utter_glad_you_reached_out"
GLAD_YOU_ARE_SAFE = "utter_glad_you_are_safe"
EMERGENCY_STILL = "utter_emergency_still"
CALL_911_IF_IN_DANGER = "utter_call_911_if_in_danger"
WITHOUT_THE_POLICE = "utter_crisis_lines_without_the_police"
WORDS_AFTER_A_SAFETY_REPLY = frozenset({EMERGENCY_STILL, GLAD_YOU_REACHED_OUT, GLAD_YOU_ARE_SAFE, CALL_911_IF_IN_DANGER,
                                        WITHOUT_THE_POLICE})
POISON_HELP = "utter_poison_help"
NOT_ON_YOUR_OWN = "utter_not_on_your_own"
OUTRANK_THE_FORM = WORDS_AFTER_A_SAFETY_REPLY | {*SAFETY_REPLIES.values(), HARM_LINE, POISON_HELP, NOT_ON_YOUR_OWN}
BOOKING = "book_appointment"
BOOKING_FORM = "booking_form"
# After a safety reply stopped a booking, these go on with it.
ANSWERS = frozenset({"affirm", "inform"})
DETAIL_TOLD = re.compile(r"\b(mornings?|afternoons?|evenings?|nights?|weekdays?|weekends?|noon|any ?time|"
                         r"(after|before|around) \d)\b", re.I)
SUBMIT_BOOKING = "action_submit_booking"
LIFELINE_SLOT = "{crisis_lifeline}"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyNetPolicy(OneActionPolicy):
    """Outranks every other policy (the OfferPolicy is 7, the RulePolicy 6) only where it predicts; everywhere else it
    abstains."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 8}

    @staticmethod
    def _next_action(tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        message = tracker.latest_message
        if message is None:
            return None
        done = actions_this_turn(tracker)
        if done and done[-1] == ACTION_LISTEN_NAME:
            return None
        safety = safety_of(message.parse_data)
        safety_reply = SAFETY_REPLIES.get(message.intent.get("name"))
        if safety_reply:
            if safety_reply not in done:
                return safety_reply
            if safety.get(HARM_TOLD) and HARM_LINE not in done:
                return HARM_LINE
            # A booking under way stops (its answers wait for "finish the booking"); the reply is all there is to say.
            return ACTION_DEACTIVATE_LOOP_NAME if tracker.active_loop_name else ACTION_LISTEN_NAME
        if STREET_KETAMINE.search(message.text or ""):
            return ACTION_LISTEN_NAME if NOT_ON_YOUR_OWN in done else NOT_ON_YOUR_OWN
        if HARM_LINE_ASKED.search(message.text or ""):
            return ACTION_LISTEN_NAME if HARM_LINE in done else HARM_LINE
        if POISON_HELP_ASKED.search(message.text or ""):
            # "ok fine what was the poison number again", after an overdose, got the clinic's line.
            return ACTION_LISTEN_NAME if POISON_HELP in done else POISON_HELP
        reply_after_a_safety_reply = words_after_a_safety_reply(tracker, message)
        if reply_after_a_safety_reply:
            return ACTION_LISTEN_NAME if reply_after_a_safety_reply in done else reply_after_a_safety_reply
        if message.parse_data.get(MESSAGE_TOO_LONG) and not tracker.active_loop_name:
            # In a form, the form's own checks refuse an over-long answer with a re-prompt.
            return ACTION_LISTEN_NAME if TOO_LONG_REPLY in done else TOO_LONG_REPLY
        if not done:
            # Nothing answered yet; checked first, so the session is not scanned at every prediction.
            intent = message.intent.get("name")
            return after_effects_answer(intent, safety) or own_safety_answer(intent, safety)
        if done[0] in domain.form_names:
            # The form asks its next question, or finishes and the booking is submitted: nothing comes between; once
            # it is submitted, a session that had a safety reply hears that the call back is no crisis service.
            if done[-1] == SUBMIT_BOOKING and had_a_safety_reply(tracker):
                return SAFETY_REMINDER
            return ACTION_LISTEN_NAME if done[-1] == SAFETY_REMINDER else None
        if safety.get(HARM_TOLD):
            line = HARM_LINE
        elif safety.get("level") == SENSITIVE and SUPPORT_LINE_TOPICS.intersection(safety.get("topics", [])):
            line = SUPPORT_LINE
        elif safety.get(AFTER_EFFECTS):
            # Events stored before the mood line say True for a physical effect.
            line = AFTER_EFFECTS_LINES.get(safety[AFTER_EFFECTS], AFTER_EFFECTS_LINES[BODY])
        elif had_a_safety_reply(tracker):
            line = SAFETY_REMINDER
        else:
            return None
        if done[-1] == line or done[-1] in AFTER_EFFECTS_LINES.values():
            # Said last: the line (or the mood line given as the answer) is the end of the turn.
            return tracker.active_loop_name or ACTION_LISTEN_NAME
        if len(done) > 1 or (line not in LINES_OF_THEIR_OWN and said_the_lifeline(tracker, domain)):
            return None
        return line


    def _outranks_the_form(self, tracker: DialogueStateTracker, action: Text) -> bool:
        """The safety replies, the words after them, and stopping the form or the pause after them, come before the
        form's next step: "702-310-4455 but honestly i might not be alive by then" at the number question got the
        location question, because the number let the form go on; "im throwing up" after the emergency reply got
        "That doesn't look like a phone number"."""
        done = actions_this_turn(tracker)
        return action in OUTRANK_THE_FORM or (action in (ACTION_LISTEN_NAME, ACTION_DEACTIVATE_LOOP_NAME) and bool(done)
                                              and done[-1] in OUTRANK_THE_FORM)


def after_effects_answer(intent: Optional[Text], safety: Dict[Text, Any]) -> Optional[Text]:
    """The answer instead of the medical-advice one for an effect told after a treatment, if any."""
    return AFTER_EFFECTS_ANSWERS.get(safety.get(AFTER_EFFECTS)) if intent == MEDICAL_ADVICE else None


def words_after_a_safety_reply(tracker: DialogueStateTracker, message: UserUttered) -> Optional[Text]:
    """After the crisis or emergency reply in the session: help turned down gets the crisis reply again, reaching out
    is met with gladness where nothing else is asked ("i called 988, im safer now. can we still finish the booking"
    gets the booking; "ok calling 988 press 1 now", which reads as a question about the clinic's line, is no question),
    and "i'm safe now, can i ask some questions?" with gladness and "of course"; after the emergency reply, care turned
    down or a symptom told gets the emergency in other words. Asked whether to call 911, or scared now, it is 911
    first where anyone may be in danger; a fear that a call brings the police is met with what 988 does. Each is the
    whole answer. The patterns are read first, the session only if one matches, or for a yes or a detail, which go
    on with a booking a safety reply stopped."""
    text = message.text or ""
    intent = message.intent.get("name") or ""
    asks_something = intent == BOOKING or (intent.startswith("ask_") and reads_as_question(normalise(text)))
    gives_an_answer = intent in ANSWERS or bool(DETAIL_TOLD.search(text)) or any(
        entity.get("entity") in ("phone_number", "location") for entity in message.entities)
    if gives_an_answer and booking_stopped_by_a_safety_reply(tracker):
        # "ok thanks. so mornings?" or the consent button tapped after the crisis reply stopped a booking (a false alarm
        # at the consent question) got "Anything else?", and the request was never sent.
        return BOOKING_FORM
    if (TURNS_CARE_DOWN.search(text) or SEDATION.search(text) or AFTER_EFFECT_SYMPTOMS.search(text)) \
            and not FEELING_BETTER.search(text) and had_a_safety_reply(tracker, MEDICAL_EMERGENCY):
        return EMERGENCY_STILL
    reply = (WITHOUT_THE_POLICE if FEARS_THE_POLICE.search(text)
             else CALL_911_IF_IN_DANGER if ASKS_WHETHER_TO_CALL_911.search(text) or SCARED_NOW.search(text)
             else SAFETY_REPLIES[CRISIS] if TURNS_HELP_DOWN.search(text)
             else GLAD_YOU_REACHED_OUT if REACHING_OUT.search(text) and not asks_something
             else GLAD_YOU_ARE_SAFE if SAFE_NOW_AND_ASKING.search(text) and not asks_something else None)
    return reply if reply and had_a_safety_reply(tracker) else None


def own_safety_answer(intent: Optional[Text], safety: Dict[Text, Any]) -> Optional[Text]:
    """"is it safe for me to be around him until he gets treated?" reads as a question about ketamine's safety; from
    someone who tells that another person hurts or threatens them, it is about their own: the line is the answer."""
    return HARM_LINE if intent == SAFETY_QUESTION and safety.get(HARM_TOLD) else None


def booking_stopped_by_a_safety_reply(tracker: DialogueStateTracker) -> bool:
    """Whether the last booking form of the session was stopped by a safety reply, and nothing has been sent or asked
    of the form since."""
    previous: Optional[Text] = None
    for event in reversed(tracker.applied_events()):
        if not isinstance(event, ActionExecuted) or event.action_name == ACTION_LISTEN_NAME:
            continue
        name = event.action_name
        if previous == ACTION_DEACTIVATE_LOOP_NAME:
            return name in OUTRANK_THE_FORM
        if name in (SUBMIT_BOOKING, BOOKING_FORM):
            return False
        previous = name
    return False


def had_a_safety_reply(tracker: DialogueStateTracker, label: Optional[Text] = None) -> bool:
    """Whether this session has given the crisis or the emergency reply, or the one for `label` (a new session starts
    without it)."""
    replies = {SAFETY_REPLIES[label]} if label else set(SAFETY_REPLIES.values())
    return any(isinstance(event, ActionExecuted) and event.action_name in replies
               for event in tracker.applied_events())


def said_the_lifeline(tracker: DialogueStateTracker, domain: Domain) -> bool:
    """An answer whose text already gave the lifeline ("my dose", "should I stop my meds", "I'm sorry things feel hard"
    from the fallback action) needs no second line; a custom action's responses are named in their metadata."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered):
            response = (event.metadata or {}).get("utter_action")
            if any(LIFELINE_SLOT in (variant.get("text") or "") for variant in domain.responses.get(response, [])):
                return True
    return False
