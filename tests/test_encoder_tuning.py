"""Tuning the encoder's top layers: the assistant's numpy encoder runs the tuned layers exactly as TensorFlow trained
them, tuning draws one intent's questions together, and a saved classifier keeps its tuned layers."""
from __future__ import annotations

import numpy as np
import skops.io as skops
import tensorflow as tf

from bot.nlu.encoder_tuning import TunedSentenceEmbeddings, pooled_vectors, tuned_top_layers
from bot.nlu.linear_intents import TRUSTED_TYPES
from bot.nlu.sentence_embeddings import LAYERS, padded, sentence_encoder

# Two intents that share most of their words: how long the effect lasts, and how long the visit takes.
LASTING = ["how long does the effect last", "how long do results last", "how long will i feel better after",
           "does the relief last long", "how many weeks does it keep working", "how long until it wears off"]
VISIT = ["how long does the appointment last", "how long is a session", "how long will i be at the clinic",
         "does the visit take long", "how many hours is an infusion", "how long until i can go home that day"]
UNSEEN_LASTING = ["will the benefits wear off over time", "how long do the good effects stick around"]
UNSEEN_VISIT = ["how much time should i set aside for the visit", "how long do i sit in the chair"]


def tuned(layers: int, epochs: int, learning_rate: float):
    encoder = sentence_encoder()
    texts, labels = LASTING + VISIT, ["lasting"] * len(LASTING) + ["visit"] * len(VISIT)
    lower = encoder.lower_token_states(texts, LAYERS - layers)
    return tuned_top_layers(lower, labels, encoder.top_layers(layers), epochs, learning_rate, seed=7)


def separation(vectors: np.ndarray) -> float:
    """How much nearer each unseen question is to the other of its intent than to those of the other intent."""
    similarity = vectors @ vectors.T
    return float(similarity[0, 1] + similarity[2, 3] - similarity[0, 2] - similarity[1, 3]) / 2


def test_the_assistant_runs_the_tuned_layers_as_they_were_trained():
    layers = tuned(2, epochs=2, learning_rate=1e-3)
    encoder = sentence_encoder()
    texts = UNSEEN_LASTING + ["a much longer message about the clinic and its parking " * 4, "hi"]
    states, mask = padded(encoder.lower_token_states(texts, LAYERS - 2))
    trained = pooled_vectors(tf.constant(states), tf.constant(mask),
                             [{name: tf.constant(weights) for name, weights in layer.items()} for layer in layers])
    assert not np.allclose(encoder.with_top_layers(layers).encode(texts), encoder.encode(texts), atol=1e-3)
    assert np.allclose(encoder.with_top_layers(layers).encode(texts), trained.numpy(), atol=1e-5)


def test_tuning_draws_unseen_questions_of_one_intent_together():
    unseen = UNSEEN_LASTING + UNSEEN_VISIT
    before = separation(sentence_encoder().encode(unseen))
    after = separation(sentence_encoder().with_top_layers(tuned(2, epochs=6, learning_rate=1e-3)).encode(unseen))
    assert after > before + 0.05


def test_a_saved_view_gives_the_same_vectors_with_the_trusted_types(tmp_path):
    view = TunedSentenceEmbeddings(layers=1, epochs=1, folds=2)
    training_vectors = view.fit_transform(LASTING + VISIT, ["lasting"] * len(LASTING) + ["visit"] * len(VISIT))
    assert training_vectors.shape == (len(LASTING + VISIT), 2 * 384), "the upstream vector, then the tuned one"
    skops.dump(view, tmp_path / "view.skops")
    loaded = skops.load(tmp_path / "view.skops", trusted=TRUSTED_TYPES)
    assert np.allclose(loaded.transform(UNSEEN_VISIT), view.transform(UNSEEN_VISIT), atol=1e-6)
    upstream, tuned_vectors = np.split(loaded.transform(UNSEEN_VISIT), 2, axis=1)
    assert np.allclose(upstream, sentence_encoder().encode(UNSEEN_VISIT), atol=1e-5)
    assert not np.allclose(tuned_vectors, upstream, atol=1e-3)

