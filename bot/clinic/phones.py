"""Phone numbers as visitors write them: numbers without a country code are read as the clinic's (US) numbers."""
from __future__ import annotations

from typing import List, Text, Tuple

import phonenumbers

HOME_REGION = "US"


def phone_numbers_in(text: Text) -> List[Tuple[Text, int, int]]:
    """Every valid phone number in the text: its E.164 form, start and end."""
    return [
        (phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164), match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(text, HOME_REGION, leniency=phonenumbers.Leniency.VALID)
    ]
