"""Console redaction: what a staff member sees of a transcript once personal details are taken out."""
from __future__ import annotations

import random
from datetime import date

import pytest

from bot.clinic.profile import load_profile
from bot.console.redaction import Redaction, Redactor, public_details

PROFILE = load_profile()
CLINIC = public_details(PROFILE)


def redact(text: str, names=()) -> str:
    return Redactor(names=names, keep=CLINIC).redact(text)


@pytest.mark.parametrize("number", [
    "(702) 874-1234", "702-874-1234", "702.874.1234", "702 874 1234", "7028741234", "+17028741234",
    "+1 909 555 2368", "1 (909) 555-2368", "+1-909-555-2368", "874-1234",
])
def test_phone_numbers_in_any_format_are_redacted(number):
    assert redact(f"You can reach me at {number} after 5pm, thanks!") == "You can reach me at [phone] after 5pm, thanks!"


def test_public_details_are_the_clinics_numbers_addresses_and_name():
    assert public_details(PROFILE) == {
        "+18445527489", "+19096894900", "+18002221222", "+18007997233", "+18004224453", "988", "838255", "741741", "911", "88788",
        "5145 South Durango Drive, Suite 103", "1060 E Foothill Blvd, Suite 203", "Klarity Clinic",
    }


def test_the_clinics_numbers_and_crisis_lines_stay_readable():
    answer = ("Call us at 844-552-7489, or Upland at (909) 689-4900 (+1 909 689 4900). In crisis, call or text 988, "
              "text HOME to 741741 or call 911. Poison Help: 1-800-222-1222.")
    assert redact(answer) == answer
    assert redact("is 8445527489 your number? mine is 702-874-1234") == "is 8445527489 your number? mine is [phone]"


def test_without_keep_even_the_clinics_number_is_redacted():
    assert Redactor().redact("Call 844-552-7489") == "Call [phone]"


def test_emails_are_redacted_wherever_they_stand():
    assert redact("mail me at maria.lopez+ketamine@gmail.com.") == "mail me at [email]."
    assert redact("email:jo@example.org;bo@mail.example.co.uk") == "email:[email];[email]"
    assert redact("<a href='mailto:jo@example.org'>jo@example.org</a>") == "<a href='mailto:[email]'>[email]</a>"
    assert redact("we're @klarity on instagram") == "we're @klarity on instagram"


@pytest.mark.parametrize("message, seen", [
    ("I live at 1234 N Main St Apt 5, near the park", "I live at [address], near the park"),
    ("12 oak lane, apt. 3", "[address]"),
    ("my address is 400 Old Mill Road.", "my address is [address]."),
    ("123 W. 5th Ave. #5B is my place", "[address] is my place"),
    ("99 FIRST STREET UNIT 7", "[address]"),
    ("Send it to 77 Sunset Blvd, Suite 210 please", "Send it to [address] please"),
])
def test_street_addresses_are_redacted(message, seen):
    assert redact(message) == seen


@pytest.mark.parametrize("message", [
    "It's a 45 minute drive from Henderson",
    "I drove 20 minutes down the road",
    "I've had 3 sessions way back in 2019",
    "My 2 kids are in the court case with me",
])
def test_numbers_before_street_words_are_not_addresses(message):
    assert redact(message) == message


def test_the_clinics_addresses_stay_readable_however_written():
    answer = "We're at 5145 South Durango Drive, Suite 103 and 1060 E Foothill Blvd, Suite 203."
    assert redact(answer) == answer
    assert redact("is that 5145 S. Durango Dr?") == "is that 5145 S. Durango Dr?"
    assert redact("I live at 5147 South Durango Drive") == "I live at [address]"


@pytest.mark.parametrize("message, seen", [
    ("DOB: 03/04/1985.", "DOB: [date of birth]."),
    ("D.O.B. 3-4-85", "D.O.B. [date of birth]"),
    ("my date of birth is March 4 1985", "my date of birth is [date of birth]"),
    ("I was born on March 4th, 1985, in Reno", "I was born on [date of birth], in Reno"),
    ("born in March 1985", "born in [date of birth]"),
    ("my birthday is 4 March 1985", "my birthday is [date of birth]"),
    ("bday 1985-03-04", "bday [date of birth]"),
    ("I was born 03/04/1985", "I was born [date of birth]"),
])
def test_dates_after_a_birth_cue_are_redacted(message, seen):
    assert redact(message) == seen


@pytest.mark.parametrize("message", [
    "my appointment on 3/4 works",
    "can I come March 4 1985 style, haha",
    "I was born in 1985",
    f"our baby was born 03/04/{date.today().year - 2}",
    "born 3/4/85, not that it matters",
])
def test_dates_without_a_birth_cue_stay_readable(message):
    assert redact(message) == message


def test_the_booking_name_is_redacted_everywhere_in_any_case():
    assert redact("Thanks, Maria! We'll call you soon.", {"Maria"}) == "Thanks, [name]! We'll call you soon."
    assert redact("maria here. MARIA's number changed", {"Maria"}) == "[name] here. [name]'s number changed"
    assert redact("Mariachi band tonight", {"Maria"}) == "Mariachi band tonight"
    assert redact("Mary called, Mary Ann too", {"Mary Ann"}) == "[name] called, [name] too"


@pytest.mark.parametrize("message, seen", [
    ("my name is Jo", "my name is [name]"),
    ("My name's jo lopez", "My name's [name]"),
    ("Hi, this is Sam. Do you take insurance?", "Hi, this is [name]. Do you take insurance?"),
    ("I'm Dana Smith and I'd like to book", "I'm [name] and I'd like to book"),
    ("im Tom, his husband", "im [name], his husband"),
    ("Hello, this is Dr. Patel", "Hello, this is [name]"),
])
def test_self_introductions_are_redacted(message, seen):
    assert redact(message) == seen


@pytest.mark.parametrize("message", [
    "I'm scared", "I'm Scared", "I'm Not sure about this", "I'm Sorry", "I'm Suicidal",
    "Honestly this is Hard", "This is great", "Hi, I'm Klarity Clinic's automated assistant.",
])
def test_other_words_after_i_am_or_this_is_stay_readable(message):
    assert redact(message) == message


def test_the_longest_of_overlapping_details_wins():
    redactor = Redactor(names={"Maria"}, keep=CLINIC)
    text = "12 Maria Lane, maria.lopez@gmail.com, Maria"
    assert redactor.find(text) == [Redaction(0, 13, "address"), Redaction(15, 36, "email"), Redaction(38, 43, "name")]
    assert redactor.redact(text) == "[address], [email], [name]"


def test_spans_point_into_the_text():
    text = "Hi 😀 I'm Jo, call 702-874-1234 or jo@example.org"
    found = Redactor(keep=CLINIC).find(text)
    assert [(text[span.start:span.end], span.kind) for span in found] == [
        ("Jo", "name"), ("702-874-1234", "phone"), ("jo@example.org", "email"),
    ]


def test_html_emoji_and_other_languages_pass_through_as_text():
    page = "<script>alert('x')</script> <b>Is ketamine safe?</b> 😀🙏 ¿Cuánto cuesta? 氯胺酮"
    assert redact(page) == page
    assert redact("<b>702-874-1234</b>") == "<b>[phone]</b>"
    assert redact("Me llamo José, mi número es 702 874 1234") == "Me llamo José, mi número es [phone]"


def test_empty_and_huge_messages():
    assert redact("") == ""
    assert Redactor().find("") == []
    message = "Hi, I'm Dana. Call me at 702-874-1234 or dana@example.org, thanks! "
    huge = message * (100_000 // len(message))
    assert redact(huge) == "Hi, I'm [name]. Call me at [phone] or [email], thanks! " * (100_000 // len(message))


def test_control_characters_and_broken_text_never_raise():
    assert redact("\x00\x01 7028741234\x7f \ud83d") == "\x00\x01 [phone]\x7f \ud83d"
    chars = random.Random(7)
    for _ in range(300):
        text = "".join(chr(chars.choice([chars.randint(0, 0x7F), chars.randint(0x30, 0x39), chars.randint(0, 0x10FFFF)]))
                       for _ in range(chars.randint(0, 200)))
        assert isinstance(redact(text, {"Jo"}), str)
