"""The folded calibration gives scikit-learn's calibrated probabilities, to the last bit, in a fraction of the time."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.nlu.folded_calibration import FoldedCalibration

EXAMPLES = {
    "ask_cost": ["how much is it", "what does it cost", "price per infusion?", "is it expensive", "cost of a series"],
    "ask_locations": ["where are you", "what's your address", "closest office", "where is the clinic", "parking?"],
    "ask_side_effects": ["any side effects", "will i feel sick", "does it cause nausea", "risks after", "dizzy after?"],
    "greet": ["hi", "hello there", "hey", "good morning", "hiya"],
}


def calibrated(examples: dict, folds: int = 3) -> tuple:
    texts = [text for texts in examples.values() for text in texts]
    labels = np.array([intent for intent, texts in examples.items() for _ in texts])
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(texts)
    classifier = CalibratedClassifierCV(LinearSVC(C=0.5, random_state=1), cv=folds, method="isotonic")
    return vectorizer, classifier.fit(vectorizer.transform(texts), labels)


def test_probabilities_are_scikit_learns_exactly_for_seen_unseen_and_empty_text():
    vectorizer, classifier = calibrated(EXAMPLES)
    texts = ["how much per session", "where r u", "nausea??", "hello", "", "zzzz qqq", "HOW MUCH IS IT AND WHERE"]
    vectors = vectorizer.transform(texts)
    folded = FoldedCalibration(classifier).predict_proba(vectors)
    assert np.array_equal(folded, classifier.predict_proba(vectors))
    assert classifier.classes_[folded[0].argmax()] == "ask_cost"


def test_each_intents_own_probability_is_the_mean_of_its_fold_calibrators_not_normalised():
    vectorizer, classifier = calibrated(EXAMPLES)
    vectors = vectorizer.transform(["how much per session", "nausea??", "zzzz qqq"])
    per_fold = [np.column_stack([calibrator.predict(scores) for calibrator, scores in
                                 zip(fold.calibrators, fold.base_estimator.decision_function(vectors).T)])
                for fold in classifier.calibrated_classifiers_]
    normalised, own = FoldedCalibration(classifier).probabilities(vectors)
    assert np.allclose(own, np.mean(per_fold, axis=0))
    assert np.array_equal(normalised, classifier.predict_proba(vectors))
    assert not np.allclose(own.sum(axis=1), 1.0)


def test_two_intents_are_refused_with_a_reason_rather_than_answered_wrongly():
    _, classifier = calibrated({intent: EXAMPLES[intent] for intent in ("greet", "ask_cost")})
    with pytest.raises(ValueError, match="three intents"):
        FoldedCalibration(classifier)
