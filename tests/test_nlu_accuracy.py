"""Intent accuracy of the trained model on a test split written apart from the training data."""
from __future__ import annotations

from bench.nlu_accuracy import evaluate
from tests.conftest import MODEL_PATH

ACCURACY_GATE = 0.90
# No intent may lose more than this many of its test examples.
MAX_MISSES_PER_INTENT = 3


def test_intent_accuracy_on_the_held_out_split():
    report = evaluate(str(MODEL_PATH))
    misses = "\n".join(f"{expected} -> {predicted}: {text}" for text, expected, predicted in report["misses"])
    assert report["accuracy"] >= ACCURACY_GATE, misses
    assert max(report["misses_per_intent"].values(), default=0) <= MAX_MISSES_PER_INTENT, misses
