"""What a person asks of the clinic's call itself, kept as a note on the booking request.

"no voicemail, my wife doesn't know", "can the call be in spanish for my mom?", "I am hard of hearing" and "dont
call if my parents might pick up" were dropped from the request, and the team would have called without them.
"""
from __future__ import annotations

import re
from typing import Optional, Text, Tuple

MAX_NOTE_LENGTH = 240
HOUSEHOLD = r"(wife|husband|partner|boyfriend|girlfriend|family|parents?|mom|mum|dad|kids|boss|work|job|roommate)"
CALL_NOTE = re.compile(
    r"\b(voice ?mail|vm|leave (a |any )?(message|msg)s?|"
    r"(in|speaks?|speaking) (spanish|español|espanol)|spanish[- ]speak\w*|interpreter|"
    r"translat(e|or|ing)|"
    r"text (me )?(first|before|instead)|(can|could) (they|you|someone|the team) (just )?text|"
    r"(rather|prefer) (a )?text|"
    r"hard of hearing|(hearing|ears?) (is |are )?(not|n'?t|isnt|arent) (good|great)|\bdeaf\b|hearing aids?|"
    rf"{HOUSEHOLD} (doesn'?t|doesnt|don'?t|dont|does not|do not) know|"
    rf"{HOUSEHOLD} (might |may |could |will )?(pick|picks|answer|answers) (it )?up|"
    r"(he|she|they)'?s the patient|the patient is|"
    # A backup number ("or call the house 702 555 0100 if no answer") and who booked ("her son booked it"), told to
    # the team: "pls tell them her son booked it so shes not confused" stopped the booking.
    r"if (no ?one |nobody )?(no answer|(she|he|they|i) (doesn'?t|don'?t|does not|do not|can'?t) (answer|pick up))|"
    r"as a backup|backup (number|is)|(tell|let) (them|the team|whoever calls)|add (a |this as a |it as a )?note|"
    r"note (that|:)|(booked|made|set up) (it |this )?(for|by) (her|him|them|my)|"
    r"(son|daughter|wife|husband|partner|mom|mother|dad|father|sister|brother) (booked|made|set up) (it|this))\b",
    re.I)
# Questions about the call itself ("how long is the call", "who will call me, a doctor?", "how soon will they call",
# "is the consult in person or over the phone?"), which got the clinic's phone line and "I don't have the opening
# hours", or the medical director's biography.
CALL_QUESTION = re.compile(
    r"\bhow (long|soon|quickly|fast) (is|will|does|would|do|till|until|before)\b.{0,30}\b(call|consult\w*|ring)|"
    r"\bhow long (will it|does it|would it) (take|be)\b.{0,20}\b(call|ring|hear)|"
    r"\bwho(?:'s| is)? (will|would|is going to|going to|gonna|is gonna|'?ll) (call|be calling|ring|phone)|"
    r"\b(in person|in-person|face to face)\b.{0,40}\b(phone|call|video|zoom|online)\b|"
    r"\b(phone|call|video|zoom|online)\b.{0,40}\b(in person|in-person|face to face)\b|"
    r"\bwhen (will|would|do|does) (they|someone|somebody|the team|you|u) (call|ring|phone|get back)", re.I)
REASON = re.compile(r"\s*(because|bc|cause|cuz|since|so|he|she|they|my (wife|husband|partner|family|parents|mom|dad|boss))\b",
                    re.I)
CLAUSE = re.compile(r"[^.!?;,\n]+[.!?;,\n]*")
# "yes but make sure they don't leave a voicemail": the yes is an answer of its own.
LEADING_YES = re.compile(r"^\s*(yes|yeah|yep|yup|ok|okay|sure|y)\b[\s,]*(but|and)?\s+(?=\w)", re.I)
LEADING_FILLERS = re.compile(r"^((and|also|oh|ok|okay|but|pls|plz|please|btw|ps|one more thing)\b[\s,:-]*)+", re.I)


def call_note_in(text: Text) -> Tuple[Optional[Text], Text]:
    """The sentences of a message that ask something of the call, and the rest of the message (an answer to the
    form's question may share the message: "505-214-8890. and pls no voicemail")."""
    if not text or len(text) > 4 * MAX_NOTE_LENGTH:
        return None, text or ""
    noted, rest = [], []
    leading_yes = LEADING_YES.match(text)
    if leading_yes and CALL_NOTE.search(text):
        rest.append(leading_yes.group(1))
        text = text[leading_yes.end():]
    last_was_noted = False
    for clause in CLAUSE.findall(text):
        # The reason given right after a wish ("will they text first? he checks my phone and gets really angry") is part
        # of it, not an answer to the form's question.
        last_was_noted = bool(CALL_NOTE.search(clause) or last_was_noted and REASON.match(clause))
        (noted if last_was_noted else rest).append(clause.strip())
    if not noted:
        return None, text
    note = " ".join(LEADING_FILLERS.sub("", clause) for clause in noted).strip(" ,")
    return note[:MAX_NOTE_LENGTH], " ".join(part.strip(" ,") for part in rest if part.strip(" .,!?;-"))


def with_note(earlier: Optional[Text], note: Text) -> Text:
    """Notes from several messages, each once, as the clinic will read them."""
    notes = [part for part in (earlier or "").split(" / ") if part]
    if note.lower() not in (part.lower() for part in notes):
        notes.append(note)
    return " / ".join(notes)[-MAX_NOTE_LENGTH:]
