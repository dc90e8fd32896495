"""Phone numbers as visitors write them: numbers without a country code are read as the clinic's (US) numbers."""
from __future__ import annotations

from typing import List, Optional, Text, Tuple

import phonenumbers

HOME_REGION = "US"


def e164(number: Text) -> Optional[Text]:
    """The E.164 form of one number as written ("702-874-1234" -> "+17028741234"), None when it is none."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(number, HOME_REGION), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return None


def phone_numbers_in(text: Text) -> List[Tuple[Text, int, int]]:
    """Every valid phone number in the text: its E.164 form, start and end."""
    return [
        (phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164), match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(text, HOME_REGION, leniency=phonenumbers.Leniency.VALID)
    ]
