"""Deterministic crisis and emergency detection with spaCy's Matcher, independent of any classifier."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.nlu.safety_patterns import (
    CANONICAL_OVERRIDES,
    CLAUSE_BREAKS,
    HISTORY_CONTEXT,
    MEDICAL_EMERGENCY,
    NEGATION_CANCELLERS,
    NEGATIONS,
    RESEARCH_CONTEXT,
    SAFETY_RULES,
    SPELLING_FIXES,
    WORD_SETS,
    SafetyRule,
)

NEGATION_WINDOW = 5
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
WORD = re.compile(r"[a-z][a-z'.\-]*[a-z]|[a-z]")

@dataclass(frozen=True)
class SafetyMatch:
    """What the layer found: the intent to force and the rule and words that made it."""

    label: str
    rule: str
    matched_text: str


def normalise(text: str) -> str:
    """Lower-cases and rewrites shorthand and misspellings so one pattern covers them."""
    lowered = text.lower().translate(APOSTROPHES)
    return WORD.sub(lambda word: SPELLING_FIXES.get(word.group(0), word.group(0)), lowered)


class SafetyRules:
    """Finds crisis and medical-emergency language; emergencies win because their reply also lists crisis lines."""

    def __init__(self) -> None:
        self._nlp = spacy.blank("en")
        self._nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self._nlp.initialize()
        self._matcher = Matcher(self._nlp.vocab)
        self._rules: Dict[str, SafetyRule] = {}
        for rule in SAFETY_RULES:
            self._rules[rule.name] = rule
            self._matcher.add(rule.name, [self._compile(pattern) for pattern in rule.patterns])

    def _doc(self, text: str) -> Doc:
        doc = self._nlp(normalise(text))
        for token in doc:
            token.norm_ = CANONICAL_OVERRIDES.get(token.lower_, token.lemma_.lower())
        return doc

    def _canonical_words(self, alternatives: str) -> List[str]:
        """Expands "a|@set|b" and brings each word to the canonical form tokens are compared in."""
        words: List[str] = []
        for alternative in alternatives.split("|"):
            words.extend(WORD_SETS[alternative[1:]] if alternative.startswith("@") else [alternative])
        return sorted({token.norm_ for word in words for token in self._doc(word)})

    def _token_test(self, spec: str) -> Dict:
        """One DSL token (see safety_patterns) as a spaCy Matcher token pattern."""
        optional = spec.endswith("?") and len(spec) > 1
        spec = spec[:-1] if optional else spec
        if spec == "_":
            test: Dict = {}
        elif spec == "#":
            test = {"LIKE_NUM": True}
        elif spec.startswith("="):
            test = {"LOWER": {"IN": spec[1:].split("|")}}
        elif spec.startswith("!"):
            test = {"NORM": {"NOT_IN": self._canonical_words(spec[1:])}}
        else:
            test = {"NORM": {"IN": self._canonical_words(spec)}}
        if optional:
            test["OP"] = "?"
        return test

    def _compile(self, pattern: str) -> List[Dict]:
        return [self._token_test(spec) for spec in pattern.split()]

    @staticmethod
    def _is_denied(span: Span) -> bool:
        """A negation shortly before the match in the same clause ("I'm not suicidal")."""
        doc = span.doc
        for index in range(span.start - 1, max(span.start - 1 - NEGATION_WINDOW, -1), -1):
            canon = doc[index].norm_
            if canon in CLAUSE_BREAKS:
                return False
            if canon in NEGATIONS:
                return doc[index + 1].norm_ not in NEGATION_CANCELLERS
        return False

    @staticmethod
    def _mentions(span: Span, context: FrozenSet[str]) -> bool:
        return any(token.norm_ in context for token in span.doc)

    def _applies(self, rule: SafetyRule, span: Span) -> bool:
        if rule.negatable and self._is_denied(span):
            return False
        if rule.unless_research and self._mentions(span, RESEARCH_CONTEXT):
            return False
        if rule.unless_history and self._mentions(span, HISTORY_CONTEXT):
            return False
        return True

    def detect(self, text: Optional[str]) -> Optional[SafetyMatch]:
        if not text or not text.strip():
            return None
        # The closing full stop gives a "!word" test a token to look at when a pattern ends the message.
        doc = self._doc(f"{text} .")
        found: List[SafetyMatch] = []
        for match_id, start, end in self._matcher(doc):
            rule = self._rules[self._nlp.vocab.strings[match_id]]
            span = doc[start:end]
            if self._applies(rule, span):
                found.append(SafetyMatch(rule.label, rule.name, span.text))
        if not found:
            return None
        emergencies = [match for match in found if match.label == MEDICAL_EMERGENCY]
        return (emergencies or found)[0]
