"""The booking form: collects a callback request, checks every answer, and hands it to the clinic."""
from __future__ import annotations

import asyncio
import copy
import re
import unicodedata
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Tuple

import phonenumbers
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.call_notes import CALL_QUESTION, call_note_in, with_note
from bot.actions.fallback import (HARM_TOLD, OTHER_LANGUAGE, OTHER_WORDS, SAFETY_VERDICT, sent_alone,
                                  speaks_of_a_hard_time, tells_of_something_hard)
from bot.actions.locations import location_in_text, locations_list
from bot.booking.delivery import attempt_delivery, delivery_lease
from bot.booking.outbox import PENDING, PHONE_HANDOFF, Outbox
from bot.booking.settings import load_intake_settings
from bot.clinic.phones import HOME_REGION, phone_numbers_in, split_extension
from bot.clinic.profile import Location, clinic_profile
from bot.nlu.safety_patterns import BACK_AFTER_A_BREAK
from bot.sms.subscribers import Subscribers

SMS_CHANNEL = "twilio"
NLU_FALLBACK = "nlu_fallback"
BOOKING_FORM = "booking_form"
# The name question the first time in a booking (it says what happens next), and asked again.
FIRST_NAME_QUESTION, FIRST_NAME_ASKED_AGAIN = "utter_ask_first_name", "utter_ask_first_name_again"
# The first name question where the booking began with someone else in it ("can I book for my adult son?").
FIRST_NAME_QUESTION_FOR_SOMEONE_ELSE = "utter_ask_first_name_for_someone_else"
NAME_QUESTIONS = (FIRST_NAME_QUESTION, FIRST_NAME_ASKED_AGAIN, FIRST_NAME_QUESTION_FOR_SOMEONE_ELSE)
FORM_SLOTS = ("first_name", "phone_number", "preferred_location", "contact_time", "contact_consent")
RELATIVES = (r"(?:son|daughter|husband|wife|partner|boyfriend|girlfriend|brother|sister|mom|mother|dad|father|friend|"
             r"fiance|fiancee)")
RELATIVE = rf"(?:(?:(?:it's|its|this is) )?(?:for )?(?:my|our) {RELATIVES})"
SOMEONE_ELSE = re.compile(rf"\b(?:(?:my|our)(?: \w+)? {RELATIVES}|for (?:him|her|them))\b", re.I)
# "i just told u", before or after a name given again.
SAID_AGAIN = r"(?:(?:as|like) )?(?:i )?(?:just |already )?"
TOLD_YOU = r"(?:said|told (?:you|u|ya))"
NAME_PREFIXES = re.compile(
    rf"^(?:{RELATIVE}(?:,|'s name is| is| named)?|"
    r"(?:my|his|her|their) name is|(?:my|his|her|their) name's|name is|name's|names|it's|its|i'm|im|i am|this is|"
    r"call me|me is|"
    rf"{SAID_AGAIN}(?:{TOLD_YOU}|typed|wrote)(?: it)?[,.:]?)\s+",
    re.I)
# "i said mornings before 9", "tmrw aft 5 like i said": the time was sent with the words around it.
SAID_AROUND_A_TIME = re.compile(rf"^{SAID_AGAIN}{TOLD_YOU}[,.:]?\s+|[,;\s]+{SAID_AGAIN}{TOLD_YOU}\W*$", re.I)
# Words said before the name ("ok its Sam", "ok. Mary-Jo", "hi im rosa"), which became part of it.
FILLERS = re.compile(r"^(?:(?:ok|okay|oh|sure|yes|yeah|yep|um+|uh+|so|hi|hey|hello|sorry|lol|well|just|use|put|"
                     r"hang on|hold on|wait)\b\W*)+", re.I)
# Words said after it ("ok just use Ace then", "Annie not Anne-Marie"), which became part of it too.
AFTER_NAME = re.compile(r"(?:\W+(?:then|instead|please|pls|plz|thanks|thx|ty)|\s+not\s+[^\W\d_][\w'-]*)\W*$", re.I)
# Who the booking is for, without a name ("its for my dad"): the name question is asked again.
RELATIVE_ONLY = re.compile(rf"^{RELATIVE}\W*$", re.I)
# A phone number typed after the name ("Marcus, 702 555 0143"): the number's own mapping takes it. A name given again
# is said to be so after it too ("sarah. i already told u").
NUMBER_AT_THE_END = r"\+?[\d(][\d()\-. ]{6,}$"
NUMBER_AFTER_NAME = re.compile(
    rf"[,;:.\s]+(?:(?:my |his |her |their )?(?:number|phone|cell|mobile|#)(?: is)?[,;:\s]*)?{NUMBER_AT_THE_END}", re.I)
SAID_BEFORE_AFTER_NAME = re.compile(rf"(?:^|[,;:.!\s]+){SAID_AGAIN}{TOLD_YOU}(?: (?:already|before|earlier))?\W*$",
                                    re.I)
# Between two numbers, words that make the later one the number to call ("his is 909 555 0123 but call me instead at
# 702 555 0199"); two numbers without them ("mine is X, his is Y", "X or Y") get asked which.
LATER_NUMBER_MEANT = re.compile(r"\b(but|instead|actually|rather|better|sorry|correction|i mean|no)\b", re.I)
# Which of two numbers is meant, by its label or its place ("home is ... cell is ..., cell is better", then "the
# cell" or "the second one" after "I see more than one number there").
NUMBER_LABELS = {"cell": "cell", "mobile": "cell", "cellphone": "cell", "home": "home", "house": "home",
                 "landline": "home", "work": "work", "office": "work", "desk": "work"}
LABEL = r"(cell|mobile|cellphone|home|house|landline|work|office|desk)"
LABEL_PREFERRED = re.compile(
    rf"\b{LABEL}( number| one| phone| line)? (is|'s|would be|works) (better|best|preferred|easier)\b|"
    rf"\b(use|prefer|rather|go with|pick|take) (the |my |his |her |their )?{LABEL}\b|"
    rf"^\W*(the |my |his |her |their )?{LABEL}( number| one| phone| line)?( (please|pls|plz|is better|is best))?\W*$",
    re.I)
PLACE_CHOSEN = re.compile(r"^\W*(the )?(first|1st|top|former|second|2nd|last|latter|other|bottom)( one| number)?\W*$",
                          re.I)
# A phone answer may say whose number it is ("my husband's is ... but please call me instead at my cell ..."): an SMS.
MAX_NAME_LENGTH, MAX_TIME_LENGTH, MAX_PHONE_ANSWER_LENGTH = 40, 120, 160
# Replies that answer a question, greet, thank or take leave rather than give a name or a time.
NOT_AN_ANSWER = frozenset({"yes", "no", "yeah", "yep", "nope", "nah", "ok", "okay", "sure", "hi", "hello", "hey",
                           "thanks", "thank you", "thx", "ty", "bye", "goodbye"})
# Consent, and taking the SMS sender's own number, need a clear yes: "huh" and "uh huh" look alike to the classifier
# (affirm at 0.55 and 0.66), a plain "y", "ok" or "yes please" scores 0.85 or more, and a button is 1.0. A no needs
# no such bar: it only means no call, and the reply gives the phone line.
CLEAR_ANSWER_CONFIDENCE = 0.8
# A yes that goes on to say more ("yes please call me", "yes, you can call me"): the classifier reads the rest as a
# question about contact (affirm under 0.8, or ask_contact), but as the answer to "may the clinic call you?" it is
# plain. No digits (a new number is read back first), and nothing that takes it back or changes it.
CLEAR_YES = re.compile(r"^\W*(yes|yeah|yep|yup|sure|absolutely|definitely|of course|please do|go ahead|s[ií])\b"
                       r"(?!.*(\d|\b(no|not|don't|dont|never|wait|but|actually|change|wrong|instead)\b))", re.I)
YES_EMOJI = frozenset("\U0001F44D\U0001F44C\u2705\u2714")
# What may come with them: the emoji presentation selector, skin tones, "!" and ".".
YES_EMOJI_EXTRAS = frozenset("\ufe0f\U0001F3FB\U0001F3FC\U0001F3FD\U0001F3FE\U0001F3FF!.")
NO_WORDS = re.compile(r"\b(no|not|nope|nah|never|don'?t|dont|later)\b", re.I)
# At the consent question, a no that says nothing needs changing ("no, all correct", "nope all good") is a yes.
ALL_CORRECT = re.compile(r"^\W*(no|nope|nah)\b[\s,.!-]*(it'?s |its |that'?s |thats |everything'?s |everything is )?"
                         r"(all )?(correct|right|good|fine|perfect)\W*$|^\W*no changes?\W*(,?\s*all good\W*)?$", re.I)
# At the consent question, a no taken back in the same breath ("no wait yes", "nope sorry, i mean yes") is a yes.
NO_TAKEN_BACK = re.compile(r"^\W*(no|nope|nah|n)\W+((wait|sorry|oops|i mean|i meant)\W+)+"
                           r"(yes|yeah|yep|y|ok|okay|send it|go ahead|do it|call me)\b(?!.*\d)", re.I)
# At the consent question: a no that says a detail is wrong, and a name given again ("name should be Sarah").
DETAIL_WRONG = re.compile(r"\b(wrong|typo|mistake|incorrect|not right|not my (number|name))\b", re.I)
# Which detail such a no is about: said at the consent question, "the number is wrong" reads as a question about the
# clinic's phone line, and got the clinic's number instead of a way to correct it.
DETAIL_NAMED = re.compile(r"\b(name|number|phone|cell|place|location|time)\b", re.I)
# A name given again: "name should be Sarah", "ask for my wife Dana", "put me down as Linda", "wrong name, its Sam".
NAME_CORRECTION = re.compile(
    r"\b(?:name(?: is|'s| should be| should say|(?=[.:]))|ask for(?: me\W+(?:i'?m|i am|it'?s|its))?|"
    rf"call(?= (?:my|our) {RELATIVES})|put (?:it )?under (?:my|his|her) name|"
    r"put (?:me|(?:my|his|her) name)(?: down)?(?: as)?|"
    r"(?:wrong|typo|misspelled|spelled wrong)(?: name)?\W+(?:it'?s|its|should be|is)|"
    r"(?:spelling|spelt|spelled)(?: is| should be| of (?:my|his|her) name is)|"
    r"(?:it'?s|its)(?=\s+[^\W\d_][\w'-]*\s+not\s)|"
    r"put(?=\s+[^\W\d_][\w'-]*\s+and\s+(?:his|her|their|my)\s+(?:number|cell|phone)))"
    rf"[\s,.:]+(?:(?:my|our) {RELATIVES}\W+)?(?:(?:just|actually|really|simply)\s+)?([^\W\d_][\w'-]*)", re.I)
# Words those phrases may be followed by that are no name ("ask for a female doctor", "my name is spelled wrong").
NOT_A_NAME = frozenset({"a", "an", "the", "me", "him", "her", "them", "us", "you", "u", "it", "that", "this", "my",
                        "his", "their", "our", "your", "someone", "somebody", "anyone", "help", "more", "spelled",
                        "wrong", "right", "correct", "fine", "not", "please", "pls", "back", "later", "instead", "at",
                        "on", "ext", "extension", "just", "actually", "dr", "doctor", "nurse", "its", "it's",
                        "number", "cell", "phone", "mobile", "same", "has", "had", "is", "was", "does", "did", "wants",
                        "needs", "gets", "can", "will", "would", "so", "really", "very", "too", "also", "still", "sure",
                        "here", "ok", "good", "new", "interested", "looking", "calling", "trying", "wondering"})
# Words that make an answer a time to call, even where it also names a location ("upland, mornings").
WEEKDAYS_AND_PARTS_OF_DAY = (r"mornings?|afternoons?|evenings?|nights?|weekdays?|weekends?|"
                             r"(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?s?")
DAYS_AND_TIMES_OF_DAY = rf"{WEEKDAYS_AND_PARTS_OF_DAY}|noon|lunch|any ?time|today|tomorrow"
TIME_WORDS = re.compile(rf"\d|\b({DAYS_AND_TIMES_OF_DAY}|before|after|between|asap|whenever)\b", re.I)
# In a booking request that gives its details at once: a time to call, and a name said as one ("hi im jen 702 ...",
# "name is Anne-Marie", "its Rob (Roberto)"), followed by the end, punctuation, a number or another detail, so "im
# interested in booking" and "im in vegas" give no name.
TIME_IN_A_REQUEST = re.compile(
    rf"\b(?:(?:weekdays?|weekends?|any ?time|(?:{WEEKDAYS_AND_PARTS_OF_DAY})(?: (?:mornings?|afternoons?|evenings?))?|"
    r"lunch(?:time)?|noon|tomorrow|tmrw|tmr|today|tonight|asap)"
    r"(?: (?:after|aft|before|b4|around|at) \d{1,2}(?::\d\d)? ?"
    r"(?:am|pm)?)?|"
    r"(?:after|aft|before|b4|around|between|btwn) \d{1,2}(?::\d\d)? ?(?:am|pm)?(?: and \d{1,2}(?::\d\d)? ?(?:am|pm)?)?|"
    r"\d{1,2}(?::\d\d)? ?(?:am|pm)?-\d{1,2}(?::\d\d)? ?(?:am|pm))\b", re.I)
NAME_IN_A_REQUEST = re.compile(
    rf"\b(?:my name is|name is|name's|names|i'?m|im|i am|this is|it'?s|its|call me|ask for|(?:my|our) {RELATIVES})"
    r"\s+([^\W\d_][\w'-]*)(?:\s+(?-i:[A-Z])[\w'-]*)?"
    rf"(?=\s*(?:$|[-(),.;:!?]|\d|\s(?:and|{WEEKDAYS_AND_PARTS_OF_DAY})\b))", re.I)
# Asked which location is nearer a place ("which one is closer to henderson", "is vegas or upland closer to laughlin"),
# not "the closest to Upland", which is an answer.
CLOSER_ASKED = re.compile(
    r"\b(which|what)( one| location| office| clinic| of (them|the two))? (is|'s|would be|are) "
    r"(closer|closest|nearer|nearest)\b|"
    r"\b(closer|closest|nearer|nearest|far)\b[^?]*\?|\bhow far\b|"
    r"\b(is|are) \w+( \w+)? or \w+( \w+)? (closer|nearer)\b", re.I)
# A booking begun about an appointment already made: the chat cannot see or move it.
APPOINTMENT = r"(?:appointment|appt|consult\w*|session|infusion|booking)"
EXISTING_APPOINTMENT = re.compile(
    rf"\b(?:re-?schedul\w*|(?:move|change|switch|push back|cancel) (?:the (?:time|date|day) (?:of|for) )?"
    rf"(?:my|our|his|her|the|an?|this) (?:existing |current |upcoming |next )?{APPOINTMENT}|"
    rf"(?:my|our|his|her) (?:existing|current|upcoming|next) {APPOINTMENT}|already (?:have|got) (?:an? )?{APPOINTMENT}|"
    rf"have (?:an? )?{APPOINTMENT} (?:booked|on|for|this|next|tomorrow))\b", re.I)
# "better call me first. Dana, 702 555 0164": a name, then the number with nothing but punctuation between.
NAME_BEFORE_A_NUMBER = re.compile(rf"(?:^|[.!?;]\s+)([^\W\d_][\w'-]*)[,;:\s]+{NUMBER_AT_THE_END}")
MOVING_IT = re.compile(r"\b(appt|appointment)\b.*\b(move|change|push|switch|resched\w*)\b|"
                       r"\b(move|change|push|switch|resched\w*)\b.*\b(appt|appointment)\b", re.I)
LOOSE_NAME_PREFIX = re.compile(r"(?:i'?m|im|i am|it'?s|its|this is)\s", re.I)
NUMBERS = re.compile(r"\+?\(?\d[\d()\-. ]{6,}\d")
# At the consent question, a time to call given again ("actually evenings are better", "can they call after 6
# instead"): a time of day, a day or a clock time (not "before" alone: "no actually i should ask him first before u
# call him" is a no, and "its 1243 at the end not 1234" is a number), said with one of these, or as neither a yes nor
# a no.
NEW_TIME = re.compile(rf"\b({DAYS_AND_TIMES_OF_DAY}|tonight|tmrw|asap|(after|before) (work|school|class|dinner)|"
                      r"\d{1,2}(:\d\d)? ?(am|pm|a\.m\.|p\.m\.|ish|o'?clock)|"
                      r"(after|before|at|around|by|from|between|till|until|til) \d{1,2}(:\d\d)?|"
                      r"\d{1,2}(:\d\d)? ?(-|to) ?\d{1,2})\b", re.I)
TIME_CHANGE = re.compile(r"\b(actually|instead|better|rather|prefer|change|make it|but)\b", re.I)
# A day or a part of the day ruled out ("not mondays", "oh and not on fridays"): added to the time, not a no. "no,
# not today" stays a no.
EXCLUDED_TIME = re.compile(rf"\b(not|no|except|never)( on| in the| at)? ({WEEKDAYS_AND_PARTS_OF_DAY})\b", re.I)
# The words that open or close such a change, which the clinic does not need to read ("no, actually ... instead").
CHANGE_CLOSERS = re.compile(r"[\s,.!-]*\b(instead( of \w+( \w+)?)?|like i said|please|pls|plz|is better|are better|"
                            r"would be better|works better)\W*$", re.I)
CHANGE_OPENERS = re.compile(
    r"^(?:\W*\b(?:yes|yeah|no|nope|and|actually|but|oh|ok|okay|sorry|wait|make it)\b[\s,.!-]*)+", re.I)
DIGIT = re.compile(r"\d")
# A question about the form's own questions ("why do u need my name", "what do you need my number for").
WHY_WE_ASK = re.compile(r"\bwhy\b.*\b(name|number|phone|info|information|details|location|time)\b|"
                        r"\bwhat\b.*\b(name|number|phone|info|information|details)\b.*\bfor\b", re.I)
# A question nothing could place, typed at any of the form's questions ("what if he doesnt want to go"): three words
# or more, so a name that is also a question word ("Will") is still a name, and no number, place or (where a time is
# asked) time in it: "could they call after 5?" is the answer.
DETAIL_ENTITIES = ("phone_number", "location")
MIN_WORDS_TOLD = 6
UNPLACED_QUESTION = re.compile(r"^(?=(?:\W*\w+\b){3})(?:.*\?\W*$|\W*(?:what|how|why|when|where|who|which|can|could|"
                               r"would|will|does|do|did|is|are|should|whats|hows|wheres|whos)\b)", re.I | re.S)
# The answers taken as the visitor typed them, which words of another language must not become.
TYPED_AS_WRITTEN = ("first_name", "contact_time")
# After this many unusable answers in a row to one question, the form offers the phone line as the way out.
MISSES_SLOT, MISSES_BEFORE_PHONE_OFFER = "booking_misses", 2
CALL_NOTE_SLOT = "call_note"


@lru_cache(maxsize=1)
def outbox() -> Outbox:
    return Outbox()


@lru_cache(maxsize=1)
def subscribers() -> Subscribers:
    return Subscribers()


def clearly_said(tracker: Tracker, intent: Text) -> bool:
    """Whether the latest message is that intent beyond doubt (see CLEAR_ANSWER_CONFIDENCE)."""
    latest = tracker.latest_message.get("intent") or {}
    return latest.get("name") == intent and (latest.get("confidence") or 0.0) >= CLEAR_ANSWER_CONFIDENCE


def only_a_thumbs_up(text: Text) -> bool:
    """"👍" or "👌" sent alone: a yes no classifier can read."""
    return sent_alone(text, YES_EMOJI, ignoring=YES_EMOJI_EXTRAS)


def is_a_no(tracker: Tracker) -> bool:
    """Read as a no, with a word of one in it ("not now, later"): no name can be both."""
    latest = tracker.latest_message
    return (latest.get("intent") or {}).get("name") == "deny" and bool(NO_WORDS.search(latest.get("text") or ""))


def clearly_yes(tracker: Tracker) -> bool:
    """A yes beyond doubt: the classifier sure of it, or a message that opens with one and takes nothing back."""
    return clearly_said(tracker, "affirm") or bool(CLEAR_YES.match(tracker.latest_message.get("text") or ""))


def sender_phone(tracker: Tracker) -> Optional[Text]:
    """The number an SMS conversation comes from, kept by the Twilio channel; other channels have none."""
    if tracker.get_latest_input_channel() != SMS_CHANNEL:
        return None
    return subscribers().phone_for(tracker.sender_id)


def normalised_phone(text: Text) -> Optional[Text]:
    """E.164 form of a phone number written any usual way ("my cell is 702 555 0143"), or None."""
    if not text or len(text) > MAX_PHONE_ANSWER_LENGTH:
        return None
    found = phone_numbers_in(text)
    return found[0][0] if found else None


def numbers_meant(text: Text) -> List[Text]:
    """The numbers a message may mean to be called on: none, the one it gives (the last where the words between
    correct an earlier one), or several different ones to choose from."""
    if not text or len(text) > MAX_PHONE_ANSWER_LENGTH:
        return []
    found = phone_numbers_in(text)
    different = list(dict.fromkeys(e164 for e164, _, _ in found))
    if len(different) < 2 or LATER_NUMBER_MEANT.search(text[found[0][2]:found[-1][1]]):
        return [e164 for e164, _, _ in found[-1:]]
    chosen = number_chosen(text, text)
    return [chosen] if chosen else different


def number_chosen(choice: Text, numbers_text: Text) -> Optional[Text]:
    """Of the numbers in `numbers_text`, the one `choice` picks by its label ("cell is better", "the cell") or its
    place ("the second one"), if it picks one."""
    found = phone_numbers_in(numbers_text)
    place = PLACE_CHOSEN.match(choice)
    if place and len(found) == 2:
        return found[0][0] if place.group(2).lower() in ("first", "1st", "top", "former") else found[1][0]
    preferred = LABEL_PREFERRED.search(choice)
    if not preferred:
        return None
    label = next(NUMBER_LABELS[group.lower()] for group in preferred.groups()
                 if group and group.lower() in NUMBER_LABELS)
    bounds = [0, *(end for _, _, end in found)]
    before = [numbers_text[bounds[index]:start] for index, (_, start, _) in enumerate(found)]
    after = [numbers_text[end:(found[index + 1][1] if index + 1 < len(found) else len(numbers_text))]
             for index, (_, _, end) in enumerate(found)]
    for texts, nearest in ((before, -1), (after, 0)):  # "home is 702 ..., cell 909 ..." or "702 ... home, 909 ... cell"
        labels = [[NUMBER_LABELS[word.lower()] for word in re.findall(LABEL, text, re.I)] for text in texts]
        named = [words[nearest] if words else None for words in labels]
        if None not in named and len(set(named)) == len(named) and label in named:
            return found[named.index(label)][0]
    return None


def numbers_asked_about(tracker: Tracker) -> Text:
    """The message whose numbers the form asked to choose between ("I see more than one number there"), if the
    question before this message was that."""
    users_seen, asked = 0, False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return event.get("text") or "" if asked else ""
        elif event.get("event") == "bot" and users_seen == 1:
            asked = asked or (event.get("metadata") or {}).get("utter_action") == "utter_which_phone_number"
    return ""


def display_phone(e164: Text) -> Text:
    """A number as people write it: "(702) 555-0143" at home, "+44 20 7946 0958" from abroad."""
    number = phonenumbers.parse(e164, HOME_REGION)
    at_home = phonenumbers.region_code_for_number(number) == HOME_REGION
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL if at_home
                                      else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_not_an_answer(text: Text) -> bool:
    """A yes, a greeting or thanks, punctuation aside ("hello?", "ok!"), typed where a name or a time was asked."""
    return text.lower().strip(" .!?,") in NOT_AN_ANSWER


def clean_first_name(text: Text) -> Optional[Text]:
    """A first name as people type it ("its jake", "his name is Marcus", "my son Marcus" -> "Marcus"), or the one name
    in a list of other details ("Sam, 702-555-0143, vegas, evenings" -> "Sam", "vegas. evenings. its mike" ->
    "Mike"); None for emoji, digits, an essay, a time or one of the clinic's locations."""
    name = name_in(text)
    if name:
        return name
    parts = [part for part in re.split(r"[.,;]\s*", text or "") if part.strip()]
    names = [(index, name_in(part)) for index, part in enumerate(parts)]
    found = [(index, name) for index, name in names if name]
    if len(parts) < 2 or len(found) != 1:
        return None
    # The rest must be details ("he's ok now, i just want to know if it's a problem" gave "He's Ok Now").
    others = [part for index, part in enumerate(parts) if index != found[0][0]]
    details = all(DIGIT.search(part) or TIME_WORDS.search(part) or location_in_text(clinic_profile(), part)
                  for part in others)
    return found[0][1] if details else None


def name_in(text: Text) -> Optional[Text]:
    if RELATIVE_ONLY.match((text or "").strip()):
        return None
    candidate = FILLERS.sub("", SAID_BEFORE_AFTER_NAME.sub("", NUMBER_AFTER_NAME.sub("", (text or "").strip())))
    for _ in range(2):  # "its for my husband, his name is Robert": the relation, then the name
        candidate = AFTER_NAME.sub("", FILLERS.sub("", NAME_PREFIXES.sub("", candidate))).strip(" .!?,")
    if not candidate or len(candidate) > MAX_NAME_LENGTH or is_not_an_answer(candidate) \
            or candidate.lower() in NOT_A_NAME:
        return None
    if clinic_profile().find_location(candidate) or TIME_WORDS.search(candidate):
        return None  # "Las Vegas" or "evenings" answered to the name question is where or when, not who
    allowed = all(unicodedata.category(char).startswith("L") or char in " -'." for char in candidate)
    if not allowed or len(candidate.split()) > 3:
        return None
    return " ".join(part[:1].upper() + part[1:] for part in candidate.split())


def name_given_again(text: Text) -> Optional[Text]:
    """A name given after the name question ("actually my name is Samantha", "ask for Sarah"), to replace the one
    taken."""
    for given in NAME_CORRECTION.finditer(text or ""):
        if given.group(1).lower() not in NOT_A_NAME:
            name = clean_first_name(given.group(1))
            if name:
                return name
    return None


def details_in_a_request(text: Text) -> Dict[Text, Text]:
    """The answers a booking request gives before any question ("hi im jen 702 555 0199 vegas evenings pls call",
    "Book me a free consultation - Upland, mornings, (909) 555-0164, name is Anne-Marie"): each one the form would
    take, so it asks only for the rest. Without them, everything was asked again and "i said evenings" became the
    time."""
    details: Dict[Text, Text] = {}
    numbers = numbers_meant(text)
    if len(numbers) == 1:
        details["phone_number"] = numbers[0]
    location = location_in_text(clinic_profile(), text)
    if location:
        details["preferred_location"] = location.name
    details["contact_time"] = time_in(text) or ""
    for named in NAME_IN_A_REQUEST.finditer(text):
        # "its complicated" or "im tired, can i book": after these, only a capital or a number beside it makes a name.
        loose = LOOSE_NAME_PREFIX.match(named.group(0)) and not named.group(1)[0].isupper() \
            and not re.match(r"\s*[\d(+]", text[named.end():])
        name = None if loose or named.group(1).lower() in NOT_A_NAME else clean_first_name(named.group(1))
        if name:
            details["first_name"] = name
            break
    return {slot: value for slot, value in details.items() if value}


def time_told_with_other_details(tracker: Tracker, requested: Optional[Text]) -> Optional[Text]:
    """A time to call given beside the answer to another question, while no time is known yet."""
    if requested not in ("first_name", "phone_number", "preferred_location") or tracker.get_slot("contact_time"):
        return None
    return time_in(tracker.latest_message.get("text") or "")


def time_in(text: Text) -> Optional[Text]:
    """The times to call a message gives among other details ("702 555 0143, vegas, weekday evenings"), numbers
    aside."""
    times = [match.group(0) for match in TIME_IN_A_REQUEST.finditer(NUMBERS.sub(" ", text))]
    return clean_contact_time(" ".join(times)) if times else None


def about_an_existing_appointment(text: Text) -> bool:
    """"i need to change my appointment time", "i have an appt thurs at 2, need to move it to next wk"."""
    return bool(EXISTING_APPOINTMENT.search(text) or MOVING_IT.search(text) and not re.search(r"\blater\b", text))


def name_before_a_number(text: Text) -> Optional[Text]:
    """A name put just before a new number at the consent question ("call me first so i can prep her. Marcus, 702 555
    0164"): the clinic would have called Marcus's number and asked for his mother."""
    named = NAME_BEFORE_A_NUMBER.search(text or "")
    if not named or named.group(1).lower() in NOT_A_NAME:
        return None
    return name_in(named.group(1))


def corrects_a_detail(text: Text) -> bool:
    """A message at the consent question that gives a name again or says which detail is wrong: the consent check
    reads it whatever the classifier made of it."""
    return bool(name_given_again(text) or DETAIL_WRONG.search(text) and DETAIL_NAMED.search(text))


def clean_contact_time(text: Text) -> Optional[Text]:
    """A time to call as the visitor wrote it, on one line, without the parts that tell no time ("sorry, my brother
    passed last year, its been a rough week. evenings i guess" is "evenings i guess": the clinic needs no more);
    None for an empty, symbol-only or over-long answer."""
    cleaned = SAID_AROUND_A_TIME.sub("", " ".join(str(text or "").split()))
    parts = [part for part in re.split(r"(?<=[.;!?,])\s+", cleaned) if part]
    timed = [part for part in parts if TIME_WORDS.search(part)]
    if 0 < len(timed) < len(parts):
        cleaned = " ".join(timed).rstrip(",;")
    if not cleaned or len(cleaned) > MAX_TIME_LENGTH or is_not_an_answer(cleaned):
        return None
    return cleaned if any(char.isalnum() for char in cleaned) else None


def checked_request(tracker: Tracker, location: Optional[Location]) -> Optional[Dict[Text, Text]]:
    """The booking's answers, each checked again as the form checks it, whoever called the action; None if any
    answer would not pass the form. `location` is the preferred_location slot as chosen_location resolves it."""
    phone, extension = split_extension(normalised_phone(str(tracker.get_slot("phone_number") or "")) or "")
    values = {
        "first_name": clean_first_name(str(tracker.get_slot("first_name") or "")),
        "phone": phone,
        "location": location.name if location else None,
        "contact_time": clean_contact_time(tracker.get_slot("contact_time")),
    }
    return {**values, "phone_extension": extension} if all(values.values()) else None


def cleared_answers() -> List[EventType]:
    """Empties every answer of the booking form and its count of misses once the request is sent (or could not be),
    so none outlives it; a request declined or cancelled keeps them for a change of mind."""
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, MISSES_SLOT, CALL_NOTE_SLOT)]


def chosen_location(value: Any) -> Optional[Location]:
    profile = clinic_profile()
    text = str(value or "")
    return profile.find_location(text) or location_in_text(profile, text) or profile.closest_location(text)


def reply_instead_of_an_answer(message: Dict[Text, Any], requested: Optional[Text]) -> Optional[Text]:
    """The response for a message that only looks like an answer to the form's question: "why do you need my name"
    (the classifier reads it as a question about eligibility or contact, the rules would not answer it), or words of
    another language where a name or a time is asked ("hablan español" reads like a name; a number or a place in one
    is still taken), and at any question a question nothing could place, which the team can take up when they
    call."""
    if not requested:
        return None
    if WHY_WE_ASK.search(message.get("text") or ""):
        return "utter_why_we_ask"
    if requested in TYPED_AS_WRITTEN and message.get(OTHER_LANGUAGE) == OTHER_WORDS:
        return "utter_other_language"
    if CALL_QUESTION.search(message.get("text") or ""):
        return "utter_about_the_call"
    if ((message.get(SAFETY_VERDICT) or {}).get(HARM_TOLD)):
        # "he might freak out on me", at the consent question of a call booked for him, got "I need a yes or a no".
        return "utter_harmed_by_someone_line"
    if requested == "preferred_location" and CLOSER_ASKED.search(message.get("text") or ""):
        # "is vegas or upland closer to laughlin" was taken as a choice, and the farther one was booked.
        return "utter_which_location_is_closer"
    if BACK_AFTER_A_BREAK.fullmatch(message.get("text") or ""):
        # "sorry kids. where were we" got the crisis reply; "ok im back" got a goodbye.
        return "utter_back_to_the_booking"
    unplaced = (message.get("intent") or {}).get("name") == NLU_FALLBACK
    text = message.get("text") or ""
    details = [entity for entity in message.get("entities") or [] if entity.get("entity") in DETAIL_ENTITIES]
    a_time = requested == "contact_time" and TIME_WORDS.search(text)
    # A sentence nothing could place, and no name in it where a name is asked, is something told, not a bad answer
    # ("she was assaulted last year and she barely sleeps anymore" got "That doesn't look like a phone number").
    told = len(text.split()) >= MIN_WORDS_TOLD and (
        requested in ("phone_number", "preferred_location")
        or requested == "first_name" and clean_first_name(text) is None)
    if unplaced and not details and not a_time and (UNPLACED_QUESTION.match(text) or told):
        # A loss to suicide or a hard time told there ("my buddy from my unit killed himself last month") is met with
        # kindness and the lifeline, not "I may not be able to answer that here".
        hard = speaks_of_a_hard_time(message) or tells_of_something_hard(message)
        return "utter_sorry_things_are_hard" if hard else "utter_question_during_booking"
    return None


def no_answer_from_this_message(tracker: Tracker) -> List[EventType]:
    """Drops what the form read from the latest message, and does not count it as a miss."""
    return [*(SlotSet(slot, None) for slot in tracker.slots_to_validate()),
            SlotSet(MISSES_SLOT, tracker.get_slot(MISSES_SLOT))]


def the_rest_of_the_message(tracker: Tracker, text: Text, rest: Text) -> Tracker:
    """The tracker as if the message had been only `rest`: the answer the form reads, once a call note is taken out."""
    without_note = copy.deepcopy(tracker)
    without_note.latest_message["text"] = rest
    for event in without_note.events[len(without_note.events) - len(without_note.slots_to_validate()):]:
        if event.get("value") == text:
            event["value"] = rest
    without_note.slots.update({name: rest for name, value in without_note.slots.items() if value == text})
    return without_note


def phone_line(location: Optional[Location]) -> Text:
    """The location's own line, or the main line when no location is known."""
    return location.phone if location else clinic_profile().main_phone


class ValidateBookingForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_booking_form"

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict[Text, Any]) -> List[EventType]:
        """Each answer's own check, then a way out: a second unusable answer in a row to the same question also gets
        the phone line, so nobody is stuck repeating themselves (a question asked in between is no miss). A wish about
        the call itself is kept as a note first, and the rest of the message is the answer."""
        text = tracker.latest_message.get("text") or ""
        note, rest = call_note_in(text)
        if not note:
            return await self._answer_events(dispatcher, tracker, domain)
        # "505-214-8890. and pls no voicemail my wife doesnt know": the note is kept and said back, and the form reads
        # the number alone; a message that is only a note answers nothing, and the question comes again.
        dispatcher.utter_message(response="utter_call_note_added", call_note=note)
        noted = SlotSet(CALL_NOTE_SLOT, with_note(tracker.get_slot(CALL_NOTE_SLOT), note))
        at_consent = tracker.get_slot("requested_slot") == "contact_consent"
        if not rest or at_consent and not CLEAR_YES.match(rest):
            # At the consent question only a clear yes beside a note is an answer: "add a note that her daughter made
            # this booking, so she is not confused" read as a no.
            return [noted, *no_answer_from_this_message(tracker)]
        return [noted, *await self._answer_events(dispatcher, the_rest_of_the_message(tracker, text, rest), domain)]

    async def _answer_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: Dict[Text, Any]) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if requested is None:
            # The form is starting: the request's own details are answers, and only the rest is asked.
            text = tracker.latest_message.get("text") or ""
            events = [*await super().get_validation_events(dispatcher, tracker, domain),
                      *(SlotSet(slot, value) for slot, value in details_in_a_request(text).items())]
            if tracker.get_slot("booking_reference"):
                # The same details went out twice, as two references, without a word.
                dispatcher.utter_message(response="utter_booking_another")
            if about_an_existing_appointment(text):
                # "I need to change my appointment time" started a booking, and a new request went out as if moved.
                dispatcher.utter_message(response="utter_existing_appointment")
                note = with_note(tracker.get_slot(CALL_NOTE_SLOT), f"about an appointment already made: {text}")
                events.append(SlotSet(CALL_NOTE_SLOT, note))
            return events
        reply = reply_instead_of_an_answer(tracker.latest_message, requested)
        if reply:
            # Nothing in the message is an answer; the form asks its question again.
            dispatcher.utter_message(response=reply, locations_list=locations_list(clinic_profile()))
            return no_answer_from_this_message(tracker)
        corrected_name = (name_given_again(tracker.latest_message.get("text") or "")
                          if requested in ("phone_number", "preferred_location", "contact_time") else None)
        if corrected_name:
            # "actually my name is Samantha" at the time question was taken as the time; the name changes and the
            # question comes again (at the consent question, validate_contact_consent reads the name back).
            return [*no_answer_from_this_message(tracker), SlotSet("first_name", corrected_name)]
        events = await super().get_validation_events(dispatcher, tracker, domain)
        answers = [event for event in events if event.get("event") == "slot" and event.get("name") == requested]
        told_time = time_told_with_other_details(tracker, requested)
        if told_time and any(answer.get("value") is not None for answer in answers):
            # "702 555 0143, vegas, evenings" at the number question: the time was asked again.
            events.append(SlotSet("contact_time", told_time))
        if not requested or not answers:
            # No answer to the question (nothing, or only a question of its own): Rasa must see no events, or the form
            # would go on instead of letting the rules answer the question.
            return events
        # A detail corrected instead ("ask for Alexandra instead" at the consent question) is progress, not a miss.
        corrected = any(event.get("event") == "slot" and event.get("name") in FORM_SLOTS
                        and event.get("name") != requested and event.get("value") is not None for event in events)
        missed = answers[-1].get("value") is None and not corrected
        misses = int(tracker.get_slot(MISSES_SLOT) or 0) + 1 if missed else 0
        if misses >= MISSES_BEFORE_PHONE_OFFER:
            dispatcher.utter_message(response="utter_booking_by_phone")
        return [*events, SlotSet(MISSES_SLOT, misses)]

    def extract_contact_consent(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """A clear yes to the consent question whatever intent the classifier gave the rest of it, and a detail
        corrected there ("wait that's my number not his, ask for Dana" read as a question about the clinic's phone
        line, was answered so, and the next yes booked the wrong name)."""
        if tracker.get_slot("requested_slot") != "contact_consent":
            return {}
        text = tracker.latest_message.get("text") or ""
        note, rest = call_note_in(text)
        if note:
            # "yes but make sure they don't leave a voicemail": the note is kept by the validation; the yes counts.
            text, tracker = rest, the_rest_of_the_message(tracker, text, rest)
        if corrects_a_detail(text):
            return {"contact_consent": text}
        return {"contact_consent": True} if clearly_yes(tracker) else {}

    def validate_first_name(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        if is_a_no(tracker):
            # "not now, later" or "nope" where a name is asked: not a name, and maybe a wish to stop.
            dispatcher.utter_message(response="utter_no_name_given")
            return {"first_name": None}
        name = clean_first_name(str(slot_value or ""))
        if name is None:
            for_someone_else = RELATIVE_ONLY.match(str(slot_value or "").strip())
            dispatcher.utter_message(response="utter_booking_for_someone_else" if for_someone_else
                                     else "utter_invalid_first_name")
        return {"first_name": name}

    def validate_phone_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        offered = sender_phone(tracker)
        if offered and tracker.get_slot("requested_slot") == "phone_number" and clearly_yes(tracker):
            return {"phone_number": normalised_phone(offered)}
        text = tracker.latest_message.get("text") or ""
        meant = numbers_meant(text)
        earlier = numbers_asked_about(tracker) if not meant else ""
        chosen = number_chosen(text, earlier) if earlier else None
        if chosen:
            return {"phone_number": chosen}
        if len(meant) > 1:
            dispatcher.utter_message(response="utter_which_phone_number",
                                     phone_choices=" or ".join(display_phone(number) for number in meant))
            return {"phone_number": None}
        phone = meant[0] if meant else normalised_phone(str(slot_value or ""))
        if phone is None:
            dispatcher.utter_message(response="utter_invalid_phone_number")
        return {"phone_number": phone}

    def validate_preferred_location(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        location = chosen_location(slot_value)
        if location is None:
            dispatcher.utter_message(response="utter_invalid_preferred_location")
            return {"preferred_location": None}
        return {"preferred_location": location.name}

    def validate_contact_time(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        """A message that names a location and no time ("actually upland is closer") changed the location (its own
        mapping took it), so the time is asked again without a complaint."""
        if list(tracker.get_latest_entity_values("location")) and not TIME_WORDS.search(str(slot_value or "")):
            return {"contact_time": None}
        text = clean_contact_time(slot_value)
        if text is None:
            dispatcher.utter_message(response="utter_invalid_contact_time")
        return {"contact_time": text}

    def validate_contact_consent(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        """A yes only when it is clear, a no as it comes unless it says a detail is wrong ("no the number is wrong":
        the visitor is asked for the right one); a new name, number, place or time is taken and the question asked
        again with it read back; anything else is asked again."""
        text = tracker.latest_message.get("text") or ""
        corrected_name = name_given_again(text) or name_before_a_number(text)
        if corrected_name:
            return {"contact_consent": None, "first_name": corrected_name}
        corrected = any(list(tracker.get_latest_entity_values(entity)) for entity in ("phone_number", "location"))
        excluded = EXCLUDED_TIME.search(text)
        if not corrected and NEW_TIME.search(text) and (
                TIME_CHANGE.search(text) or excluded or slot_value not in (True, False)):
            new_time = clean_contact_time(CHANGE_CLOSERS.sub("", CHANGE_OPENERS.sub("", text)))
            earlier = tracker.get_slot("contact_time")
            if new_time and excluded and earlier and EXCLUDED_TIME.match(new_time):
                new_time = clean_contact_time(f"{earlier}, {new_time}")
            return {"contact_consent": None, "contact_time": new_time or earlier}
        if (DETAIL_WRONG.search(text) or DIGIT.search(text)) and not corrected:
            # Digits that are no number and no time ("wait its 1243 at the end not 1234") mend a detail too.
            dispatcher.utter_message(response="utter_booking_detail_wrong")
            return {"contact_consent": None}
        if ALL_CORRECT.match(text) or only_a_thumbs_up(text) or CLEAR_YES.match(text) or NO_TAKEN_BACK.match(text):
            return {"contact_consent": True}
        if slot_value is False or slot_value is True and clearly_yes(tracker):
            return {"contact_consent": slot_value}
        if not corrected:
            dispatcher.utter_message(response="utter_invalid_contact_consent")
        return {"contact_consent": None}


class ActionAskFirstName(Action):
    """The booking's first question says what happens next ("the team will call you for a free consultation"), and
    that anyone may be booked for where the visitor wrote of someone else; asked again, after a question in between
    or an answer that was no name, it is the question alone."""

    def name(self) -> Text:
        return "action_ask_first_name"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if said_since_the_booking_began(tracker, NAME_QUESTIONS):
            dispatcher.utter_message(response=FIRST_NAME_ASKED_AGAIN)
        elif SOMEONE_ELSE.search(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response=FIRST_NAME_QUESTION_FOR_SOMEONE_ELSE)
        else:
            dispatcher.utter_message(response=FIRST_NAME_QUESTION)
        return []


def said_since_the_booking_began(tracker: Tracker, responses: Tuple[Text, ...]) -> bool:
    """The form runs its questions inside its own step, so the trace is the bot's message, named in its metadata."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in responses:
            return True
        if event.get("event") == "active_loop" and event.get("name") == BOOKING_FORM:
            return False
    return False


class ActionAskPhoneNumber(Action):
    """Over SMS, offers the number the message came from instead of asking for it."""

    def name(self) -> Text:
        return "action_ask_phone_number"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        offered = sender_phone(tracker)
        if offered and normalised_phone(offered):
            dispatcher.utter_message(response="utter_offer_sender_phone", sender_phone=display_phone(offered))
        else:
            dispatcher.utter_message(response="utter_ask_phone_number")
        return []


class ActionAskContactConsent(Action):
    """Reads the answers back before the last question, the number as people write it ("(702) 555-0143")."""

    def name(self) -> Text:
        return "action_ask_contact_consent"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        phone = normalised_phone(str(tracker.get_slot("phone_number") or ""))
        note = tracker.get_slot(CALL_NOTE_SLOT)
        dispatcher.utter_message(response="utter_ask_contact_consent",
                                 phone_display=display_phone(phone) if phone else tracker.get_slot("phone_number"),
                                 note_line=f' Note for the team: "{note}".' if note else "")
        return []


class ActionAskPreferredLocation(Action):
    """Asks which location, with one button per location in the clinic profile (numbered choices over SMS)."""

    def name(self) -> Text:
        return "action_ask_preferred_location"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        buttons = [{"title": location.name, "payload": location.name} for location in clinic_profile().locations]
        dispatcher.utter_message(response="utter_ask_preferred_location", buttons=buttons)
        return []


class ActionSubmitBooking(Action):
    """Writes the request to the outbox first, holding its lease, then tries to deliver it; the worker retries what
    fails. The database and the intake call run in threads, so one slow clinic endpoint stalls no other action."""

    def name(self) -> Text:
        return "action_submit_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        reset = cleared_answers()
        location = tracker.get_slot("preferred_location")
        chosen = chosen_location(location)
        line = phone_line(chosen)
        if not tracker.get_slot("contact_consent"):
            # The answers stay (until the session ends, a booking is sent or cancelled) so that a "No" tapped by
            # mistake costs one "yes": the response offers it, and the form resumes at the consent question.
            dispatcher.utter_message(response="utter_booking_without_consent", location_phone=line)
            return [SlotSet("contact_consent", None), SlotSet(MISSES_SLOT, None)]
        answers = checked_request(tracker, chosen)
        if answers is None:
            dispatcher.utter_message(response="utter_booking_invalid", location_phone=line)
            return reset
        settings = load_intake_settings()
        request = await asyncio.to_thread(
            outbox().add,
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            **answers,
            consent=True,
            call_note=tracker.get_slot(CALL_NOTE_SLOT),
            status=PENDING if settings.delivers else PHONE_HANDOFF,
            lease=delivery_lease(settings) if settings.delivers else None,
        )
        values = {"reference": request.reference, "location_phone": line, "location_name": location}
        if not settings.delivers:
            dispatcher.utter_message(response="utter_booking_recorded", **values)
        else:
            outcome = await asyncio.to_thread(attempt_delivery, outbox(), settings, request.id, request.lease_token)
            if outcome is not None and outcome.permanent_failure:
                dispatcher.utter_message(response="utter_booking_not_sent", **values)
            else:
                dispatcher.utter_message(response="utter_booking_confirmed", **values)
        return [*reset, SlotSet("booking_reference", request.reference), SlotSet("booking_requested", True)]


class ActionTellRequestAlreadySent(Action):
    """A detail corrected after the request was sent (bot/policies/sent_request.py): it can't be changed here; the
    line to call is the one of the location the request named."""

    def name(self) -> Text:
        return "action_tell_request_already_sent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        reference = str(tracker.get_slot("booking_reference") or "")
        request = await asyncio.to_thread(outbox().by_reference, reference)
        line = phone_line(chosen_location(request.location if request else None))
        dispatcher.utter_message(response="utter_booking_already_sent", location_phone=line)
        return []


class ActionTellRequestStatus(Action):
    """Asked whether a request went through (bot/policies/sent_request.py): what this session sent, or that earlier
    requests can't be looked up here; either way no need to book again, and the line."""

    def name(self) -> Text:
        return "action_tell_request_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        reference = str(tracker.get_slot("booking_reference") or "")
        request = await asyncio.to_thread(outbox().by_reference, reference) if reference else None
        if request is None:
            dispatcher.utter_message(response="utter_request_status_unknown")
            return []
        dispatcher.utter_message(response="utter_request_status_sent",
                                 location_phone=phone_line(chosen_location(request.location)))
        return []


class ActionHandToPhoneLine(Action):
    """Gives the right location's phone line and records the hand-off for staff to follow up."""

    def name(self) -> Text:
        return "action_hand_to_phone_line"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        named = next(tracker.get_latest_entity_values("location"), None)
        location = chosen_location(named or tracker.get_slot("preferred_location"))
        line = phone_line(location)
        await asyncio.to_thread(
            outbox().add,
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            first_name=tracker.get_slot("first_name"),
            phone=normalised_phone(sender_phone(tracker) or ""),
            location=location.name if location else None,
            contact_time=None,
            consent=False,
            status=PHONE_HANDOFF,
        )
        dispatcher.utter_message(
            response="utter_hand_to_phone_line",
            location_phone=line,
            location_phone_link="tel:" + normalised_phone(line),
        )
        return [SlotSet("human_requested", True)]
