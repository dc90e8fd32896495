"""The training data, domain and clinic profile fit together, and every answer fits its channel."""
from __future__ import annotations

import re
import string
import subprocess
from collections import Counter
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml

from bot.nlg.topics import topic_titles
from bot.actions.booking import MAX_NAME_LENGTH, MAX_TIME_LENGTH
from bot.actions.call_notes import MAX_NOTE_LENGTH
from bot.actions.locations import locations_list
from bot.clinic.profile import DEFAULT_PROFILE_PATH, clinic_profile
from bot.sms.gsm7 import GSM7_BASIC, GSM7_EXTENDED, numbered_choices

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
NLU = yaml.safe_load((ROOT / "bot" / "data" / "nlu.yml").read_text())["nlu"]
RULES = yaml.safe_load((ROOT / "bot" / "data" / "rules.yml").read_text())["rules"]
STORIES = yaml.safe_load((ROOT / "bot" / "data" / "stories.yml").read_text())["stories"]
PROFILE = clinic_profile()

# Values custom actions pass when they utter a response (see bot/actions/): the one list of the placeholders a
# response may use besides the profile's and the slots'.
ACTION_VALUES = {
    "locations_list": locations_list(PROFILE),
    "location_name": "Las Vegas", "location_region": "California", "location_address": "x" * 40,
    "location_phone": "909-689-4900", "trauma_label": "x" * 41,
    "reference": "KC-7QH2MX", "sender_phone": "(702) 555-0143", "location_phone_link": "tel:+19096894900",
    "phone_choices": "(702) 555-0143 or (909) 555-0123", "phone_display": "+44 20 7946 0958",
    "call_note": "x" * MAX_NOTE_LENGTH, "note_line": f' Note for the team: "{"x" * MAX_NOTE_LENGTH}".',
}
# The booking form's answers, which its consent question reads back, at their longest (bot/actions/booking.py), and
# the reference of a request sent, which a correction after it reads back (bot/policies/sent_request.py).
SLOT_VALUES = {"first_name": "x" * MAX_NAME_LENGTH, "phone_number": "+17025550143",
               "contact_time": "x" * MAX_TIME_LENGTH,
               "preferred_location": max((location.name for location in PROFILE.locations), key=len),
               "booking_reference": "KC-7QH2MX"}
TEMPLATE_VALUES = {**PROFILE.response_values(), **ACTION_VALUES, **SLOT_VALUES}
GSM7 = GSM7_BASIC | GSM7_EXTENDED
SMS_LIMIT, WEB_WORD_LIMIT, MIN_EXAMPLES = 320, 120, 20


def examples_per_intent() -> Counter:
    return Counter({block["intent"]: len(block["examples"].strip().splitlines()) for block in NLU if "intent" in block})


def intents_with_dialogue() -> Set[str]:
    steps = [step for block in RULES + STORIES for step in block["steps"]]
    return {step["intent"] for step in steps if "intent" in step}


def render(text: str) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return text.format(**{name: TEMPLATE_VALUES[name] for name in names})


def variations(response: str) -> List[Dict]:
    return DOMAIN["responses"][response]


@pytest.mark.parametrize("intent", DOMAIN["intents"])
def test_every_intent_has_examples_and_a_rule_or_story(intent):
    assert examples_per_intent()[intent] >= MIN_EXAMPLES
    assert intent in intents_with_dialogue()


@pytest.mark.parametrize("response", sorted(DOMAIN["responses"]))
def test_every_response_has_a_web_and_an_sms_variation(response):
    channels = Counter(variation.get("channel") for variation in variations(response))
    assert channels[None] >= 1 and channels["twilio"] == 1


@pytest.mark.parametrize("response", sorted(DOMAIN["responses"]))
def test_placeholders_are_known_values(response):
    for variation in variations(response):
        render(variation["text"])


@pytest.mark.parametrize("response", sorted(DOMAIN["responses"]))
def test_sms_variation_fits_in_gsm7_within_the_limit(response):
    variation = next(v for v in variations(response) if v.get("channel") == "twilio")
    sms = render(variation["text"])
    if variation.get("buttons"):
        sms += "\n" + numbered_choices([button["title"] for button in variation["buttons"]])
    assert len(sms) <= SMS_LIMIT, f"{len(sms)} characters"
    assert set(sms) <= GSM7, f"not GSM-7: {sorted(set(sms) - GSM7)}"


@pytest.mark.parametrize("response", sorted(DOMAIN["responses"]))
def test_web_variation_is_short(response):
    web = render(next(v["text"] for v in variations(response) if v.get("channel") is None))
    assert len(web.split()) <= WEB_WORD_LIMIT


@pytest.mark.parametrize(
    "response", [f"utter_{i}" for i in DOMAIN["intents"] if i.startswith("ask_") and f"utter_{i}" in DOMAIN["responses"]]
)
def test_faq_answers_end_with_a_next_step(response):
    for variation in variations(response):
        closing = render(variation["text"]).rsplit("\n", 1)[-1].lower()
        assert re.search(r"\?|call|book|consultation|ask", closing), closing


OFFERING = sorted(name for name, variants in DOMAIN["responses"].items()
                  if any("offer" in (variant.get("metadata") or {}) for variant in variants))


@pytest.mark.parametrize("response", OFFERING)
def test_an_offer_is_a_button_of_its_answer_and_the_answer_asks_for_it(response):
    """A "yes" takes the offered step (bot/policies/offer.py): it must be one tap the visitor could have made, after a
    closing question that a yes can answer."""
    for variation in variations(response):
        offer = (variation.get("metadata") or {}).get("offer")
        if offer:
            assert offer in [button["payload"] for button in variation.get("buttons") or []]
            assert variation["text"].rstrip().endswith("?") and " or " not in variation["text"].rsplit(".", 1)[-1]


def test_crisis_reply_carries_every_line():
    for variation in variations("utter_crisis"):
        text = render(variation["text"])
        for number in ("988", "838255", "741741", "HOME", "911"):
            assert number in text


def test_emergency_reply_leads_with_911_and_adds_poison_help():
    for variation in variations("utter_medical_emergency"):
        text = render(variation["text"])
        assert text.index("911") < text.index("988")
        assert "1-800-222-1222" in text


def test_no_invented_prices_or_fda_approval_for_ptsd():
    for name, response in DOMAIN["responses"].items():
        for variation in response:
            assert "$" not in variation["text"], name
            claims = re.findall(r"(\S+ \S+) fda-approved for ptsd", variation["text"].lower())
            assert all(re.search(r"n't|not", before) for before in claims), name


def tracked_files() -> List[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / name for name in listed.split() if (ROOT / name).is_file()]


def test_phone_numbers_and_addresses_live_only_in_the_clinic_profile():
    digits = {re.sub(r"\D", "", phone) for phone in [PROFILE.main_phone, *(l.phone for l in PROFILE.locations)]}
    streets = {location.address.split(",")[0] for location in PROFILE.locations}
    for path in tracked_files():
        # Tests may assert the article's facts; everything else must read them from the profile.
        if path == DEFAULT_PROFILE_PATH or ROOT / "tests" in path.parents or path.suffix not in {".py", ".yml", ".yaml", ".md", ".html", ".js", ".sh"}:
            continue
        text = path.read_text(errors="ignore")
        assert not any(number in re.sub(r"[^\d\n]", "", text) for number in digits), path
        assert not any(street in text for street in streets), path


# Adding an FAQ topic: its intent, examples and answer (with a topic title) in one change; these tests name
# whatever else it needs (the two rules and the booking form's list of messages that are not answers).
FAQ_INTENTS = [intent for intent in DOMAIN["intents"] if intent.startswith("ask_") and intent != "ask_human"]


def rules_for(intent: str, in_booking: bool) -> List[Dict]:
    return [rule for rule in RULES if rule["steps"][0].get("intent") == intent
            and ({"active_loop": "booking_form"} in rule.get("condition", [])) == in_booking]


@pytest.mark.parametrize("intent", FAQ_INTENTS)
def test_faq_topic_has_a_title_to_offer_when_the_assistant_is_unsure(intent):
    assert topic_titles(DOMAIN["intents"], DOMAIN["responses"]).get(intent), f"add `metadata: {{topic: ...}}` to utter_{intent}'s first variation"


@pytest.mark.parametrize("intent", FAQ_INTENTS)
def test_faq_topic_is_answered_and_the_booking_goes_on_after_it(intent):
    assert rules_for(intent, in_booking=False), f"add a rule answering {intent}"
    mid_form = rules_for(intent, in_booking=True)
    assert mid_form and [step.get("action") for step in mid_form[0]["steps"][-2:]] == ["booking_form", None], (
        f"add a rule answering {intent} in the middle of booking, then going back to booking_form")


@pytest.mark.parametrize("intent", FAQ_INTENTS)
def test_faq_question_is_never_taken_as_a_booking_answer(intent):
    not_an_answer = DOMAIN["slots"]["first_name"]["mappings"][0]["not_intent"]
    assert intent in not_an_answer, f"add {intent} to the &not_an_answer list in domain.yml"


def test_every_value_of_the_clinic_profile_is_a_slot_the_session_start_can_fill():
    """action_session_start sets one slot per profile value; one missing from the domain logs an error each session."""
    assert set(PROFILE.response_values()) <= set(DOMAIN["slots"])
