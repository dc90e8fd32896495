"""What to say when the assistant cannot place a message: the likeliest topics to tap, then the phone line."""
import re
from typing import Any, Dict, FrozenSet, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot.nlg.topics import offered_topics, topic_buttons, topic_titles

# A message the NLU could not place, or one outside what the assistant covers, is a miss for the user.
FIRST_MISS_RESPONSES: Dict[Text, Text] = {
    "nlu_fallback": "utter_offer_topics",
    "out_of_scope": "utter_out_of_scope",
}
MISSES_BEFORE_HANDOFF = 2
# Booking details nobody asked for (a bare name, a time) get the topics too, without counting as a miss: inside a
# booking the same intent is an answer.
OFFERS_TOPICS = frozenset({"nlu_fallback", "inform"})
# The parse-data flag bot/nlu/language_guard.py sets on a message in another language, and its value for common
# words of another language rather than another script (not imported from there: it would load spaCy into the
# action server).
OTHER_LANGUAGE, OTHER_WORDS = "other_language", "words"
# "Something else" leads to the phone line (and the offer of a call back), as asking for a person does.
SOMETHING_ELSE = {"title": "Something else", "payload": "/ask_human"}
# Sad, crying or broken-hearted faces, sent alone: someone having a hard time, not a question put badly.
SAD_EMOJI = frozenset("\U0001F622\U0001F62D\U0001F61E\U0001F614\u2639\U0001F641\U0001F629\U0001F62B\U0001F97A"
                      "\U0001F63F\U0001F623\U0001F616\U0001F494\U0001F625\U0001F613\U0001F61F\U0001F630\U0001F628")
# Variation selectors, skin tones and joiners that may come with an emoji.
EMOJI_MODIFIERS = frozenset("\uFE0E\uFE0F\u200D\U0001F3FB\U0001F3FC\U0001F3FD\U0001F3FE\U0001F3FF")
TALK_TO_A_PERSON = {"title": "Talk to a person", "payload": "/ask_human"}
# After the crisis or emergency reply, someone asking to "see someone soon" is offered the consultation first.
BOOK = {"title": "Book a free consultation", "payload": "/book_appointment"}
# The safety stage's parse-data key and its reason for a told history (bot/nlu/safety_component.py and
# safety_rules.py; not imported from there: it would load spaCy into the action server).
SAFETY_VERDICT = "safety"
PHONE_NUMBER = "phone_number"
BOOKING_FORM = "booking_form"
PAST_EVENT = "past"
# A sensitive mention, where suicide or self-harm came up, asked about ("question") or told of as a history ("past").
SENSITIVE, QUESTION = "sensitive", "question"
HARD_TIME_TOPICS = frozenset({"suicide", "self_harm"})
AFTER_EFFECTS, HARM_TOLD = "after_effects", "harmed_by_someone"
# A fear told without a question ("i'm scared honestly. i don't know if i can do this"), which nothing could place:
# the reply says it makes sense and offers what a session is like and a person, not "not sure I understood".
FEAR_TOLD = re.compile(
    r"\b(i'?m|im|i am|i feel|feeling|i get|getting|been|honestly|just|so|really)"
    r"( so| really| very| pretty| kinda| a bit| a little| just| honestly)* "
    r"(scared|afraid|terrified|nervous|anxious|frightened|freaked out|freaking out)\b|"
    r"\bi (don'?t|dont|do not) know if i can (do|go through with|handle) (this|it)\b", re.I)
WHAT_TO_EXPECT = {"title": "What a session is like", "payload": "/ask_what_to_expect"}
# The fixed replies to someone at risk (bot/policies/safety_net.py): after one, a message nothing could place is
# likelier to be about how they are than a badly put question.
SAFETY_REPLIES = frozenset({"utter_crisis", "utter_medical_emergency"})


def tells_of_something_hard(message: Dict[Text, Any]) -> bool:
    """A past attempt, overdose or loss in a message nothing else could place: the writer told us something hard
    rather than asked badly, so the reply thanks them instead of saying "not sure I understood"."""
    return PAST_EVENT in ((message.get(SAFETY_VERDICT) or {}).get("reason") or "").split(",")


def speaks_of_a_hard_time(message: Dict[Text, Any]) -> bool:
    """A sensitive mention of suicide or self-harm nothing else could place ("some nights i wonder what the point of
    any of this is. not suicidal, just exhausted"): kindness and the lifeline, not "not sure I understood"."""
    verdict = message.get(SAFETY_VERDICT) or {}
    reasons = set((verdict.get("reason") or "").split(","))
    return (verdict.get("level") == SENSITIVE and bool(HARD_TIME_TOPICS.intersection(verdict.get("topics") or []))
            and not reasons & {QUESTION, PAST_EVENT})


def answered_by_a_line(message: Dict[Text, Any]) -> bool:
    """An effect or a low mood going on now after a treatment, or someone hurting or threatening the writer: the
    safety net's line for it answers it, and a topic menu or "not sure I understood" before it would be in the way."""
    verdict = message.get(SAFETY_VERDICT) or {}
    return bool(verdict.get(AFTER_EFFECTS) or verdict.get(HARM_TOLD))


def had_a_safety_reply(tracker: Tracker) -> bool:
    """Whether this session has given the crisis or the emergency reply."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "action" and event.get("name") in SAFETY_REPLIES:
            return True
    return False


def sent_alone(text: Text, marks: FrozenSet[Text], ignoring: FrozenSet[Text]) -> bool:
    """Whether the text is made of these marks only, beside spaces and the characters ignored."""
    rest = [char for char in text if not char.isspace() and char not in ignoring]
    return bool(rest) and all(char in marks for char in rest)


def only_sad_emoji(text: Text) -> bool:
    """"😢", "😭😭", "💔 ..." and nothing else: no word the classifier could read, and a feeling it should answer."""
    return sent_alone(text, SAD_EMOJI, ignoring=EMOJI_MODIFIERS | frozenset(".!?,…"))


def gives_a_number_to_be_called_on(tracker: Tracker) -> bool:
    """A message outside a booking with a phone number in it and no question: a request to be called back."""
    message = tracker.latest_message
    numbers = [entity for entity in message.get("entities") or [] if entity.get("entity") == PHONE_NUMBER]
    return bool(numbers) and not tracker.active_loop.get("name") and "?" not in (message.get("text") or "")


def misses_in_a_row(tracker: Tracker) -> int:
    """Counts the latest user messages, newest first, that the assistant could not help with."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") not in FIRST_MISS_RESPONSES:
            break
        misses += 1
    return misses


class ActionHandleFallback(Action):
    def name(self) -> Text:
        return "action_handle_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        if answered_by_a_line(tracker.latest_message):
            return []
        if gives_a_number_to_be_called_on(tracker):
            # "hi im jen 702 555 0199 vegas evenings pls call" got "Sorry, I'm not sure I understood".
            return [FollowupAction(BOOKING_FORM)]
        after_safety_reply = had_a_safety_reply(tracker)
        if tracker.latest_message.get(OTHER_LANGUAGE):
            dispatcher.utter_message(response="utter_other_language")
        elif only_sad_emoji(tracker.latest_message.get("text") or "") or (
                intent == "nlu_fallback" and not after_safety_reply and speaks_of_a_hard_time(tracker.latest_message)):
            dispatcher.utter_message(response="utter_sorry_things_are_hard", buttons=[TALK_TO_A_PERSON])
        elif intent == "nlu_fallback" and not after_safety_reply and FEAR_TOLD.search(
                tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_fear_makes_sense", buttons=[WHAT_TO_EXPECT, TALK_TO_A_PERSON])
        elif misses_in_a_row(tracker) >= MISSES_BEFORE_HANDOFF:
            dispatcher.utter_message(response="utter_fallback_handoff")
        elif intent in OFFERS_TOPICS or after_safety_reply:
            ranking = [entry.get("name") for entry in tracker.latest_message.get("intent_ranking", [])]
            titles = topic_titles(domain.get("intents", []), domain.get("responses", {}))
            buttons = topic_buttons(offered_topics(ranking, titles), titles)
            if after_safety_reply:
                offer = "utter_offer_topics_after_safety_reply"
                buttons = [BOOK, *buttons[:2]]
            elif tells_of_something_hard(tracker.latest_message):
                offer = "utter_offer_topics_after_something_hard"
            else:
                offer = "utter_offer_topics"
            dispatcher.utter_message(response=offer, buttons=[*buttons, SOMETHING_ELSE])
        else:
            dispatcher.utter_message(response=FIRST_MISS_RESPONSES.get(intent, "utter_offer_topics"))
        return []
