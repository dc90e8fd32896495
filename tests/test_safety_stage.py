"""The safety stage's contract on parse results, with the classifier's output given: no model needed."""
from __future__ import annotations

from typing import List, Optional, Tuple

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.length_guard import MAX_CLASSIFIED_CHARS, MessageLengthGuard
from bot.nlu.linear_intents import CLASSIFIER_RISK
from bot.nlu.safety_component import INTENT_RANKING, SAFETY, SafetyStage
from bot.nlu.safety_rules import SafetyRules


CONFIG = SafetyStage.get_default_config()
FALLBACK = CONFIG["fallback_threshold"]


@pytest.fixture(scope="module")
def stage() -> SafetyStage:
    return SafetyStage({**CONFIG}, SafetyRules())


def parsed(stage: SafetyStage, text: str, ranking: List[Tuple[str, float]],
           risk: Optional[Tuple[Optional[str], float]] = None) -> Message:
    """A message as the FallbackClassifier leaves it: its intent is the top of the ranking (or nlu_fallback), and,
    from our classifier, its risk classifier's first guess where that is crisis or emergency, with its own
    one-vs-rest probability."""
    message = Message({TEXT: text})
    if risk is not None:
        message.set(CLASSIFIER_RISK, {"name": risk[0], "confidence": risk[1]})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    top = entries[0] if entries[0]["confidence"] >= FALLBACK else {"name": "nlu_fallback", "confidence": FALLBACK}
    message.set(INTENT, top)
    message.set(INTENT_RANKING, entries if top is entries[0] else [top, *entries])
    (processed,) = MessageLengthGuard().process([message])
    return stage.process([processed])[0]


def intent(message: Message) -> str:
    return message.get(INTENT)["name"]


def test_the_rules_force_crisis_over_a_confident_classifier(stage):
    message = parsed(stage, "how much is it? i'm going to kill myself tonight", [("ask_cost", 0.97), ("crisis", 0.02)])
    assert intent(message) == "crisis"
    assert message.get(INTENT_RANKING)[0] == {"name": "crisis", "confidence": 1.0}
    assert message.get(SAFETY)["source"] == "rules"


def test_the_fallback_classifiers_doubt_cannot_undo_a_crisis(stage):
    message = parsed(stage, "i want to die", [("crisis", FALLBACK - 0.05), ("ask_effectiveness", FALLBACK - 0.1)])
    assert intent(message) == "crisis"


def test_a_figure_of_speech_a_fear_of_pain_or_a_pure_question_keeps_the_classifier_from_calling_a_crisis(stage):
    for text in ("this wait is literally killing me", "is it going to hurt, and is it going to work?",
                 "the heat is murder on my migraines this week", "im scared its going to hurt",
                 "im scared it will make me relive the worst night of my life",
                 "my sister said over her dead body would she let me take the bus home after an infusion",
                 "i'm at the end of my rope with my insurance company", "This is my last question.",
                 "ok sorry, one last question i promise"):
        message = parsed(stage, text, [("crisis", 0.97), ("ask_side_effects", 0.02)])
        assert intent(message) != "crisis", text


def test_a_fear_of_what_a_session_will_do_taken_for_a_crisis_is_answered_with_what_to_expect(stage):
    message = parsed(stage, "im scared it will make me relive the worst night of my life",
                     [("crisis", 0.71), ("out_of_scope", 0.09), ("ask_what_to_expect", 0.07)])
    assert intent(message) == "ask_what_to_expect"


def test_hunger_taken_for_an_emergency_is_answered_with_what_the_clinic_says_of_after_a_session(stage):
    message = parsed(stage, "he is hungry now", [("medical_emergency", 0.81), ("crisis", 0.07), ("goodbye", 0.04)],
                     ("medical_emergency", 0.96))
    assert intent(message) == "ask_aftercare" and message.get(SAFETY)["level"] == "none"


def test_a_fear_of_what_a_session_will_do_keeps_a_question_the_classifier_is_sure_of(stage):
    message = parsed(stage, "nervous the IV will hurt, does it?", [("crisis", 0.5), ("ask_side_effects", 0.45)])
    assert intent(message) == "ask_side_effects"


@pytest.mark.parametrize("text", [
    "please cancel all my appointments. thank you for everything, you've all been so kind to me",
    "you can cancel the rest of my treatments. it doesn't matter now",
    "i won't make it to my next session. tell everyone i said thanks",
])
def test_talk_of_appointments_never_keeps_the_classifier_from_a_farewell_the_rules_miss(stage, text):
    """Farewells often speak of appointments: a sign against risk built on appointment words would silence them."""
    assert intent(parsed(stage, text, [("crisis", 0.9), ("cancel", 0.05)])) == "crisis"


@pytest.mark.parametrize("text", [
    "my last question is whether anyone would even notice if i was gone",
    "last question then im done with all of this for good",
])
def test_a_last_question_with_more_to_it_is_still_read_by_the_classifier(stage, text):
    """Only a last question on its own is about the chat: a farewell can be put as one."""
    assert intent(parsed(stage, text, [("crisis", 0.9), ("ask_cost", 0.05)], ("crisis", 0.9))) == "crisis"


def test_a_sure_classifier_adds_recall_where_the_rules_saw_nothing(stage):
    message = parsed(stage, "everything feels pointless and i'm so done", [("crisis", 0.96), ("greet", 0.01)])
    assert intent(message) == "crisis"
    assert message.get(SAFETY)["source"] == "classifier"


def test_the_classifiers_own_crisis_probability_calls_a_crisis_that_its_share_of_the_ranking_would_miss(stage):
    """Normalised over 38 intents, a crisis's share can fall under the line when FAQ examples grow; its own
    one-vs-rest probability is what the stage reads."""
    diluted = [("crisis", CONFIG["sensitive_threshold"] - 0.05), ("ask_effectiveness", 0.2)]
    own = ("crisis", CONFIG["classifier_threshold"] + 0.05)
    message = parsed(stage, "everything feels pointless and i'm so done", diluted, own)
    assert intent(message) == "crisis"
    assert message.get(SAFETY)["source"] == "classifier"
    assert message.get(SAFETY)["risk"] == {"name": "crisis", "confidence": own[1]}


def test_the_risk_classifier_calls_a_crisis_that_the_rankings_classifier_took_for_a_question(stage):
    """The ranking comes from a classifier that reads the tuned embedding; the risk classifier, which does not, has
    the last word on risk."""
    message = parsed(stage, "everything feels pointless and i'm so done", [("ask_about_ptsd", 0.6), ("crisis", 0.3)],
                     ("crisis", CONFIG["classifier_threshold"] + 0.05))
    assert intent(message) == "crisis" and message.get(SAFETY)["source"] == "classifier"


def test_an_emergency_the_risk_classifier_does_not_put_first_is_not_called(stage):
    """"I need to talk to the doctor" is a request for a person: where the risk classifier puts ask_human first, the
    stage must not answer with 911, whatever the ranking says."""
    message = parsed(stage, "i need to speak with the doctor", [("medical_emergency", 0.7), ("ask_human", 0.5)],
                     (None, 0.0))
    assert (intent(message), message.get(SAFETY)["level"]) == ("ask_human", "none")


def test_a_low_own_crisis_probability_is_no_crisis_even_at_the_top_of_the_ranking(stage):
    own = ("crisis", CONFIG["sensitive_threshold"] - 0.1)
    message = parsed(stage, "and then what happens to me after all of that", [("crisis", 0.5), ("ask_what_to_expect", 0.45)],
                     own)
    assert intent(message) == "ask_what_to_expect" and message.get(SAFETY)["level"] == "none"


def test_an_unsure_classifier_alone_is_not_a_crisis_but_earns_the_gentle_line(stage):
    unsure = (CONFIG["sensitive_threshold"] + CONFIG["classifier_threshold"]) / 2
    message = parsed(stage, "everything feels so pointless lately", [("crisis", unsure), ("ask_about_ptsd", FALLBACK / 2)],
                     ("crisis", unsure))
    assert intent(message) == "nlu_fallback"
    assert message.get(SAFETY)["level"] == "sensitive" and message.get(SAFETY)["topics"] == ["suicide"]


@pytest.mark.parametrize("text", [
    "buried my dad on saturday. it was a hard week but im ok, just tired",
    "had a flashback in the parking lot after work, shook for an hour. doing better tonight",
    "haven't left the house in weeks except for groceries, but i drove to the park today. small win",
])
def test_someone_who_says_they_are_all_right_gets_the_gentle_line_not_the_crisis_reply(stage, text):
    """Grief, symptoms and good news read like a crisis to the classifier; taken at their word, the writer gets the
    lifeline beside the answer instead of an alarm."""
    message = parsed(stage, text, [("crisis", 0.9), ("ask_about_ptsd", 0.05)],
                     ("crisis", 0.9))
    assert intent(message) != "crisis"
    assert message.get(SAFETY)["level"] == "sensitive" and message.get(SAFETY)["topics"] == ["suicide"]


@pytest.mark.parametrize("text", [
    "my therapist asked if im ok and i said yes. i'm not. i'm done",
    "i'll be fine soon, none of this will matter after friday",
    "honestly i feel better now that i've decided",
    "everyone thinks im fine. i just want it all to stop",
])
def test_a_calm_that_is_pretended_or_comes_from_a_decision_does_not_soften_a_sure_classifier(stage, text):
    message = parsed(stage, text, [("crisis", 0.9), ("ask_about_ptsd", 0.05)],
                     ("crisis", 0.9))
    assert intent(message) == "crisis", text


@pytest.mark.parametrize("fragment", ["and then", "my mom", "he", "she did it"])
def test_a_fragment_too_short_to_judge_is_never_a_crisis_on_the_classifiers_word_alone(stage, fragment):
    message = parsed(stage, fragment, [("medical_emergency", 0.95), ("ask_aftercare", FALLBACK / 2)])
    assert intent(message) == "nlu_fallback"
    assert message.get(SAFETY)["level"] == "none"


def test_a_denial_gets_the_questions_intent_even_when_the_classifier_says_crisis(stage):
    message = parsed(stage, "I'm not suicidal, I just feel numb. could ketamine help?",
                     [("crisis", 0.92), ("ask_effectiveness", 0.05)])
    assert intent(message) not in {"crisis", "medical_emergency"}
    assert message.get(SAFETY)["level"] == "sensitive"
    assert "suicide" in message.get(SAFETY)["topics"]


def test_a_denial_with_a_confident_runner_up_gets_that_intent(stage):
    message = parsed(stage, "no thoughts of hurting myself, can ketamine help my nightmares?",
                     [("crisis", 0.5), ("ask_effectiveness", 0.45)])
    assert intent(message) == "ask_effectiveness"


def test_an_idiom_is_no_concern(stage):
    message = parsed(stage, "this traffic is killing me", [("out_of_scope", 0.9)])
    assert (intent(message), message.get(SAFETY)["level"]) == ("out_of_scope", "none")


def test_a_long_message_is_classified_on_its_start_and_checked_whole(stage):
    text = "tell me about the infusions. " * 200 + "i am going to end my life"
    message = parsed(stage, text, [("ask_treatment_plan", 0.9)])
    assert len(text) > MAX_CLASSIFIED_CHARS
    assert intent(message) == "crisis"
    assert message.get(TEXT) == text and message.get("message_too_long") is True
