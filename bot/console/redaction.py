"""Finds personal details in conversation text and replaces them, so the staff console shows transcripts redacted.

Phone numbers come from the phonenumbers library; e-mail addresses and dates of birth from character patterns,
because spaCy's tokens do not fit them (it splits "3-4-85" but not "03/04/1985", and keeps "email:jo@x.com;bo@y.org"
as one token that is not LIKE_EMAIL); street addresses, self-introductions and the names a person gave from spaCy
token patterns.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple

import phonenumbers
import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from bot.clinic.phones import HOME_REGION, e164
from bot.clinic.profile import ClinicProfile

PHONE, EMAIL, ADDRESS, DATE_OF_BIRTH, NAME = "phone", "email", "address", "date of birth", "name"

# Bounded repeats keep the search linear on a 100 kB message without spaces.
EMAIL_ADDRESS = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}")

MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
DATE = (rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.\-]\d{{1,2}}(?:[/.\-](?:\d{{4}}|\d{{2}}))?"
        rf"|{MONTH}\s{{1,3}}{DAY}(?:,?\s{{1,3}}\d{{4}})?|{DAY}\s{{1,3}}(?:of\s{{1,3}})?{MONTH}(?:,?\s{{1,3}}\d{{4}})?"
        rf"|{MONTH},?\s{{1,3}}\d{{4}})(?![\w/])")
# A birth cue, then the date: "DOB: 03/04/1985", "born on March 4th, 1985", "my birthday is 4 March".
DATE_AFTER_BIRTH_CUE = re.compile(
    rf"(?<![\w.])(?P<cue>d\.?o\.?b|date\s{{1,3}}of\s{{1,3}}birth|birth\s?date|birthday|b-?day|born)\b\.?"
    rf"[\s:=,\-]{{0,4}}(?:(?P<word>is|was|on|in)\b[\s:,\-]{{0,4}})?(?P<date>{DATE})",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d+")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
BARE_BORN_YOUNGEST_AGE = 10

STREET_TYPES = frozenset(
    "street st avenue ave road rd drive dr boulevard blvd lane ln way court ct place pl circle cir "
    "parkway pkwy highway hwy terrace ter trail trl".split()
)
# Long forms to the abbreviation, so "South Main Street" and "S. Main St" are the same street.
ABBREVIATIONS = {
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd", "lane": "ln", "court": "ct",
    "place": "pl", "circle": "cir", "parkway": "pkwy", "highway": "hwy", "terrace": "ter", "trail": "trl",
    "north": "n", "south": "s", "east": "e", "west": "w",
}
UNIT_WORDS = ["apt", "apartment", "unit", "suite", "ste", "#"]
# Words that cannot name a street: stop words (except those that do, "First Street") and what people count
# ("a 45 minute drive", "3 sessions way back").
COUNTED = "minute min hour hr day week month year mile time dose session infusion treatment pill kid".split()
NOT_STREET_WORDS = sorted(
    (STOP_WORDS - {"first", "third", "front", "back", "side", "top"}) | {*COUNTED, *(word + "s" for word in COUNTED)}
)
# Words that follow "I'm" or "this is" but are not names: "I'm Not", "I'm Scared", "I'm Sorry".
NOT_NAMES = sorted(STOP_WORDS | set(
    "afraid alone anxious ashamed asking calling confused curious depressed desperate done exhausted feeling fine "
    "glad good great happy having hoping hopeless hurting interested looking lost nervous new ok okay overwhelmed "
    "ready sad scared sick sorry struggling stuck suicidal sure terrified thinking tired trying wondering worried"
    .split()
))
GREETINGS = {"hi", "hello", "hey"}
TITLES = ["dr", "mr", "mrs", "ms", "mx", "miss"]


@dataclass(frozen=True)
class Redaction:
    """One personal detail found: characters start to end of the text, and what kind of detail it is."""

    start: int
    end: int
    kind: str


def _with_periods(words: Iterable[str]) -> List[str]:
    """The words as written and with a period ("St" is one token, "ST." another: spaCy splits a period after
    a lower-case letter only)."""
    return sorted({variant for word in words for variant in (word, word + ".")})


def _street_patterns() -> List[List[Dict]]:
    """A house number, one to four words and a street type, then optionally "Apt 5", "Suite 103" or "#5B"."""
    word = {"TEXT": {"REGEX": r"^(?:[^\W\d_][\w'’.\-]*|\d+(?:st|nd|rd|th))$"}, "LOWER": {"NOT_IN": NOT_STREET_WORDS}}
    street = [
        {"TEXT": {"REGEX": r"^\d{1,6}[A-Za-z]?$"}}, word, *[{**word, "OP": "?"}] * 3,
        {"LOWER": {"IN": _with_periods(STREET_TYPES)}},
    ]
    unit = [
        {"ORTH": {"IN": [",", "."]}, "OP": "?"}, {"LOWER": {"IN": _with_periods(UNIT_WORDS)}},
        {"ORTH": ".", "OP": "?"}, {"ORTH": "#", "OP": "?"}, {"TEXT": {"REGEX": r"^(?:\d{1,6}[A-Za-z]?|[A-Za-z])$"}},
    ]
    return [street, street + unit]


# Introductions, each with the number of tokens before the name.
INTRODUCTIONS = {"my name is": 3, "this is": 2, "i'm": 1, "i am": 2}


def _introduction_patterns() -> Dict[str, List[List[Dict]]]:
    """The name (and surname) after "my name is" in any case; after "this is" and "I'm" only capitalised ones."""
    title = [{"LOWER": {"IN": _with_periods(TITLES)}, "OP": "?"}, {"ORTH": ".", "OP": "?"}]
    any_case = {"IS_ALPHA": True, "LOWER": {"NOT_IN": NOT_NAMES}}
    capitalised = {**any_case, "IS_TITLE": True}
    name = [*title, capitalised, {**capitalised, "OP": "?"}]
    return {
        "my name is": [[{"LOWER": "my"}, {"LOWER": "name"}, {"LOWER": {"IN": ["is", "'s", "’s"]}}, *title, any_case,
                        {**any_case, "OP": "?"}]],
        "this is": [[{"LOWER": "this"}, {"LOWER": "is"}, *name]],
        "i'm": [[{"LOWER": {"IN": ["i'm", "i’m", "im"]}}, *name]],
        "i am": [[{"LOWER": "i"}, {"LOWER": {"IN": ["am", "m"]}}, *name]],
    }


@lru_cache(maxsize=1)
def _nlp() -> Language:
    """A blank English tokenizer, built once per process: the console redacts thousands of messages."""
    nlp = spacy.blank("en")
    # spaCy's 1,300 special cases ("don't", "Dr.") cost 200 us whenever a message has one; no pattern needs them.
    nlp.tokenizer.rules = {}
    return nlp


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    """The street and introduction patterns, built once per process."""
    matcher = Matcher(_nlp().vocab)
    matcher.add(ADDRESS, _street_patterns(), greedy="LONGEST")
    for introduction, patterns in _introduction_patterns().items():
        matcher.add(introduction, patterns, greedy="LONGEST")
    return matcher


def _tokenize(text: str) -> Doc:
    """spaCy's tokens; lone surrogates, which spaCy cannot encode, become U+FFFD one for one, so offsets hold."""
    return _nlp().tokenizer(LONE_SURROGATE.sub("\ufffd", text))


def public_details(profile: ClinicProfile) -> FrozenSet[str]:
    """The clinic's public phone numbers (E.164), crisis short codes, addresses and name ("Hi, I'm Klarity
    Clinic's assistant"), to pass as a Redactor's keep."""
    lines = profile.crisis_lines
    numbers = [profile.main_phone, lines.poison_help, lines.violence_hotline, lines.child_abuse_hotline,
               *(location.phone for location in profile.locations)]
    return frozenset({
        profile.name,
        *(e164(number) or number for number in numbers),
        lines.lifeline, lines.veterans_text, lines.text_line, lines.emergency, lines.violence_text_line,
        *(location.address for location in profile.locations),
    })


def _street_key(span: Span) -> Tuple[str, ...]:
    """House number and street words up to the street type, abbreviated, without punctuation or unit."""
    words = [token.lower_.rstrip(".") for token in span if not token.is_punct]
    last_type = max(index for index, word in enumerate(words) if word in STREET_TYPES)
    return tuple(ABBREVIATIONS.get(word, word) for word in words[: last_type + 1])


def _streets_in(text: str) -> List[Tuple[str, ...]]:
    return [_street_key(span) for span in _matcher()(_tokenize(text), as_spans=True) if span.label_ == ADDRESS]


def _is_adult_birth_date(text: str) -> bool:
    """A full date (day, month and 4-digit year) of someone at least ten years old."""
    numbers = NUMBER.findall(text)
    latest_year = date.today().year - BARE_BORN_YOUNGEST_AGE
    return len(numbers) >= 2 and any(len(number) == 4 and 1900 <= int(number) <= latest_year for number in numbers)


def _emails(text: str) -> Iterator[Redaction]:
    for found in EMAIL_ADDRESS.finditer(text):
        yield Redaction(found.start(), found.end(), EMAIL)


def _dates_of_birth(text: str) -> Iterator[Redaction]:
    """Dates after a birth cue; after a bare "born" only a full date of someone at least ten years old."""
    for found in DATE_AFTER_BIRTH_CUE.finditer(text):
        bare_born = found["cue"].lower() == "born" and (found["word"] or "").lower() not in ("on", "in")
        if not bare_born or _is_adult_birth_date(found["date"]):
            yield Redaction(found.start("date"), found.end("date"), DATE_OF_BIRTH)


def _starts_message(doc: Doc, start: int) -> bool:
    """Only greetings and punctuation before the token: "Hi, this is Maria"."""
    return all(token.is_punct or token.is_space or token.lower_ in GREETINGS for token in doc[:start])


def _longest_first(found: Iterable[Redaction]) -> List[Redaction]:
    """Non-overlapping spans sorted by start; of overlapping spans the longest wins, then the earliest."""
    chosen: List[Redaction] = []
    for candidate in sorted(found, key=lambda redaction: (redaction.start - redaction.end, redaction.start)):
        index = bisect.bisect(chosen, candidate.start, key=lambda redaction: redaction.start)
        clear_before = index == 0 or chosen[index - 1].end <= candidate.start
        clear_after = index == len(chosen) or candidate.end <= chosen[index].start
        if clear_before and clear_after:
            chosen.insert(index, candidate)
    return chosen


class Redactor:
    """Redacts one conversation: the names its person gave, and every phone, e-mail, address and date of birth,
    except the public details in keep (the clinic's own numbers and addresses)."""

    def __init__(self, names: Iterable[str] = (), keep: Iterable[str] = ()) -> None:
        self._names = PhraseMatcher(_nlp().vocab, attr="LOWER")
        for name in {name.strip() for name in names}:
            parts = [part for part in {name, *name.split()} if any(char.isalpha() for char in part)]
            self._names.add(NAME, [_tokenize(part) for part in parts])
        details = list(keep)
        self._kept_numbers = {e164(detail) for detail in details} - {None}
        self._kept_streets = {street for detail in details for street in _streets_in(detail)}
        # The leading words of each kept detail: an introduced name among them is the clinic's, not a person's.
        kept_words = [tuple(token.lower_ for token in _tokenize(detail)) for detail in details]
        self._kept_names = {words[:end] for words in kept_words for end in range(1, len(words) + 1)}

    def find(self, text: str) -> List[Redaction]:
        """Every personal detail in text, non-overlapping and sorted by start."""
        if not text:
            return []
        return _longest_first([*self._phones(text), *_emails(text), *_dates_of_birth(text), *self._tokens(text)])

    def redact(self, text: str) -> str:
        """text with each personal detail replaced by its kind in brackets, "[phone]"; nothing else changes."""
        parts, position = [], 0
        for redaction in self.find(text):
            parts += [text[position:redaction.start], f"[{redaction.kind}]"]
            position = redaction.end
        parts.append(text[position:])
        return "".join(parts)

    def _phones(self, text: str) -> Iterator[Redaction]:
        matches = phonenumbers.PhoneNumberMatcher(text, HOME_REGION, leniency=phonenumbers.Leniency.POSSIBLE)
        for match in matches:
            if phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164) not in self._kept_numbers:
                yield Redaction(match.start, match.end, PHONE)

    def _tokens(self, text: str) -> Iterator[Redaction]:
        """Street addresses, names after an introduction, and the names the person gave."""
        doc = _tokenize(text)
        for span in _matcher()(doc, as_spans=True):
            if span.label_ == ADDRESS:
                if _street_key(span) not in self._kept_streets:
                    end = span.end_char - span.text.endswith(".")
                    yield Redaction(span.start_char, end, ADDRESS)
            elif span.label_ != "this is" or _starts_message(doc, span.start):
                name = span[INTRODUCTIONS[span.label_]:]
                if tuple(token.lower_ for token in name) not in self._kept_names:
                    yield Redaction(name.start_char, name.end_char, NAME)
        for name in self._names(doc, as_spans=True):
            yield Redaction(name.start_char, name.end_char, NAME)
