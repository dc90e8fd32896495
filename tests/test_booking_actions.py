"""The booking form's checks and hand-offs, called the way Rasa calls them."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import booking
from bot.booking.outbox import PHONE_HANDOFF, Outbox
from bot.clinic.profile import clinic_profile
from bot.sms.subscribers import Subscribers
from tests.test_actions import run, tracker_for, user_event

PROFILE = clinic_profile()
FORM = booking.ValidateBookingForm()


@pytest.fixture
def outbox(tmp_path: Path, monkeypatch) -> Outbox:
    store = Outbox(f"sqlite:///{tmp_path / 'conversations.db'}")
    monkeypatch.setattr(booking, "outbox", lambda: store)
    return store


@pytest.fixture(autouse=True)
def sms_numbers(tmp_path: Path, monkeypatch) -> Subscribers:
    """The SMS conversation "tester" comes from 702-555-0143, as the Twilio channel would have recorded."""
    numbers = Subscribers(f"sqlite:///{tmp_path / 'sms.db'}")
    numbers.remember("tester", "+17025550143")
    monkeypatch.setattr(booking, "subscribers", lambda: numbers)
    return numbers


def sms_tracker(*events, slots=None):
    tracker = tracker_for(*events, slots=slots)
    tracker.events[-1]["input_channel"] = "twilio"
    return tracker


def validate(slot: str, value, tracker=None):
    dispatcher = CollectingDispatcher()
    method = getattr(FORM, f"validate_{slot}")
    result = method(value, dispatcher, tracker or tracker_for(user_event(str(value), "inform")), {})
    return result[slot], [message["response"] for message in dispatcher.messages]


@pytest.mark.parametrize("typed, name", [("Maria", "Maria"), ("its jake", "Jake"), ("my name is josé", "José"),
                                          ("Mary-Ann", "Mary-Ann"), ("  anna  ", "Anna"),
                                          ("his name is Marcus", "Marcus"), ("its for my son marcus", "Marcus"),
                                          ("my husband, Dave", "Dave"), ("Marcus, 702 555 0143", "Marcus"),
                                          ("its for my husband, his name is Robert", "Robert"),
                                          ("Sam, 702-555-0143, vegas, evenings", "Sam"), ("i just said, Jake", "Jake"),
                                          ("I told u Jake", "Jake"), ("Name's Tom", "Tom"), ("ok its Sam", "Sam"),
                                          ("ok. Mary-Jo", "Mary-Jo"), ("vegas. evenings. its mike", "Mike"),
                                          ("ok just put Ace then", "Ace"), ("just Ray", "Ray"),
                                          ("Lou. number 702-555-0111", "Lou"), ("i already said. Jo-Ann", "Jo-Ann"),
                                          ("Walter, like I said.", "Walter"), ("Bea not Beatrice", "Bea")])
def test_first_names_are_taken_as_people_type_them(typed, name):
    assert validate("first_name", typed) == (name, [])


@pytest.mark.parametrize("typed", ["\U0001F600\U0001F600", "x" * 10_000, "12345", "yes", "<script>alert(1)</script>",
                                   "i would like to know more about the side effects first please", "Las Vegas",
                                   "upland", "evenings", "tomorrow after 5", "yes, 702 555 0143"])
def test_bad_first_names_get_a_clear_re_prompt(typed):
    assert validate("first_name", typed) == (None, ["utter_invalid_first_name"])


@pytest.mark.parametrize("typed", ["not now, later", "nope", "no"])
def test_a_no_where_the_name_is_asked_says_how_to_stop(typed):
    assert validate("first_name", typed, tracker_for(user_event(typed, "deny"))) == (None, ["utter_no_name_given"])


@pytest.mark.parametrize("typed", ["its for my dad", "for my wife.", "my son"])
def test_who_the_booking_is_for_is_no_name_and_the_name_is_asked_for(typed):
    assert validate("first_name", typed) == (None, ["utter_booking_for_someone_else"])


def test_the_name_question_says_what_happens_only_the_first_time_in_a_booking():
    started = {"event": "active_loop", "name": "booking_form"}
    asked = {"event": "bot", "text": "What first name ...?", "metadata": {"utter_action": "utter_ask_first_name"}}
    first = tracker_for(user_event("book", "book_appointment"), started)
    again = tracker_for(user_event("book", "book_appointment"), started, asked, user_event("how much", "ask_cost"))
    new_booking = tracker_for(started, asked, {"event": "active_loop", "name": None}, started)
    responses = [run(booking.ActionAskFirstName(), tracker)[0][0]["response"] for tracker in (first, again, new_booking)]
    assert responses == ["utter_ask_first_name", "utter_ask_first_name_again", "utter_ask_first_name"]


@pytest.mark.parametrize("typed", ["can I book for my adult son? he wont call himself",
                                   "My husband has PTSD from a car accident. How do I get him help?",
                                   "id like to set up a consult for her"])
def test_a_booking_begun_for_someone_else_says_anyone_may_be_booked_for(typed):
    started = {"event": "active_loop", "name": "booking_form"}
    tracker = tracker_for(user_event(typed, "book_appointment"), started)
    assert run(booking.ActionAskFirstName(), tracker)[0][0]["response"] == "utter_ask_first_name_for_someone_else"


def test_the_name_question_for_someone_else_is_not_repeated_when_asked_again():
    started = {"event": "active_loop", "name": "booking_form"}
    asked = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_ask_first_name_for_someone_else"}}
    tracker = tracker_for(user_event("book for my son", "book_appointment"), started, asked,
                          user_event("is it safe for my son", "ask_safety"))
    assert run(booking.ActionAskFirstName(), tracker)[0][0]["response"] == "utter_ask_first_name_again"


@pytest.mark.parametrize("typed", ["702 555 0143", "(702) 555-0143", "+1 702-555-0143", "my cell is 7025550143"])
def test_phone_numbers_are_normalised(typed):
    assert validate("phone_number", typed) == ("+17025550143", [])


@pytest.mark.parametrize("typed", ["seven oh two, five five five, oh one four three", "702 five five five 0143"])
def test_a_number_spoken_in_words_is_taken(typed):
    assert validate("phone_number", typed) == ("+17025550143", [])


def test_an_extension_is_kept_read_back_and_sent_beside_the_number(outbox):
    assert validate("phone_number", "work 702-555-0143 ext 22") == ("+17025550143;ext=22", [])
    slots = {**BOOKED, "phone_number": "+17025550143;ext=22"}
    messages, _ = run(booking.ActionAskContactConsent(), tracker_for(user_event("mornings", "inform"), slots=slots))
    assert messages[0]["phone_display"] == "(702) 555-0143 ext. 22"
    run(booking.ActionSubmitBooking(), tracker_for(user_event("yes", "affirm"), slots=slots))
    [request] = outbox.all()
    assert (request.phone, request.phone_extension) == ("+17025550143", "22")


@pytest.mark.parametrize("typed", ["12", "call me maybe", "555", "1" * 10_000, "\U0001F4DE"])
def test_invalid_phone_numbers_get_a_clear_re_prompt(typed):
    assert validate("phone_number", typed) == (None, ["utter_invalid_phone_number"])


@pytest.mark.parametrize("typed", ["his number is 909 555 0123 but call me instead at 702 555 0143",
                                   "909-555-0123, no wait, 702-555-0143", "702 555 0143 or 702 555 0143",
                                   "my husband's number is 909 555 0123 but please call me instead at my cell 702 555 0143"])
def test_of_several_numbers_the_one_a_correction_points_to_is_taken(typed):
    tracker = tracker_for(user_event(typed, "inform"))
    assert validate("phone_number", typed, tracker) == ("+17025550143", [])


@pytest.mark.parametrize("typed", ["my number is 702 555 0143, his is 909 555 0123", "702 555 0143 or 909 555 0123"])
def test_two_numbers_without_a_correction_get_asked_which(typed):
    tracker = tracker_for(user_event(typed, "inform"))
    assert validate("phone_number", typed, tracker) == (None, ["utter_which_phone_number"])


def test_a_corrected_number_at_the_last_question_is_the_later_one():
    typed = "wait thats his number 909 555 0123, mine is actually 702 555 0143"
    tracker = tracker_for(user_event(typed, "inform"))
    assert validate("phone_number", ["+19095550123", "+17025550143"], tracker) == ("+17025550143", [])


def test_sms_yes_takes_the_number_the_message_came_from():
    tracker = sms_tracker(user_event("yes", "affirm"), slots={"requested_slot": "phone_number"})
    assert validate("phone_number", "yes", tracker) == ("+17025550143", [])


def test_an_sms_yes_to_another_question_keeps_the_number_given():
    """A yes after a declined booking resumes it; the number typed earlier must not become the sender's."""
    tracker = sms_tracker(user_event("yes", "affirm"), slots={"requested_slot": None})
    assert validate("phone_number", "+17025550199", tracker) == ("+17025550199", [])


def test_a_web_user_has_no_sender_number_to_take():
    tracker = tracker_for(user_event("yes", "affirm"))
    assert validate("phone_number", "yes", tracker) == (None, ["utter_invalid_phone_number"])


def test_a_doubtful_yes_does_not_take_the_sender_number():
    doubtful = user_event("huh", "affirm")
    doubtful["parse_data"]["intent"]["confidence"] = 0.55
    assert validate("phone_number", "huh", sms_tracker(doubtful)) == (None, ["utter_invalid_phone_number"])


@pytest.mark.parametrize("value, intent, confidence, taken", [
    (True, "affirm", 0.9, True), (False, "deny", 0.9, False), (True, "affirm", 0.55, None), (False, "deny", 0.6, False),
    ("purple", "nlu_fallback", 0.4, None)])
def test_consent_is_a_clear_yes_or_any_no(value, intent, confidence, taken):
    answer = user_event(str(value), intent)
    answer["parse_data"]["intent"]["confidence"] = confidence
    prompts = [] if taken is not None else ["utter_invalid_contact_consent"]
    assert validate("contact_consent", value, tracker_for(answer)) == (taken, prompts)


@pytest.mark.parametrize("typed, value, intent, new_time", [
    ("actually evenings are better", "actually evenings are better", "inform", "evenings"),
    ("no, after 6 instead", False, "deny", "after 6"),
    ("and make it weekends instead of evenings", "and make it weekends instead of evenings", "inform", "weekends"),
    ("yes but tomorrow morning", True, "affirm", "tomorrow morning"),
    ("weekends", "weekends", "inform", "weekends"),
])
def test_a_time_given_again_at_the_consent_question_replaces_the_time_and_asks_again(typed, value, intent, new_time):
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(user_event(typed, intent), slots={"contact_time": "mornings"})
    result = FORM.validate_contact_consent(value, dispatcher, tracker, {})
    assert result == {"contact_consent": None, "contact_time": new_time} and dispatcher.messages == []


@pytest.mark.parametrize("typed, value, intent", [("no thanks", False, "deny"), ("no, not today", False, "deny"),
                                                  ("hmm no actually i should ask him first before u call him", False,
                                                   "deny")])
def test_a_no_with_no_new_time_is_still_a_no(typed, value, intent):
    tracker = tracker_for(user_event(typed, intent), slots={"contact_time": "mornings"})
    assert validate("contact_consent", value, tracker) == (False, [])


def test_sms_asks_to_confirm_the_sender_number_instead_of_asking_for_one():
    messages, _ = run(booking.ActionAskPhoneNumber(), sms_tracker(user_event("Maria", "inform")))
    assert messages[0]["response"] == "utter_offer_sender_phone" and messages[0]["sender_phone"] == "(702) 555-0143"
    web_messages, _ = run(booking.ActionAskPhoneNumber(), tracker_for(user_event("Maria", "inform")))
    assert web_messages[0]["response"] == "utter_ask_phone_number"


@pytest.mark.parametrize("typed, location", [("upland", "Upland"), ("the closest to Upland", "Upland"),
                                              ("vegas", "Las Vegas"), ("las_vegas", "Las Vegas")])
def test_locations_are_understood(typed, location):
    assert validate("preferred_location", typed) == (location, [])


def test_unknown_location_gets_a_re_prompt():
    assert validate("preferred_location", "san diego") == (None, ["utter_invalid_preferred_location"])


def test_contact_time_is_kept_short_and_real():
    assert validate("contact_time", "  after   5pm ") == ("after 5pm", [])
    assert validate("contact_time", "x" * 10_000) == (None, ["utter_invalid_contact_time"])
    assert validate("contact_time", "\U0001F600") == (None, ["utter_invalid_contact_time"])


@pytest.mark.parametrize("slot", ["first_name", "contact_time"])
def test_a_greeting_or_a_yes_with_punctuation_is_not_taken_as_an_answer(slot):
    for typed in ("hello?", "ok!", "yes.", "thanks!", "bye"):
        assert validate(slot, typed)[0] is None, typed


BOOKED = {"first_name": "Maria", "phone_number": "+17025550143", "preferred_location": "Upland",
          "contact_time": "mornings", "contact_consent": True}


def test_without_an_endpoint_the_request_is_recorded_and_the_phone_line_given(outbox):
    messages, events = run(booking.ActionSubmitBooking(), tracker_for(user_event("yes", "affirm"), slots=BOOKED))
    [request] = outbox.all()
    assert request.status == PHONE_HANDOFF and request.first_name == "Maria" and request.location == "Upland"
    assert (request.phone, request.phone_extension) == ("+17025550143", None)
    assert messages[0]["response"] == "utter_booking_recorded"
    assert messages[0]["location_phone"] == PROFILE.find_location("upland").phone
    assert messages[0]["reference"] == request.reference
    assert SlotSet("booking_requested", True) in events and SlotSet("first_name", None) in events


def test_no_consent_means_nothing_is_recorded_and_the_answers_wait_for_a_yes_after_all(outbox):
    slots = {**BOOKED, "contact_consent": False}
    messages, events = run(booking.ActionSubmitBooking(), tracker_for(user_event("no", "deny"), slots=slots))
    assert outbox.all() == [] and messages[0]["response"] == "utter_booking_without_consent"
    assert {event["name"] for event in events} == {"contact_consent", booking.MISSES_SLOT}


def test_asking_for_a_person_gives_the_right_location_line_and_records_it(outbox):
    tracker = tracker_for(user_event("can i talk to someone in vegas", "ask_human",
                                     [{"entity": "location", "value": "las_vegas"}]))
    messages, _ = run(booking.ActionHandToPhoneLine(), tracker)
    las_vegas = PROFILE.find_location("las_vegas")
    assert messages[0]["location_phone"] == las_vegas.phone
    assert messages[0]["location_phone_link"] == "tel:+1" + las_vegas.phone.replace("-", "")
    assert [request.status for request in outbox.all()] == [PHONE_HANDOFF]


@pytest.mark.parametrize("text, requested, reply", [
    ("what if he doesnt want to go", "first_name", "utter_question_during_booking"),
    ("does it matter when?", "contact_time", "utter_question_during_booking"),
    ("Will", "first_name", None), ("will smith", "first_name", None),
    ("what if he doesnt want to go", "phone_number", "utter_question_during_booking"),
    ("is it ok if he doesnt come?", "contact_consent", "utter_question_during_booking"),
    ("could they call after 5?", "contact_time", None),
    ("she was assaulted last year and she barely sleeps anymore", "phone_number", "utter_question_during_booking"),
    ("she was assaulted last year and she barely sleeps anymore", "first_name", "utter_question_during_booking"),
    ("its for my son, his name is Tyler", "first_name", None),
])
def test_a_question_nothing_could_place_is_not_taken_as_an_answer(text, requested, reply):
    message = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.4}}
    assert booking.reply_instead_of_an_answer(message, requested) == reply


def test_a_question_that_gives_a_number_is_an_answer():
    message = {"text": "can they call 702 555 0143?", "intent": {"name": "nlu_fallback", "confidence": 0.4},
               "entities": [{"entity": "phone_number", "value": "+17025550143"}]}
    assert booking.reply_instead_of_an_answer(message, "phone_number") is None


@pytest.mark.parametrize("typed, intent", [("no, all correct", "deny"), ("nope all good", "deny"),
                                           ("no changes, all good", "deny"), ("no that's right", "deny"),
                                           ("\U0001F44D", "nlu_fallback"), ("\U0001F44D\U0001F3FD", "nlu_fallback"),
                                           ("s\u00ed", "nlu_fallback"), ("si, por favor", "nlu_fallback")])
def test_a_no_that_says_nothing_needs_changing_or_a_thumbs_up_is_consent(typed, intent):
    assert validate("contact_consent", typed, tracker_for(user_event(typed, intent))) == (True, [])


@pytest.mark.parametrize("typed, intent, name", [
    ("wait thats my number not marcus's. ask for Dana (me) at that number", "ask_contact", "Dana"),
    ("actually can you ask for my wife Dana", "nlu_fallback", "Dana"),
    ("my name is spelled wrong its Katherine", "inform", "Katherine"),
    ("oops wrong name, its Sam", "inform", "Sam"),
    ("no wait, put my name, Linda. hes not gonna pick up", "nlu_fallback", "Linda"),
])
def test_a_name_given_again_at_the_consent_question_is_read_whatever_the_classifier_made_of_it(typed, intent, name):
    tracker = tracker_for(user_event(typed, intent), slots={"requested_slot": "contact_consent", "first_name": "Marcus"})
    extracted = FORM.extract_contact_consent(CollectingDispatcher(), tracker, {})
    assert FORM.validate_contact_consent(extracted["contact_consent"], CollectingDispatcher(), tracker, {}) == {
        "contact_consent": None, "first_name": name}


@pytest.mark.parametrize("typed, intent", [("the number is wrong", "ask_contact"), ("wrong number sorry", "ask_contact")])
def test_a_detail_said_wrong_at_the_consent_question_is_not_answered_with_the_clinic_line(typed, intent):
    tracker = tracker_for(user_event(typed, intent), slots={"requested_slot": "contact_consent"})
    extracted = FORM.extract_contact_consent(CollectingDispatcher(), tracker, {})
    assert validate("contact_consent", extracted["contact_consent"], tracker) == (None, ["utter_booking_detail_wrong"])


@pytest.mark.parametrize("typed, intent", [("can i ask for a female doctor?", "ask_clinic_team"),
                                           ("can I ask for a callback on the weekend", "book_appointment"),
                                           ("is it wrong to be nervous about the call?", "ask_what_to_expect"),
                                           ("whats the name of the doctor?", "ask_clinic_team")])
def test_a_question_at_the_consent_question_is_left_to_be_answered(typed, intent):
    tracker = tracker_for(user_event(typed, intent), slots={"requested_slot": "contact_consent"})
    assert FORM.extract_contact_consent(CollectingDispatcher(), tracker, {}) == {}


def test_a_time_said_wrong_at_the_consent_question_is_the_new_time():
    typed = "the time is wrong, evenings pls"
    tracker = tracker_for(user_event(typed, "inform"), slots={"contact_time": "mornings"})
    result = FORM.validate_contact_consent(typed, CollectingDispatcher(), tracker, {})
    assert result["contact_consent"] is None and "evenings" in result["contact_time"]


@pytest.mark.parametrize("typed, value, intent, new_time", [
    ("not mondays", False, "deny", "mornings, not mondays"),
    ("oh and not on fridays", False, "deny", "mornings, not on fridays"),
    ("yes but not mondays", True, "affirm", "mornings, not mondays"),
])
def test_a_day_ruled_out_at_the_consent_question_is_added_to_the_time_not_a_no(typed, value, intent, new_time):
    tracker = tracker_for(user_event(typed, intent), slots={"contact_time": "mornings"})
    assert FORM.validate_contact_consent(value, CollectingDispatcher(), tracker, {}) == {
        "contact_consent": None, "contact_time": new_time}


@pytest.mark.parametrize("typed", ["no wait yes", "nope sorry, i mean yes", "n oops y", "no wait, ok send it"])
def test_a_no_taken_back_in_the_same_message_is_consent(typed):
    assert validate("contact_consent", False, tracker_for(user_event(typed, "deny"))) == (True, [])


@pytest.mark.parametrize("typed, time", [
    ("sorry, my brother passed last year, its been a rough week. evenings i guess", "evenings i guess"),
    ("mornings dont work, afternoons", "mornings dont work, afternoons"),
    ("after my shift, like 6ish", "after my shift, like 6ish"),
])
def test_only_the_parts_of_a_time_answer_that_tell_a_time_are_sent(typed, time):
    assert validate("contact_time", typed) == (time, [])


@pytest.mark.parametrize("typed, intent, name", [
    ("upland pls. and ask for me, im Rosa", "inform", "Rosa"),
    ("call my wife dana instead", "nlu_fallback", "Dana"),
    ("put it under my name, Rosa", "nlu_fallback", "Rosa"),
    ("name is just Sam lol", "inform", "Sam"),
    ("yes but my name is actually Leon", "affirm", "Leon"),
    ("actually its michael not mike", "inform", "Michael"),
])
def test_more_ways_of_giving_a_name_again(typed, intent, name):
    assert booking.name_given_again(typed) == name


@pytest.mark.parametrize("typed, name", [("sarah. i already told u", "Sarah"), ("just told u", None)])
def test_a_name_said_to_be_given_before(typed, name):
    assert booking.clean_first_name(typed) == name


def test_a_misspelt_location_is_understood():
    assert validate("preferred_location", "uplnd") == ("Upland", [])


def test_the_location_question_has_a_button_for_each_location():
    messages, _ = run(booking.ActionAskPreferredLocation(), tracker_for(user_event("702 555 0143", "inform")))
    assert messages[0]["response"] == "utter_ask_preferred_location"
    assert [button["payload"] for button in messages[0]["buttons"]] == [location.name for location in PROFILE.locations]


@pytest.mark.parametrize("typed, intent", [("wait its 1243 at the end not 1234", "deny"),
                                           ("u dropped the extension, its ext 12", "nlu_fallback")])
def test_digits_at_the_consent_question_that_are_no_number_or_time_ask_for_the_right_detail(typed, intent):
    tracker = tracker_for(user_event(typed, intent), slots={"contact_time": "mornings"})
    assert validate("contact_consent", typed, tracker) == (None, ["utter_booking_detail_wrong"])


def test_a_sentence_whose_first_part_looks_like_a_name_is_no_name():
    """"he's ok now, i just want to know if it's a problem for treatment" became the name "He's Ok Now"."""
    assert booking.clean_first_name("he's ok now, i just want to know if it's a problem for treatment") is None


@pytest.mark.parametrize("number, shown", [("+17025550143", "(702) 555-0143"), ("+442079460958", "+44 20 7946 0958")])
def test_the_consent_question_reads_the_number_back_as_people_write_it(number, shown):
    messages, _ = run(booking.ActionAskContactConsent(), tracker_for(user_event("mornings", "inform"),
                                                                      slots={**BOOKED, "phone_number": number}))
    assert messages[0]["response"] == "utter_ask_contact_consent" and messages[0]["phone_display"] == shown


@pytest.mark.parametrize("typed", ["anytime, ask for ext 22", "its evenings not mornings", "its upland not vegas"])
def test_words_after_a_name_phrase_that_are_no_name_change_no_name(typed):
    assert booking.name_given_again(typed) is None


@pytest.mark.parametrize("typed, name", [
    ("wait, she's up now, put Carla and her number 909 555 0187", "Carla"),
    ("use his cell 626-555-0177 instead, and his name. Andre", "Andre"),
    ("better call me first. Dana, 702 555 0164", "Dana"),
])
def test_a_new_name_given_with_a_new_number_at_the_consent_question_changes_both(typed, name):
    """Only the number changed, and requests went out asking for one person at another's number."""
    tracker = tracker_for(user_event(typed, "inform", [{"entity": "phone_number", "value": "+19095550187"}]),
                          slots={**BOOKED, "contact_consent": None})
    assert FORM.validate_contact_consent(None, CollectingDispatcher(), tracker, {}) == {
        "contact_consent": None, "first_name": name}


@pytest.mark.parametrize("typed", ["its 702 555 0164", "the number is 702 555 0164", "my cell 702 555 0164"])
def test_a_new_number_with_words_that_are_no_name_changes_no_name(typed):
    assert booking.name_before_a_number(typed) is None and booking.clean_first_name(typed) is None


def test_a_loss_to_suicide_told_mid_booking_is_met_with_kindness_and_the_lifeline():
    message = {"text": "my buddy from my unit killed himself last month and i cant stop thinking about it",
               "intent": {"name": "nlu_fallback", "confidence": 0.4}, "entities": [],
               "safety": {"level": "sensitive", "topics": ["suicide"], "reason": "mention"}}
    assert booking.reply_instead_of_an_answer(message, "phone_number") == "utter_sorry_things_are_hard"


def test_a_change_after_sending_gives_the_line_of_the_location_the_request_named(outbox):
    request = outbox.add("tester", "rest", "Maria", "+17025550143", "Upland", "mornings", True)
    tracker = tracker_for(user_event("wrong number its 702 555 0110", "inform"),
                          slots={"booking_reference": request.reference})
    messages, _ = run(booking.ActionTellRequestAlreadySent(), tracker)
    assert messages[0]["response"] == "utter_booking_already_sent"
    assert messages[0]["location_phone"] == PROFILE.find_location("upland").phone


@pytest.mark.parametrize("typed, details", [
    ("hey im Nadia 909 555 0112 upland after 4pm pls", {"first_name": "Nadia", "phone_number": "+19095550112",
                                                         "preferred_location": "Upland", "contact_time": "after 4pm"}),
    ("book me in. My name is Walt Kowalski and my number is 702 555 0188, mornings are best",
     {"first_name": "Walt", "phone_number": "+17025550188", "contact_time": "mornings"}),
    ("can i book my son Eli, tuesday at 3pm in vegas", {"first_name": "Eli", "contact_time": "tuesday at 3pm",
                                                               "preferred_location": "Las Vegas"}),
    ("im interested in booking a consult", {}),
    ("i want a call back but its complicated", {}), ("im tired, can i just book", {}),
    ("its Rob, can i book", {"first_name": "Rob"}),
    ("my wife has PTSD, can i book her", {}),
    ("im in vegas, can i book", {"preferred_location": "Las Vegas"}),
])
def test_a_booking_request_gives_the_details_it_holds(typed, details):
    assert booking.details_in_a_request(typed) == details


@pytest.mark.parametrize("typed, number", [
    ("home is 909 555 0123, cell 909 555 0177, the cell is better", "+19095550177"),
    ("use the home one: 702 555 0143 home, 909 555 0112 mobile", "+17025550143"),
])
def test_of_two_numbers_the_one_a_label_prefers_is_taken(typed, number):
    assert booking.numbers_meant(typed) == [number]


@pytest.mark.parametrize("choice, number", [("the cell", "+19095550112"), ("cell pls", "+19095550112"),
                                            ("the first one", "+17025550143"), ("2nd", "+19095550112"),
                                            ("home", "+17025550143")])
def test_a_choice_between_two_numbers_picks_by_label_or_place(choice, number):
    assert booking.number_chosen(choice, "home 702 555 0143 or cell 909-555-0112") == number


@pytest.mark.parametrize("choice", ["hmm", "the work one", "whichever"])
def test_a_choice_that_picks_neither_picks_nothing(choice):
    assert booking.number_chosen(choice, "home 702 555 0143 or cell 909-555-0112") is None


@pytest.mark.parametrize("typed", ["sorry, i mixed up the digits. the right number is 702-555-0919",
                                   "the correct number is 725 555 0134"])
def test_a_number_corrected_in_words_changes_no_name(typed):
    """"The correct number is 702-555-0919" at the consent question made the name "The Correct"."""
    assert booking.name_before_a_number(typed) is None and booking.name_given_again(typed) is None


@pytest.mark.parametrize("text, about", [("hi i have an appt thurs at 2, need to move it to next wk pls", True),
                                         ("need to reschedule", True), ("book an appointment please", False),
                                         ("can i book now and change the time later if i need to, for the appointment",
                                          False)])
def test_a_booking_about_an_appointment_already_made_is_told_apart(text, about):
    assert booking.about_an_existing_appointment(text) is about


@pytest.mark.parametrize("typed, time", [("i said mornings before 9", "mornings before 9"),
                                         ("tmrw aft 5 like i said", "tmrw aft 5"), ("as i said, evenings", "evenings")])
def test_saying_it_was_said_before_is_not_part_of_the_time(typed, time):
    assert booking.clean_contact_time(typed) == time
