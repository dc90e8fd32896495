"""The sentence encoder: the upstream model's weights only, the same vector for a text however it is batched, and a
training cache that never serves a stale vector."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from bot.nlu import sentence_embeddings
from bot.nlu.sentence_embeddings import (
    UntrustedModelError,
    model_directory,
    sentence_encoder,
    training_cache_path,
    training_embeddings,
    verified,
)


def cosine(first: np.ndarray, second: np.ndarray) -> float:
    return float(first @ second)


def test_the_packaged_files_are_the_upstream_model():
    assert verified(model_directory()) == model_directory()


@pytest.mark.parametrize("tampered", ["model.safetensors", "tokenizer.json"])
def test_weights_or_tokenizer_that_differ_from_upstream_are_refused(tmp_path, tampered):
    for name in sentence_embeddings.UPSTREAM_SHA256:
        (tmp_path / name).symlink_to(model_directory() / name)
    (tmp_path / tampered).unlink()
    shutil.copyfile(model_directory() / tampered, tmp_path / tampered)
    with (tmp_path / tampered).open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00")
    with pytest.raises(UntrustedModelError, match=tampered):
        verified(tmp_path)


def test_a_text_gets_the_same_unit_vector_alone_or_beside_longer_ones():
    text = "will my boss find out"
    alone = sentence_encoder().encode([text])[0]
    batched = sentence_encoder().encode([text, "a much longer message " * 20, "hi"])[0]
    assert np.linalg.norm(alone) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(alone, batched, atol=1e-5)


def test_a_paraphrase_with_no_shared_word_is_nearer_than_another_topic():
    question, paraphrase, other = sentence_encoder().encode(
        ["Will my boss find out I'm getting this?", "is my treatment kept confidential from my employer",
         "how much does one infusion cost"])
    assert cosine(question, paraphrase) > cosine(question, other) + 0.1


def test_training_cache_serves_fresh_vectors_and_survives_a_corrupt_file(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    first = ["how long is a session", "do you take insurance"]
    second = ["how long is a session", "can I drive home afterwards"]
    assert np.allclose(training_embeddings(first), sentence_encoder().encode(first), atol=1e-6)
    assert np.allclose(training_embeddings(second), sentence_encoder().encode(second), atol=1e-6)
    with np.load(training_cache_path()) as saved:
        assert sorted(saved["texts"].tolist()) == sorted(second)
    training_cache_path().write_bytes(b"not an npz file")
    assert np.allclose(training_embeddings(first), sentence_encoder().encode(first), atol=1e-6)


def test_vectors_cached_by_another_encoder_are_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    texts = ["is ketamine addictive"]
    with training_cache_path().open("wb") as handle:
        np.savez(handle, key=np.array("an older encoder"), texts=np.array(texts),
                 vectors=np.zeros((1, 384), np.float32))
    assert np.allclose(training_embeddings(texts), sentence_encoder().encode(texts), atol=1e-6)
