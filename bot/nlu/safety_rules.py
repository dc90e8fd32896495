"""Deterministic crisis and emergency detection with spaCy's Matcher, independent of any classifier.

Every match is read in its sentence, so the verdict is graded: someone at risk now, a sensitive mention (a question,
a denial, a past history, a loss), or nothing. The work grows linearly with the message: the text is read in windows
of bounded size, and no word is longer than MAX_WORD_CHARS.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.nlu.english import lookup_lemmatiser
from bot.nlu.safety_patterns import (
    AFTER_A_TREATMENT,
    AFTER_EFFECT_MOOD,
    AFTER_EFFECT_NOW,
    AFTER_EFFECT_SYMPTOMS,
    ASKS_WHETHER_TO_GO_TO_THE_ER,
    BACK_AFTER_A_BREAK,
    BLOOD_PRESSURE,
    CLINIC_OUT_OF_REACH,
    CANONICAL_OVERRIDES,
    CLAUSE_BREAKS,
    CRISIS,
    DEATH_OF_SOMEONE,
    EMOJI_WORDS,
    FIGURES_OF_SPEECH,
    HAPPENING_NOW,
    HARMED_BY_SOMEONE,
    HELP_NOW,
    HYPERTENSIVE_DIASTOLIC,
    HYPERTENSIVE_SYMPTOMS,
    HYPERTENSIVE_SYSTOLIC,
    HYPOTHETICAL,
    IDIOMS,
    JOKE_MARKERS,
    LAST_QUESTION_ALONE,
    MEDICAL,
    MEANS_EMOJI,
    MEDICAL_EMERGENCY,
    MOOD_TOLD_OF_SOMEONE,
    NEGATION_CANCELLERS,
    NEGATIONS,
    ORDINARY_NEEDS,
    PAST_MARKERS,
    PILL_EMOJI,
    PILLS_TO_COUNT,
    PRESENT_PIVOTS,
    QUESTION_FILLERS,
    QUESTION_OPENERS,
    RECURRENCE,
    SAFETY_RULES,
    SAID_IT_BEFORE,
    SAYS_ALL_RIGHT,
    SENTENCE_BREAKS,
    SPELLING_FIXES,
    SUICIDE,
    TOPIC_MENTIONS,
    TREATMENT_WORRIES,
    WHO_BOOKED,
    WISH_TO_JOIN,
    WORD_SETS,
    SafetyRule,
)

AT_RISK, SENSITIVE, NO_CONCERN = "at_risk", "sensitive", "none"
# What is told of now after a treatment (after_effects_told).
BODY, MOOD = "body", "mood"
# Asked whether to go to the ER or call 911: when to call 911 and when the clinic is the whole answer.
URGENT = "urgent"
# A sign that softens the classifier instead of silencing it: the writer says they are all right.
SAYS_ALL_RIGHT_REASON = "says all right"
TREATMENT_WORRY_REASON = "worry about the treatment"
ORDINARY_NEED_REASON = "ordinary need"
NEGATION_WINDOW = 5
# Longer runs without a space are not words; cutting them keeps the tokenizer linear (emoji floods, base64).
MAX_WORD_CHARS = 40
# The text is matched in windows of this many characters, overlapping by more than any pattern spans.
WINDOW_CHARS, WINDOW_OVERLAP = 1200, 300
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
EMOJI = str.maketrans(EMOJI_WORDS)
LONG_RUN = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))
# Symbols no pattern reads (emoji, pictographs, control characters) become spaces; runs of spaces become one.
NON_TEXT = re.compile(r"[^\w\s'./?!,;:#&%+\-]+")
SPACES = re.compile(r"[^\S\n]+")
QUESTION_SPLIT = re.compile(r"[^.!?;\n]+[.!?;\n]*")
WORD = re.compile(r"[a-z0-9][a-z0-9'./\-]*[a-z0-9]|[a-z0-9]")
FIRST_PERSON: FrozenSet[str] = frozenset({"i", "me", "my", "myself", "we", "us", "our"})


@dataclass(frozen=True)
class SafetyVerdict:
    """What the layer decided: the level, the intent to force when someone is at risk, and why."""

    level: str
    label: Optional[str] = None
    rule: Optional[str] = None
    matched_text: str = ""
    topics: FrozenSet[str] = field(default_factory=frozenset)
    reason: str = ""

    @property
    def at_risk(self) -> bool:
        return self.level == AT_RISK

    def as_dict(self) -> Dict:
        return {"level": self.level, "label": self.label, "rule": self.rule, "matched": self.matched_text,
                "topics": sorted(self.topics), "reason": self.reason}


NO_VERDICT = SafetyVerdict(NO_CONCERN)


def _cut_long_run(match: re.Match) -> str:
    run = match.group(0)
    return " ".join(run[start:start + MAX_WORD_CHARS] for start in range(0, len(run), MAX_WORD_CHARS))


def normalise(text: str) -> str:
    """NFKC (full-width and styled letters become plain), emoji that carry meaning as words, other symbols dropped,
    shorthand spelled out."""
    plain = unicodedata.normalize("NFKC", text).translate(EMOJI).lower().translate(APOSTROPHES)
    plain = LONG_RUN.sub(_cut_long_run, SPACES.sub(" ", NON_TEXT.sub(" ", plain)))
    return WORD.sub(lambda word: SPELLING_FIXES.get(word.group(0), word.group(0)), plain)


def after_effects_told(text: Optional[str]) -> Optional[str]:
    """What the patient or someone with them tells of now after a treatment: BODY for a physical effect (when to call
    911 comes first), MOOD for feeling low, tearful or on edge, None for neither (or a question in general); URGENT
    for a question whether to go to the ER, or what to do with the clinic out of reach, whatever it follows."""
    plain = normalise(text or "")
    if ASKS_WHETHER_TO_GO_TO_THE_ER.search(plain) or CLINIC_OUT_OF_REACH.search(plain):
        return URGENT
    if not (AFTER_A_TREATMENT.search(plain) and AFTER_EFFECT_NOW.search(plain)):
        return None
    if AFTER_EFFECT_SYMPTOMS.search(plain):
        return BODY
    return MOOD if AFTER_EFFECT_MOOD.search(plain) and MOOD_TOLD_OF_SOMEONE.search(plain) else None


def harm_by_someone_told(text: Optional[str]) -> bool:
    """Someone tells that another person hurts, threatens or frightens them: no verdict, a line after the answer."""
    return bool(HARMED_BY_SOMEONE.search(normalise(text or "")))


def reads_as_question(sentence: str) -> bool:
    """Ends with a question mark, or opens with a question word ("can I", but not "can not breathe")."""
    words = [word for word in sentence.split() if word not in QUESTION_FILLERS]
    if sentence.endswith("?"):
        return True
    return bool(words) and words[0] in QUESTION_OPENERS and (len(words) < 2 or words[1] not in ("not", "n't"))


def windows(text: str) -> Iterator[str]:
    """Overlapping slices of the text, cut at spaces, so each spaCy call reads a bounded amount."""
    start = 0
    while True:
        end = start + WINDOW_CHARS
        if end >= len(text):
            yield text[start:]
            return
        # A cut beyond the overlap, so each window starts further on than the last.
        cut = text.rfind(" ", start + WINDOW_OVERLAP + 1, end)
        end = cut if cut > 0 else end
        yield text[start:end]
        start = end - WINDOW_OVERLAP


class SafetyRules:
    """Finds crisis and medical-emergency language; emergencies win because their reply also lists crisis lines."""

    def __init__(self) -> None:
        self._nlp = lookup_lemmatiser()
        self._topics = Matcher(self._nlp.vocab)
        self._rules: Dict[str, SafetyRule] = {}
        # One matcher per pattern, run only on text holding a word of each of its required tokens, so a long
        # message costs little unless it speaks of what a pattern looks for.
        self._patterns: List[Tuple[str, Matcher, List[FrozenSet[str]]]] = []
        for rule in SAFETY_RULES:
            self._rules[rule.name] = rule
            for pattern in rule.patterns:
                matcher = Matcher(self._nlp.vocab)
                matcher.add(rule.name, [self._compile(pattern)])
                self._patterns.append((rule.name, matcher, self._required_words(pattern)))
        for topic, patterns in TOPIC_MENTIONS.items():
            self._topics.add(topic, [self._compile(pattern) for pattern in patterns])

    @staticmethod
    def _canonicalise(doc: Doc) -> Doc:
        """Sets each token's NORM to the canonical form patterns compare: the lookup lemma, or an override."""
        for token in doc:
            token.norm_ = CANONICAL_OVERRIDES.get(token.lower_, token.lemma_.lower())
        return doc

    def _canonical_words(self, alternatives: str) -> List[str]:
        """Expands "a|@set|b" and brings each word to the canonical form tokens are compared in."""
        words: List[str] = []
        for alternative in alternatives.split("|"):
            words.extend(WORD_SETS[alternative[1:]] if alternative.startswith("@") else [alternative])
        return sorted({token.norm_ for word in words for token in self._canonicalise(self._nlp(normalise(word)))})

    def _token_test(self, spec: str) -> Dict:
        """One DSL token (see safety_patterns) as a spaCy Matcher token pattern."""
        optional = spec.endswith("?") and len(spec) > 1
        spec = spec[:-1] if optional else spec
        if spec == "_":
            test: Dict = {}
        elif spec == "#":
            test = {"LIKE_NUM": True}
        elif spec == "##":
            test = {"ORTH": {"REGEX": r"^[1-9][0-9]+$"}}
        elif spec.startswith("="):
            test = {"LOWER": {"IN": spec[1:].split("|")}}
        elif spec.startswith("!"):
            test = {"NORM": {"NOT_IN": self._canonical_words(spec[1:])}}
        elif spec == ".":
            test = {"ORTH": "."}
        else:
            test = {"NORM": {"IN": self._canonical_words(spec)}}
        if optional:
            test["OP"] = "?"
        return test

    def _compile(self, pattern: str) -> List[Dict]:
        return [self._token_test(spec) for spec in pattern.split()]

    def _required_words(self, pattern: str) -> List[FrozenSet[str]]:
        """For each token the pattern cannot match without, the words (canonical or surface) it accepts."""
        required = [spec for spec in pattern.split() if spec not in ("_", "#", "##", ".") and not spec.startswith("!")
                    and not (spec.endswith("?") and len(spec) > 1)]
        return [frozenset(spec[1:].split("|")) if spec.startswith("=") else frozenset(self._canonical_words(spec))
                for spec in required]

    def _matches(self, doc: Doc) -> List[Tuple[int, int, str]]:
        """Every rule's matches in the doc, in reading order, from the patterns whose required words it holds."""
        words = {token.norm_ for token in doc} | {token.lower_ for token in doc}
        return sorted({(start, end, name) for name, matcher, required in self._patterns
                       if all(not accepted.isdisjoint(words) for accepted in required)
                       for _, start, end in matcher(doc)})

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
    def _sentence(span: Span) -> Span:
        doc = span.doc
        start = span.start
        while start > 0 and doc[start - 1].text not in SENTENCE_BREAKS:
            start -= 1
        end = span.end
        while end < len(doc) and doc[end].text not in SENTENCE_BREAKS:
            end += 1
        return doc[start:min(end + 1, len(doc))]

    @staticmethod
    def _hypothetical(rule: SafetyRule, span: Span, sentence: Span) -> bool:
        """A question about what could happen, not a report of what is happening."""
        text = sentence.text
        if not reads_as_question(text.strip()):
            return False
        if HYPOTHETICAL.search(text):
            return True
        if HELP_NOW.search(text):
            return False
        if rule.label == MEDICAL_EMERGENCY:
            return not HAPPENING_NOW.search(text)
        # A crisis word inside a question is a disclosure only when the writer speaks of themselves before it.
        return not any(token.lower_ in FIRST_PERSON for token in span.doc[sentence.start:span.start])

    @staticmethod
    def _told_as_past(span: Span, sentence: Span) -> bool:
        """A history: a past marker between the present words on either side of the match, and nothing in the
        message says it has come back."""
        doc = span.doc
        start = max((token.i + 1 for token in doc[sentence.start:span.start] if token.norm_ in PRESENT_PIVOTS),
                    default=sentence.start)
        end = min((token.i for token in doc[span.end:sentence.end] if token.norm_ in PRESENT_PIVOTS),
                  default=sentence.end)
        return bool(PAST_MARKERS.search(doc[start:end].text)) and not RECURRENCE.search(doc.text)

    def _context(self, rule: SafetyRule, span: Span) -> str:
        """Why a match is not someone at risk now, or "" when it is."""
        sentence = self._sentence(span)
        if rule.negatable and self._is_denied(span):
            return "negated"
        if IDIOMS.search(sentence.text) or (rule.joke_applies and JOKE_MARKERS.search(sentence.text)):
            return "joke"
        if rule.past_applies and self._told_as_past(span, sentence):
            return "past"
        if rule.hypothetical_applies and self._hypothetical(rule, span, sentence):
            return "question"
        return ""

    def detect(self, text: Optional[str]) -> SafetyVerdict:
        if not text or not text.strip():
            return NO_VERDICT
        plain = normalise(text)
        at_risk: List[SafetyVerdict] = []
        mentioned: Set[str] = set()
        reasons: Set[str] = set()
        # The closing full stop gives a "!word" test a token to look at when a pattern ends the message.
        for doc in map(self._canonicalise, self._nlp.pipe(f"{window} ." for window in windows(plain))):
            for start, end, name in self._matches(doc):
                rule = self._rules[name]
                span = doc[start:end]
                reason = self._context(rule, span)
                if not reason:
                    at_risk.append(SafetyVerdict(AT_RISK, rule.label, rule.name, span.text, frozenset({rule.topic})))
                elif reason != "joke":
                    mentioned.add(rule.topic)
                    reasons.add(reason)
            mentioned.update(self._nlp.vocab.strings[match_id] for match_id, _, _ in self._topics(doc))
            if at_risk:
                break  # the reply is decided; the rest of a very long message changes nothing
        at_risk.extend(verdict for verdict in (self._blood_pressure(plain), self._wish_to_join_the_dead(plain),
                                               self._means_in_emoji(text)) if verdict)
        if at_risk:
            emergencies = [verdict for verdict in at_risk if verdict.label == MEDICAL_EMERGENCY]
            first = (emergencies or at_risk)[0]
            return SafetyVerdict(AT_RISK, first.label, first.rule, first.matched_text,
                                 frozenset(mentioned | first.topics))
        if mentioned:
            return SafetyVerdict(SENSITIVE, topics=frozenset(mentioned), reason=",".join(sorted(reasons)) or "mention")
        return self._sign_against_risk(plain)

    @staticmethod
    def _sign_against_risk(plain: str) -> SafetyVerdict:
        """Nothing found; a figure of speech, a fear that the treatment will hurt, hunger or thirst, an answer given
        again ("i just told u, sarah"), back after a break ("sorry kids. where were we"), who made a booking ("tell them
        her son set it up"), a message made only of questions, or the writer saying they are all right, still
        says something."""
        if FIGURES_OF_SPEECH.search(plain) or LAST_QUESTION_ALONE.fullmatch(plain):
            return SafetyVerdict(NO_CONCERN, reason="figure of speech")
        if TREATMENT_WORRIES.search(plain):
            return SafetyVerdict(NO_CONCERN, reason=TREATMENT_WORRY_REASON)
        if ORDINARY_NEEDS.search(plain) and not (AFTER_EFFECT_SYMPTOMS.search(plain) or AFTER_EFFECT_MOOD.search(plain)):
            return SafetyVerdict(NO_CONCERN, reason=ORDINARY_NEED_REASON)
        if SAID_IT_BEFORE.fullmatch(plain):
            return SafetyVerdict(NO_CONCERN, reason="said before")
        if BACK_AFTER_A_BREAK.fullmatch(plain):
            return SafetyVerdict(NO_CONCERN, reason="back after a break")
        if WHO_BOOKED.search(plain):
            return SafetyVerdict(NO_CONCERN, reason="who booked")
        if SAYS_ALL_RIGHT.search(plain):
            return SafetyVerdict(NO_CONCERN, reason=SAYS_ALL_RIGHT_REASON)
        sentences = [sentence.strip() for sentence in QUESTION_SPLIT.findall(plain) if sentence.strip(" .,;!")]
        if sentences and all(reads_as_question(sentence) for sentence in sentences):
            return SafetyVerdict(NO_CONCERN, reason="questions only")
        return NO_VERDICT

    @staticmethod
    def _blood_pressure(plain: str) -> Optional[SafetyVerdict]:
        """A hypertensive-crisis reading ("195/120") reported with a symptom of one."""
        if not HYPERTENSIVE_SYMPTOMS.search(plain):
            return None
        for match in BLOOD_PRESSURE.finditer(plain):
            systolic, diastolic = int(match.group(1)), int(match.group(2))
            if systolic >= HYPERTENSIVE_SYSTOLIC and diastolic >= 60 or diastolic >= HYPERTENSIVE_DIASTOLIC:
                if systolic > diastolic:
                    return SafetyVerdict(AT_RISK, MEDICAL_EMERGENCY, "blood_pressure", match.group(0),
                                         frozenset({MEDICAL}))
        return None

    @staticmethod
    def _means_in_emoji(text: str) -> Optional[SafetyVerdict]:
        """A message of emoji alone that shows a means of harm: no words to read, and no reason to wait for them."""
        if any(char.isalnum() for char in text):
            return None
        if MEANS_EMOJI.intersection(text) or text.count(PILL_EMOJI) >= PILLS_TO_COUNT:
            return SafetyVerdict(AT_RISK, CRISIS, "means_in_emoji", text.strip(), frozenset({SUICIDE}))
        return None

    @staticmethod
    def _wish_to_join_the_dead(plain: str) -> Optional[SafetyVerdict]:
        """A wish to join or follow someone the message says has died: a crisis however calmly it is put."""
        match = WISH_TO_JOIN.search(plain) if DEATH_OF_SOMEONE.search(plain) else None
        if match:
            return SafetyVerdict(AT_RISK, CRISIS, "wish_to_join_the_dead", match.group(0), frozenset({SUICIDE}))
        return None
