"""The intent classifier saves and loads through Rasa's model storage, and refuses a saved file holding other types."""
from __future__ import annotations

import os

import pytest
import skops.io as skops
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from skops.io.exceptions import UntrustedTypesFoundException
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from bot.nlu import mpnet_encoder
from bot.nlu.linear_intents import MODEL_FILE, LinearIntentClassifier

EXAMPLES = {
    "ask_cost": ["how much is it", "what does it cost", "price per infusion?", "is it expensive"],
    "ask_locations": ["where are you", "what's your address", "closest office to me", "where is the clinic"],
    "ask_side_effects": ["any side effects", "will i feel sick after", "does it cause nausea", "what are the risks after"],
}
CONFIG = {"calibration_folds": 2}


@pytest.fixture
def storage(tmp_path, monkeypatch) -> LocalModelStorage:
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    (tmp_path / "model").mkdir()
    return LocalModelStorage(tmp_path / "model")


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def test_a_trained_classifier_loads_with_the_trusted_types_and_answers_as_it_did_before_saving(storage):
    resource = Resource("intents")
    messages = [Message(data={"text": text, "intent": intent}) for intent, texts in EXAMPLES.items() for text in texts]
    trained = LinearIntentClassifier.create(CONFIG, storage, resource, context())
    trained.train(TrainingData(messages))
    loaded = LinearIntentClassifier.load(CONFIG, storage, resource, context())
    texts = ["how much does one session cost", "where r u located", "asdf qwerty", "side effects??"]
    before = trained.process([Message(data={"text": text}) for text in texts])
    after = loaded.process([Message(data={"text": text}) for text in texts])
    assert after[0].get("intent")["name"] == "ask_cost"
    assert [m.get("intent_ranking") for m in after] == [m.get("intent_ranking") for m in before]


def test_a_one_letter_word_seen_in_training_counts_as_known_and_keyboard_mash_does_not(storage):
    examples = {**EXAMPLES, "affirm": ["k", "k sounds good", "yes", "ok sure"]}
    messages = [Message(data={"text": text, "intent": intent}) for intent, texts in examples.items() for text in texts]
    classifier = LinearIntentClassifier.create(CONFIG, storage, Resource("intents"), context())
    classifier.train(TrainingData(messages))
    confidence = {message.get("text"): message.get("intent")["confidence"]
                  for message in classifier.process([Message(data={"text": text}) for text in ("k", "q", "zxcv")])}
    assert confidence["k"] > 0 and confidence["q"] == confidence["zxcv"] == 0


def test_a_saved_file_holding_another_type_is_refused(storage):
    resource = Resource("intents")
    with storage.write_to(resource) as directory:
        skops.dump(make_pipeline(FunctionTransformer(os.getcwd)), directory / MODEL_FILE)
    with pytest.raises(UntrustedTypesFoundException):
        LinearIntentClassifier.load(CONFIG, storage, resource, context())


def test_the_large_encoders_run_only_for_messages_the_risk_classifier_is_unsure_of(storage, monkeypatch):
    resource = Resource("intents")
    messages = [Message(data={"text": text, "intent": intent}) for intent, texts in EXAMPLES.items() for text in texts]
    LinearIntentClassifier.create(CONFIG, storage, resource, context()).train(TrainingData(messages))
    always_large = LinearIntentClassifier.load({**CONFIG, "large_encoders_below": 1.01}, storage, resource, context())
    cascade = LinearIntentClassifier.load(CONFIG, storage, resource, context())
    mpnet_runs = []
    real_encoder = mpnet_encoder.mpnet_encoder
    monkeypatch.setattr(mpnet_encoder, "mpnet_encoder", lambda: mpnet_runs.append(1) or real_encoder())
    sure, unsure = [], []
    for text in ["how much is it", "what does it cost", "where is the clinic", "any side effects",
                 "could the cost be an issue near my place", "price of the side effects at the office?"]:
        runs_before = len(mpnet_runs)
        answered = cascade.process([Message(data={"text": text})])[0]
        if len(mpnet_runs) == runs_before:
            sure.append(text)
            assert answered.get("intent")["confidence"] >= 0.7
        else:
            unsure.append(text)
            full = always_large.process([Message(data={"text": text})])[0]
            assert answered.get("intent_ranking") == full.get("intent_ranking")
    assert sure and unsure
