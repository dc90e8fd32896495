"""The deterministic safety layer on its own: who is at risk now, what is only a sensitive mention, what is neither."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlu.safety_patterns import (ASKS_WHETHER_TO_CALL_911, CRISIS, FEARS_THE_POLICE, FEELING_BETTER,
                                     HARM_LINE_ASKED, MEDICAL_EMERGENCY, POISON_HELP_ASKED, REACHING_OUT,
                                     SAFE_NOW_AND_ASKING, SCARED_NOW, STREET_KETAMINE, SUICIDE, TURNS_CARE_DOWN,
                                     TURNS_HELP_DOWN)
from bot.nlu.safety_rules import (
    AT_RISK,
    BODY,
    MAX_WORD_CHARS,
    MOOD,
    NO_CONCERN,
    SENSITIVE,
    URGENT,
    SafetyRules,
    after_effects_told,
    harm_by_someone_told,
    normalise,
    windows,
)

CASES_DIR = Path(__file__).parent / "safety"
CASES = yaml.safe_load((CASES_DIR / "safety_cases.yml").read_text())
# Written later by someone who had not seen the patterns; a few misses are expected, so it is gated by rate.
HOLDOUT = yaml.safe_load((CASES_DIR / "safety_holdout.yml").read_text())
GRADED = yaml.safe_load((CASES_DIR / "graded_cases.yml").read_text())
# Either safety reply gives the crisis lines; the emergency one leads with 911.
SAFETY_LABELS = {CRISIS, MEDICAL_EMERGENCY}


@pytest.fixture(scope="module")
def rules() -> SafetyRules:
    return SafetyRules()


def label(rules: SafetyRules, text: str):
    return rules.detect(text).label


@pytest.mark.parametrize("text", CASES["crisis"])
def test_crisis_language_is_caught(rules, text):
    assert label(rules, text) in SAFETY_LABELS


@pytest.mark.parametrize("text", CASES["emergency"])
def test_emergencies_are_caught_as_emergencies(rules, text):
    assert label(rules, text) == MEDICAL_EMERGENCY


@pytest.mark.parametrize("text", CASES["lookalike"])
def test_look_alikes_are_not_at_risk(rules, text):
    assert label(rules, text) is None


@pytest.mark.parametrize("text", CASES["negation"])
def test_clear_denials_are_sensitive_mentions_not_risk(rules, text):
    verdict = rules.detect(text)
    assert verdict.level == SENSITIVE, verdict


@pytest.mark.parametrize("text", [*GRADED["treatment_questions"], *GRADED["sensitive_mentions"],
                                  "my uncle died by suicide when i was a teenager, does that matter?"])
def test_questions_histories_and_denials_are_sensitive_not_at_risk(rules, text):
    verdict = rules.detect(text)
    assert verdict.level == SENSITIVE, verdict
    assert verdict.label is None


@pytest.mark.parametrize("text", GRADED["family_emergencies"])
def test_emergencies_that_mention_family_are_emergencies(rules, text):
    assert label(rules, text) == MEDICAL_EMERGENCY


@pytest.mark.parametrize("text", ["this traffic is killing me", "i'm dying to try it", "lol that joke killed me",
                                  "kinda shot myself in the foot putting this off, huh"])
def test_idioms_are_no_concern_at_all(rules, text):
    assert rules.detect(text).level == NO_CONCERN


@pytest.mark.parametrize("text", ["im scared its going to hurt", "nervous the IV will hurt", "terrified the needle will sting",
                                  "im scared it will make me relive the worst night of my life",
                                  "worried the infusion gives u flashbacks", "afraid ketamine will bring it all back"])
def test_fear_that_the_treatment_will_hurt_or_bring_the_trauma_back_is_no_concern(rules, text):
    assert rules.detect(text).level == NO_CONCERN


@pytest.mark.parametrize("text", ["he is hungry now", "she's starving after the infusion, can she eat?",
                                  "im so thirsty is that normal", "my son wants something to eat already"])
def test_hunger_or_thirst_is_no_concern(rules, text):
    """"he is hungry now" got "Call 911 now ... possible overdose or poisoning" from the classifier."""
    assert rules.detect(text).level == NO_CONCERN


@pytest.mark.parametrize("text", ["i'm starving myself", "he is hungry and confused and cant stand up",
                                  "hungry but i feel so hopeless"])
def test_hunger_with_a_symptom_or_a_low_mood_is_no_sign_against_risk(rules, text):
    assert rules.detect(text).reason != "ordinary need"


@pytest.mark.parametrize("text", ["i just told u, sarah", "sarah. i already told u", "I said it already"])
def test_an_answer_given_again_is_no_concern(rules, text):
    """"i just told u, sarah" at the name question got the crisis reply, every time."""
    assert rules.detect(text).level == NO_CONCERN


@pytest.mark.parametrize("text", ["sorry kids. where were we", "sorry, had to step away. where were we?", "ok im back",
                                  "sorry about that, I’m back", "back"])
def test_back_after_a_break_is_no_concern(rules, text):
    """"sorry kids. where were we", at the booking's time question, got the crisis reply and then no booking."""
    assert rules.detect(text).reason == "back after a break"


@pytest.mark.parametrize("text", ["pls tell them her son set it up so shes not confused",
                                  "note that i booked it for my dad, he doesnt know yet"])
def test_who_made_a_booking_is_no_concern(rules, text):
    """Told for the team at the consent question, the first got the crisis reply from the classifier."""
    assert rules.detect(text).reason == "who booked"


@pytest.mark.parametrize("text", ["whats the poison control number", "what was the poison number again",
                                  "can i call poison help instead"])
def test_asking_for_poison_help_is_read(text):
    assert POISON_HELP_ASKED.search(text)


@pytest.mark.parametrize("text", ["ya no puedo más, no quiero seguir aquí", "mi hijo dice que ya no quiere vivir",
                                  "creo que mi esposo se quiere matar", "late at night i think about driving off an overpass",
                                  "\U0001F52B\U0001F635", "\U0001F48A\U0001F48A\U0001F48A\U0001F6CC"])
def test_risk_found_by_the_sixth_round_is_a_crisis(rules, text):
    assert label(rules, text) == CRISIS


@pytest.mark.parametrize("text", ["mi papá se tomó todas las pastillas", "despues de la infusion no se despierta",
                                  "creo que es una sobredosis, no respira bien"])
def test_spanish_emergencies_are_emergencies(rules, text):
    """They got "that's outside what I can help with"; the same words in English got 911 and Poison Help."""
    assert label(rules, text) == MEDICAL_EMERGENCY


@pytest.mark.parametrize("text", ["909 555 0123, not sure ill be around much longer", "vegas. theres no point anymore"])
def test_risk_told_beside_a_booking_answer_is_a_crisis(rules, text):
    assert label(rules, text) == CRISIS


@pytest.mark.parametrize("text", ["the note is wrong, it should say its for Ana Ruiz my mother",
                                  "also let them know her son David set this up"])
def test_who_a_booking_is_for_or_by_is_no_concern(rules, text):
    assert rules.detect(text).reason == "who booked"


def test_hard_to_rouse_after_a_treatment_is_an_emergency(rules):
    assert label(rules, "she only wakes up when we shake her, then drifts off again and doesnt know what day it is") \
        == MEDICAL_EMERGENCY


@pytest.mark.parametrize("text", ["child abuse hotline number?", "is there someone i can call about the hitting",
                                  "whats the domestic violence hotline"])
def test_asking_for_a_line_for_abuse_is_read(text):
    assert HARM_LINE_ASKED.search(text)


def test_harm_by_someone_told_in_spanish_is_read():
    assert harm_by_someone_told("mi esposo me pega y anoche me amenazó")


@pytest.mark.parametrize("text", ["no quiere seguir con el tratamiento", "\U0001F52A\U0001F355", "\U0001F48A",
                                  "tome muchas notas en la consulta", "there's no point anymore in trying zoloft, so what else",
                                  "i'd kill for one good night's sleep honestly"])
def test_look_alikes_found_by_the_sixth_round_are_not(rules, text):
    assert not rules.detect(text).at_risk


@pytest.mark.parametrize("text", ["ugh the kids. i want to die. where were we", "im back. i cant do this anymore"])
def test_back_after_a_break_does_not_cover_a_crisis(rules, text):
    assert label(rules, text) == CRISIS


@pytest.mark.parametrize("text", [
    "haha so i dosed twice this morning by accident, anyway what are your hours",
    "took my methadone twice today, forgot i already had it",
    "i think i took a double dose of my klonopin",
    "took another on top of my regular dose an hour ago lol",
    "my roommate popped like 5 percs and he's barely talking, but whatever, do you take tricare",
])
def test_an_extra_dose_told_in_passing_is_an_emergency(rules, text):
    assert label(rules, text) == MEDICAL_EMERGENCY


@pytest.mark.parametrize("text", ["i take my meds twice a day, is that ok with ketamine",
                                  "my psychiatrist doubled my dose of zoloft last spring",
                                  "can i take an extra dose of my sleeping pill the night before?",
                                  "if he gets a double dose by mistake what happens"])
def test_doses_taken_as_prescribed_or_asked_about_are_not(rules, text):
    assert not rules.detect(text).at_risk


@pytest.mark.parametrize("text", ["i'm scared. i think my brother might kill himself",
                                  "she texted me 'dont worry, i won't be a burden much longer' and now she's not answering",
                                  "not gonna need the number. my son can have the truck."])
def test_risk_told_of_someone_else_or_in_passing_is_a_crisis(rules, text):
    assert label(rules, text) == CRISIS


@pytest.mark.parametrize("text", ["my wife can have the car on tuesdays so can i book a tuesday",
                                  "could he hurt himself during the infusion?"])
def test_who_gets_the_car_or_a_question_about_a_session_is_not(rules, text):
    assert not rules.detect(text).at_risk


@pytest.mark.parametrize("text", ["i told you i want to die", "i told you. goodbye"])
def test_said_before_does_not_cover_a_crisis_or_a_farewell(rules, text):
    assert rules.detect(text).reason != "said before"


@pytest.mark.parametrize("text", ["a veces pienso que ya no quiero seguir viviendo asi", "ya no quiero seguir",
                                  "no tengo ganas de vivir", "mi familia estaria mejor sin mi", "quiero desaparecer"])
def test_spanish_said_less_bluntly_is_a_crisis(rules, text):
    assert label(rules, text) == CRISIS


@pytest.mark.parametrize("text", ["im done. i'm so done with all of it", "a veces pienso que seria mejor no despertar",
                                  "ya no puedo mas con todo esto",
                                  "sometimes he says stuff like we'd be better off without him. is that normal for ptsd"])
def test_indirect_risk_found_by_a_helper_is_a_crisis(rules, text):
    assert label(rules, text) == CRISIS


@pytest.mark.parametrize("text", ["im done with all of this paperwork", "ya no puedo mas esperar la cita",
                                  "i'm done with all of it, the insurance, the VA, the forms"])
def test_being_done_with_something_named_is_not(rules, text):
    assert not rules.detect(text).at_risk


@pytest.mark.parametrize("text", ["ya no quiero seguir pagando tanto", "no quiero seguir con el tratamiento"])
def test_spanish_about_stopping_something_else_is_not(rules, text):
    assert not rules.detect(text).at_risk


@pytest.mark.parametrize("text", ["im scared its going to hurt someone", "scared it will end with me hurting myself",
                                  "scared it will bring back the urge to kill myself",
                                  "afraid reliving it will make me want to die"])
def test_fear_of_hurting_someone_is_still_a_crisis(rules, text):
    assert label(rules, text) == CRISIS


def test_suicide_topic_is_named_for_the_support_line(rules):
    assert SUICIDE in rules.detect("I'm not suicidal, just tired").topics
    assert SUICIDE in rules.detect("i want to kill myself").topics


def test_self_directed_crisis_is_labelled_crisis_not_emergency(rules):
    assert label(rules, "i want to kill myself") == CRISIS
    assert label(rules, "I'M GOING TO KILL MYSELF") == CRISIS


def test_shorthand_typos_and_curly_apostrophes(rules):
    assert label(rules, "wanna kms") == CRISIS
    assert label(rules, "im so suicidel") == CRISIS
    assert label(rules, "I don\u2019t want to live anymore") == CRISIS
    assert label(rules, "i cant breath") == MEDICAL_EMERGENCY


def test_full_width_and_styled_letters_are_read_as_plain_text(rules):
    assert label(rules, "\uff49 \uff57\uff41\uff4e\uff54 \uff54\uff4f \uff4b\uff49\uff4c\uff4c \uff4d\uff59\uff53\uff45\uff4c\uff46") == CRISIS
    assert label(rules, "i want to \U0001d5f8\U0001d5f6\U0001d5f9\U0001d5f9 myself") == CRISIS


def test_a_reported_hypertensive_reading_with_symptoms_is_an_emergency(rules):
    assert label(rules, "bp is 200/125 and i have a pounding headache") == MEDICAL_EMERGENCY
    assert label(rules, "my bp is usually 130/85, is that ok for ketamine?") is None


def test_empty_and_huge_messages(rules):
    assert rules.detect("").level == NO_CONCERN
    assert rules.detect("   ").level == NO_CONCERN
    assert label(rules, "hello " * 15_000 + "i want to die") == CRISIS
    assert label(rules, "\U0001f600" * 100_000 + " i want to die") == CRISIS


def test_the_work_is_bounded_per_window_whatever_the_message():
    """Runs without spaces are cut and the text is read in bounded, overlapping windows, so cost grows linearly."""
    assert normalise("\U0001f600" * 100_000).strip() == ""
    run = normalise("x9Qz" * 25_000)
    assert max(len(word) for word in run.split()) <= MAX_WORD_CHARS
    parts = list(windows("word " * 50_000))
    assert max(len(part) for part in parts) <= 1200
    assert len(parts) < 50_000 * 5 / 800
    # A space right at the end of the overlap must still move the next window on.
    assert len(list(windows("a" * 300 + " " + "b" * 2000))) == 3


def rate(rules, texts, expected) -> float:
    return sum(label(rules, text) in expected for text in texts) / len(texts)


def test_holdout_recall_and_precision(rules):
    assert rate(rules, HOLDOUT["crisis"], SAFETY_LABELS) >= 0.9
    assert rate(rules, HOLDOUT["emergency"], {MEDICAL_EMERGENCY}) >= 0.9
    assert rate(rules, HOLDOUT["lookalike"], {None}) >= 0.95
    assert rate(rules, HOLDOUT["negation"], {None}) == 1.0


@pytest.mark.parametrize("text", [
    "got home from my session 3 hours ago and i still feel super dizzy and sick",
    "my dad cant stop throwing up since his infusion this morning",
    "its been like 5 hrs after the treatment and shes still confused and seeing things",
    "my heart keeps racing after the spravato, is that ok??",
    "I had my first infusion today and I feel really strange, headache too",
])
def test_an_effect_going_on_after_a_treatment_is_reported(text):
    assert after_effects_told(text) == BODY


@pytest.mark.parametrize("text", [
    "had my 2nd infusion yesterday and today i feel really low and weepy, is that normal",
    "my mood crashed the day after my treatment and its still bad",
    "ever since my session on monday ive been so anxious and on edge",
    "my husband has been crying on and off since his infusion this morning",
    "since the last treatment my nightmares are back",
])
def test_feeling_low_since_a_treatment_is_told_apart_from_a_physical_effect(text):
    assert after_effects_told(text) == MOOD


@pytest.mark.parametrize("text", ["had my session at 10am its 6pm now, still floaty and disconnected",
                                  "got my 2nd infusion today and i feel detached from everything"])
def test_feeling_detached_after_a_treatment_is_a_physical_effect(text):
    assert after_effects_told(text) == BODY


@pytest.mark.parametrize("text", ["its been 8 HOURS not 30 min. should i go to the ER",
                                  "should we take him to the hospital?", "do i need to go to urgent care",
                                  "should i call 911"])
def test_asking_whether_to_go_to_the_er_is_urgent_whatever_came_before(text):
    assert after_effects_told(text) == URGENT


def test_a_physical_effect_comes_first_when_both_are_told():
    assert after_effects_told("since my infusion today i feel really low and dizzy") == BODY


@pytest.mark.parametrize("text", ["its after 6 and the clinic line is closed. should we just wait it out",
                                  "who do i call, nobody is answering at the clinic"])
def test_the_clinic_out_of_reach_while_asking_what_to_do_is_urgent(text):
    assert after_effects_told(text) == URGENT


@pytest.mark.parametrize("text", ["your office is closed on sundays right?", "what are your hours, are you closed on weekends"])
def test_asking_about_opening_hours_is_not(text):
    assert after_effects_told(text) is None


@pytest.mark.parametrize("text", [
    "can ketamine make you dizzy",
    "what are the side effects of spravato",
    "my ptsd makes me feel confused sometimes",
    "how long is the drive home after a session",
    "can ketamine make you depressed",
    "why do some people feel worse after their infusions?",
    "i have felt low for years, would ketamine help",
    "",
])
def test_questions_about_effects_in_general_are_not_reports(text):
    assert after_effects_told(text) is None


@pytest.mark.parametrize("text", ["i dont want to call anyone. i just wanted to know if ketamine could have fixed it",
                                  "im not calling 988", "no one can help me", "leave me alone"])
def test_turning_help_down_is_read(text):
    assert TURNS_HELP_DOWN.search(text) and not REACHING_OUT.search(text)


@pytest.mark.parametrize("text", ["ok i put it back in the safe. my wife is home now. im going to call 988",
                                  "i texted my therapist", "ok im calling them", "my brother came over",
                                  "ok calling 988 now, pressing 1", "i called 911, they're on the way"])
def test_reaching_out_is_read(text):
    assert REACHING_OUT.search(text) and not TURNS_HELP_DOWN.search(text)


@pytest.mark.parametrize("text", ["nah, not calling an ambulance, i'll sleep it off", "gonna lay down for a bit",
                                  "im not going to the ER, prob just anxiety", "i'll wait it out"])
def test_care_turned_down_is_read(text):
    assert TURNS_CARE_DOWN.search(text)


@pytest.mark.parametrize("text", ["should i call 911 or go over there myself", "do we call the police?",
                                  "drive over there or call 911 first?"])
def test_asking_whether_to_call_911_is_read(text):
    assert ASKS_WHETHER_TO_CALL_911.search(text)


@pytest.mark.parametrize("text, scared", [("ok. im really scared", True), ("we're terrified he'll do something", True),
                                          ("im scared of the side effects", False), ("im afraid of the needle", False)])
def test_fear_told_now_is_read_but_not_a_fear_of_the_treatment(text, scared):
    assert bool(SCARED_NOW.search(text)) is scared


@pytest.mark.parametrize("text, street", [("bought some ket off a guy, can i just take it myself", True),
                                          ("whats the street price of k lol", True), ("should i do it at home then?", True),
                                          ("do you offer at-home ketamine?", False), ("can i do ketamine at home", False)])
def test_ketamine_from_the_street_to_take_at_home_is_read(text, street):
    assert bool(STREET_KETAMINE.search(text)) is street


@pytest.mark.parametrize("text", ["no hotline, they'll just send the police", "if i call 911 will the cops shoot him",
                                  "im scared of the police showing up"])
def test_fear_that_a_call_brings_the_police_is_read(text):
    assert FEARS_THE_POLICE.search(text)


@pytest.mark.parametrize("text", ["tried everything for years. if ketamine doesnt work i dont know what ill do",
                                  "honestly i dont know what ill do anymore"])
def test_not_knowing_what_one_will_do_if_it_fails_is_a_sensitive_mention(rules, text):
    """"if this doesnt work i dont know what ill do" got "Sorry, I'm not sure I understood"."""
    verdict = rules.detect(text)
    assert verdict.level == SENSITIVE and SUICIDE in verdict.topics


@pytest.mark.parametrize("text", ["i dont know what ill do without my dog", "i dont know what ill do if insurance says no"])
def test_not_knowing_what_one_will_do_about_something_else_is_not(rules, text):
    assert rules.detect(text).level != SENSITIVE


@pytest.mark.parametrize("text", ["im not going to do anything, im just tired. what happens if it fails",
                                  "omg im not gonna actually do it. im venting. nobody listens",
                                  "not like that. the nightmares. i want the nightmares to stop"])
def test_saying_one_will_not_do_anything_is_saying_one_is_all_right(rules, text):
    assert rules.detect(text).reason == "says all right"


def test_not_like_that_inside_a_sentence_says_nothing(rules):
    assert rules.detect("i'm going to do it tonight. not like that matters").reason != "says all right"


@pytest.mark.parametrize("text", ["he'd rather die than go to therapy lol, how do i get him to try",
                                  "my dad would rather die than talk to a shrink"])
def test_rather_die_than_a_chore_is_no_risk(rules, text):
    assert not rules.detect(text).at_risk


@pytest.mark.parametrize("text", ["feeling better now, the dizziness went away", "ok i called 911, they're sending someone"])
def test_feeling_better_or_help_on_the_way_is_read(text):
    assert FEELING_BETTER.search(text)


@pytest.mark.parametrize("text", [
    "my husband had a flashback last night and grabbed me by the throat. im scared to sleep next to him",
    "he said he'd kill me if i leave", "is it safe for me to be around him until he gets treated?",
    "my boyfriend hits me when he drinks", "last week he threw a plate at the wall next to me",
    "honestly its still happening at home, my stepdad"])
def test_harm_by_someone_is_told_without_a_verdict(rules, text):
    assert harm_by_someone_told(text)


@pytest.mark.parametrize("text", ["he pushed me to book this", "it hits me hard some nights",
                                  "my therapist pushed me to try ketamine", "the memories hurt me"])
def test_words_of_harm_that_tell_of_no_one_harming_the_writer_are_not(text):
    assert not harm_by_someone_told(text)


@pytest.mark.parametrize("text, read", [("i'm okay now, safe. can i ask some questions about the treatment now?", True),
                                        ("im ok now. could i ask you a few more questions", True),
                                        ("i'm fine if i can ask questions", False), ("can i ask a question", False)])
def test_safe_now_and_asking_to_ask_is_read(text, read):
    assert bool(SAFE_NOW_AND_ASKING.search(text)) == read
