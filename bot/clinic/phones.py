"""Phone numbers as visitors write them: numbers without a country code are read as the clinic's (US) numbers.

A number's value is its E.164 form, with RFC 3966's ";ext=" and the extension where one is given ("702 555 0143 ext
22" -> "+17025550143;ext=22"), so the clinic's call reaches the person and not a switchboard."""
from __future__ import annotations

import re
from typing import List, Optional, Text, Tuple

import phonenumbers

HOME_REGION = "US"
EXTENSION = ";ext="

DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}
REPEATS = {"double": 2, "triple": 3}
# A number said as it is spoken, in words or words and digits ("seven oh two, five five five, oh one four three").
SPOKEN_NUMBER = re.compile(
    r"\b(?:(?:%s|\d+)\b[\s,.\-]*){3,}" % "|".join([*DIGIT_WORDS, *REPEATS]), re.I)


def e164(number: Text) -> Optional[Text]:
    """The E.164 form of one number as written ("702-874-1234" -> "+17028741234"), None when it is none."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(number, HOME_REGION), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return None


def value_of(number: phonenumbers.PhoneNumber) -> Text:
    e164_form = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164_form}{EXTENSION}{number.extension}" if number.extension else e164_form


def split_extension(value: Text) -> Tuple[Text, Optional[Text]]:
    """"+17025550143;ext=22" -> ("+17025550143", "22"); a number without one -> (number, None)."""
    number, _, extension = value.partition(EXTENSION)
    return number, extension or None


def valid_e164(digits: Text) -> Optional[Text]:
    """The E.164 form of a string of digits that is a valid number, else None."""
    try:
        number = phonenumbers.parse(digits, HOME_REGION)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) \
        if phonenumbers.is_valid_number(number) else None


def phone_numbers_in(text: Text) -> List[Tuple[Text, int, int]]:
    """Every valid phone number in the text, written in digits or spoken in words: its E.164 form, start and end."""
    found = [
        (value_of(match.number), match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(text, HOME_REGION, leniency=phonenumbers.Leniency.VALID)
    ]
    for spoken in SPOKEN_NUMBER.finditer(text):
        start, end = spoken.start(), spoken.start() + len(spoken.group().rstrip(" ,.-\n\t"))
        if any(start < other_end and other_start < end for _, other_start, other_end in found):
            continue
        number = valid_e164(digits_spoken(text[start:end]))
        if number and spoken_words_in(text[start:end]):
            found.append((number, start, end))
    return sorted(found, key=lambda number: number[1])


def spoken_words_in(text: Text) -> bool:
    return any(word.lower() in DIGIT_WORDS for word in re.findall(r"[a-z]+", text, re.I))


def digits_spoken(text: Text) -> Text:
    """"seven oh two double five" -> "70255"; digits written among the words are kept."""
    digits, repeat = [], 1
    for word in re.findall(r"[a-z]+|\d+", text.lower()):
        if word in REPEATS:
            repeat = REPEATS[word]
            continue
        digit = DIGIT_WORDS.get(word, word)
        digits.append(digit * repeat if len(digit) == 1 else digit)
        repeat = 1
    return "".join(digits)
