"""Fine-tunes the sentence encoder's top layers on the training examples, so that its vectors separate this clinic's
intents rather than sentences in general.

Measured on real questions (README, "Understanding real questions"), the tuned vectors beside the upstream ones put
the right intent first more often for questions from sources the classifier has never seen. Only the top layers are
trained: the lower layers' token vectors are computed once, by the numpy encoder, and the training runs on
TensorFlow, which Rasa installs and imports anyway; the assistant itself runs the tuned layers in numpy.
"""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import tensorflow as tf
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.model_selection import StratifiedKFold

from bot.nlu.sentence_embeddings import (
    DIMENSIONS, HEADS, LAYER_NORM_EPS, LAYERS, MiniLMEncoder, padded, sentence_encoder, training_embeddings)

BATCH_SIZE = 32


def tuned_top_layers(lower_states: Sequence[np.ndarray], labels: Sequence[str],
                     top_layers: Sequence[Dict[str, np.ndarray]], epochs: int, learning_rate: float,
                     seed: int) -> List[Dict[str, np.ndarray]]:
    """`top_layers` trained, with a linear head on the pooled vector, to tell the labels apart (cross-entropy, AdamW).
    Batches hold texts of similar length, in a new order each epoch, so little of the work goes to padding."""
    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    intents, targets = np.unique(np.asarray(labels), return_inverse=True)
    layers = [{name: tf.Variable(weights, name=name) for name, weights in layer.items()} for layer in top_layers]
    head = tf.Variable(tf.keras.initializers.GlorotUniform(seed=seed)((DIMENSIONS, len(intents))), name="head")
    head_bias = tf.Variable(tf.zeros(len(intents)), name="head_bias")
    variables = [variable for layer in layers for variable in layer.values()] + [head, head_bias]
    optimizer = tf.keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=0.01)
    # Slots built before the step is traced, and no autograph (the step has no Python control flow to convert): one
    # trace a tuning instead of two (about 2 s each).
    optimizer.build(variables)

    @tf.function(input_signature=[tf.TensorSpec([None, None, DIMENSIONS]), tf.TensorSpec([None, None]),
                                  tf.TensorSpec([None], tf.int64)], autograph=False)
    def step(states: tf.Tensor, mask: tf.Tensor, target: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            logits = pooled_vectors(states, mask, layers) @ head + head_bias
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(target, logits))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    shuffler = np.random.default_rng(seed)
    lengths = np.array([len(state) for state in lower_states])
    for _ in range(epochs):
        order = np.lexsort((shuffler.random(len(lengths)), lengths))
        batches = [order[start:start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]
        for index in shuffler.permutation(len(batches)):
            states, mask = padded([lower_states[i] for i in batches[index]])
            step(states, mask, targets[batches[index]])
    return [{name: variable.numpy() for name, variable in layer.items()} for layer in layers]


def pooled_vectors(states: tf.Tensor, mask: tf.Tensor, layers: Sequence[Dict[str, tf.Tensor]]) -> tf.Tensor:
    """The encoder's forward pass above the frozen layers, as the numpy encoder computes it: unit mean-pooled vectors.
    Linear maps run on (batch * length, width) rows, as in numpy: on (batch, length, width) TensorFlow's gradient
    builds each weight's gradient once per text and then sums them, which took half of a training step."""
    batch, length = tf.shape(states)[0], tf.shape(states)[1]
    width = DIMENSIONS // HEADS
    key_bias = ((1.0 - mask) * -1e9)[:, None, None, :]
    x = tf.reshape(states, [-1, DIMENSIONS])
    for layer in layers:
        qkv = tf.reshape(x @ layer["qkv_w"] + layer["qkv_b"], [batch, length, 3, HEADS, width])
        query, key, value = tf.unstack(tf.transpose(qkv, [2, 0, 3, 1, 4]))
        scores = tf.nn.softmax(query @ tf.transpose(key, [0, 1, 3, 2]) / np.sqrt(width) + key_bias, axis=-1)
        context = tf.reshape(tf.transpose(scores @ value, [0, 2, 1, 3]), [-1, DIMENSIONS])
        x = layer_norm(context @ layer["attn_out_w"] + layer["attn_out_b"] + x,
                       layer["attn_ln_w"], layer["attn_ln_b"])
        inner = tf.nn.gelu(x @ layer["ffn_in_w"] + layer["ffn_in_b"], approximate=False)
        x = layer_norm(inner @ layer["ffn_out_w"] + layer["ffn_out_b"] + x, layer["ffn_ln_w"], layer["ffn_ln_b"])
    x = tf.reshape(x, [batch, length, DIMENSIONS])
    pooled = tf.reduce_sum(x * mask[:, :, None], axis=1) / tf.maximum(tf.reduce_sum(mask, axis=1, keepdims=True), 1e-9)
    return tf.math.l2_normalize(pooled, axis=1)


def layer_norm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) -> tf.Tensor:
    mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
    return (x - mean) / tf.sqrt(variance + LAYER_NORM_EPS) * weight + bias


class TunedSentenceEmbeddings(BaseEstimator, TransformerMixin):
    """A feature view for the classifier's union: each text's embedding from the upstream encoder, then from the
    encoder with its top `layers` tuned on the training examples, both times `weight`, from one pass through the
    layers below. The saved classifier holds the tuned layers, not the rest."""

    def __init__(self, weight: float = 1.0, layers: int = 3, epochs: int = 3, learning_rate: float = 1e-4,
                 folds: int = 2, seed: int = 0) -> None:
        self.weight = weight
        self.layers = layers
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.folds = folds
        self.seed = seed

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "TunedSentenceEmbeddings":
        self.fit_transform(texts, labels)
        return self

    def fit_transform(self, texts: Sequence[str], labels: Sequence[str], **fit_params: Any) -> np.ndarray:
        """Tunes the layers on every example; the training vectors come from layers tuned without the example itself
        (cross-fitting), so the classifier learns how far to trust the tuned embedding on text it has not seen, and
        its confidences stay calibrated."""
        encoder, labels = sentence_encoder(), np.asarray(labels)
        self.__dict__.pop("_tuned_encoder", None)
        lower = encoder.lower_token_states(list(texts), LAYERS - self.layers)

        def tuned(rows: np.ndarray) -> List[Dict[str, np.ndarray]]:
            return tuned_top_layers([lower[i] for i in rows], labels[rows], encoder.top_layers(self.layers),
                                    self.epochs, self.learning_rate, self.seed)

        self.top_layers_ = tuned(np.arange(len(lower)))
        vectors = np.zeros((len(lower), DIMENSIONS), np.float32)
        if self.folds > 1:
            folds = StratifiedKFold(self.folds, shuffle=True, random_state=self.seed)
            for learned, held in folds.split(np.zeros(len(lower)), labels):
                vectors[held] = encoder.with_top_layers(tuned(learned)).encode_lower(
                    [lower[i] for i in held], self.layers)
        else:
            vectors[:] = self._encoder().encode_lower(lower, self.layers)
        return np.hstack([training_embeddings(list(texts)), vectors]) * np.float32(self.weight)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        lower = self.lower_states(texts)
        return np.hstack([self.upstream(lower), self.tuned(lower)])

    def lower_states(self, texts: Sequence[str]) -> List[np.ndarray]:
        """Each text's token vectors below the tuned layers, which the upstream and the tuned vectors share."""
        return sentence_encoder().lower_token_states(list(texts), LAYERS - self.layers)

    def upstream(self, lower: Sequence[np.ndarray]) -> np.ndarray:
        """The upstream encoder's vectors alone, times the weight: all the risk classifier reads of this view."""
        return sentence_encoder().encode_lower(lower, self.layers) * np.float32(self.weight)

    def tuned(self, lower: Sequence[np.ndarray]) -> np.ndarray:
        """The tuned layers' vectors alone, times the weight."""
        return self._encoder().encode_lower(lower, self.layers) * np.float32(self.weight)

    def _encoder(self) -> MiniLMEncoder:
        encoder: Optional[MiniLMEncoder] = self.__dict__.get("_tuned_encoder")
        if encoder is None:
            encoder = self._tuned_encoder = sentence_encoder().with_top_layers(self.top_layers_)
        return encoder

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_tuned_encoder", None)
        return state
