"""The deterministic safety layer on its own: crisis, emergencies, look-alikes and denials."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlu.safety_patterns import CRISIS, MEDICAL_EMERGENCY
from bot.nlu.safety_rules import SafetyRules

CASES_DIR = Path(__file__).parent / "safety"
CASES = yaml.safe_load((CASES_DIR / "safety_cases.yml").read_text())
# Written later by someone who had not seen the patterns; a few misses are expected, so it is gated by rate.
HOLDOUT = yaml.safe_load((CASES_DIR / "safety_holdout.yml").read_text())
# Either safety reply gives the crisis lines; the emergency one leads with 911.
SAFETY_LABELS = {CRISIS, MEDICAL_EMERGENCY}


@pytest.fixture(scope="module")
def rules() -> SafetyRules:
    return SafetyRules()


def label(rules: SafetyRules, text: str):
    match = rules.detect(text)
    return match.label if match else None


@pytest.mark.parametrize("text", CASES["crisis"])
def test_crisis_language_is_caught(rules, text):
    assert label(rules, text) in SAFETY_LABELS


@pytest.mark.parametrize("text", CASES["emergency"])
def test_emergencies_are_caught_as_emergencies(rules, text):
    assert label(rules, text) == MEDICAL_EMERGENCY


@pytest.mark.parametrize("text", CASES["lookalike"])
def test_look_alikes_are_left_alone(rules, text):
    assert label(rules, text) is None


@pytest.mark.parametrize("text", CASES["negation"])
def test_clear_denials_are_left_alone(rules, text):
    assert label(rules, text) is None


def test_self_directed_crisis_is_labelled_crisis_not_emergency(rules):
    assert label(rules, "i want to kill myself") == CRISIS
    assert label(rules, "I'M GOING TO KILL MYSELF") == CRISIS


def test_shorthand_typos_and_curly_apostrophes(rules):
    assert label(rules, "wanna kms") == CRISIS
    assert label(rules, "im so suicidel") == CRISIS
    assert label(rules, "I don\u2019t want to live anymore") == CRISIS
    assert label(rules, "i cant breath") == MEDICAL_EMERGENCY


def test_empty_and_huge_messages(rules):
    assert rules.detect("") is None
    assert rules.detect("   ") is None
    assert label(rules, "hello " * 15_000 + "i want to die") == CRISIS


def rate(rules, texts, expected) -> float:
    return sum(label(rules, text) in expected for text in texts) / len(texts)


def test_holdout_recall_and_precision(rules):
    assert rate(rules, HOLDOUT["crisis"], SAFETY_LABELS) >= 0.9
    assert rate(rules, HOLDOUT["emergency"], {MEDICAL_EMERGENCY}) >= 0.9
    assert rate(rules, HOLDOUT["lookalike"], {None}) >= 0.95
    assert rate(rules, HOLDOUT["negation"], {None}) == 1.0
