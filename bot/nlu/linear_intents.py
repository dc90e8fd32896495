"""The intent classifier: a linear SVM over word, lemma and character n-grams and a sentence embedding, with
calibrated confidences.

Chosen by measurement on real questions (README, "Benchmark"): more often right than DIET on text nobody here wrote,
trained in a fraction of the time. Character n-grams carry typos, SMS spelling and Title Case; lemmas carry
inflections ("side effects", "effect"); the embedding carries paraphrase (bot/nlu/sentence_embeddings.py);
calibration (isotonic, by cross-validation) makes the confidence a probability the fallback threshold and the safety
stage can rely on.
"""
from __future__ import annotations

import hashlib
import logging
import re
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import skops.io as skops
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy import sparse
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline, make_union
from sklearn.svm import LinearSVC

from bot.nlu.courtesies import without_courtesies
from bot.nlu import encoder_tuning
from bot.nlu.encoder_tuning import TunedSentenceEmbeddings
from bot.nlu.english import lookup_lemmatiser
from bot.nlu.folded_calibration import FoldedCalibration
from bot.nlu.mpnet_encoder import DIMENSIONS as MPNET_DIMENSIONS
from bot.nlu.mpnet_encoder import MPNetEmbeddings, mpnet_fingerprint
from bot.nlu.sentence_embeddings import DIMENSIONS, SentenceEmbeddings, encoder_fingerprint

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intents.skops"
# The types a saved classifier may hold beyond those skops trusts by default; a file naming any other is refused.
TRUSTED_TYPES = [
    "bot.nlu.linear_intents.CompactLinearSVC",
    "bot.nlu.linear_intents.CompactTfidfVectorizer",
    "bot.nlu.linear_intents.lemma_word_ngrams",
    "bot.nlu.encoder_tuning.TunedSentenceEmbeddings",
    "bot.nlu.sentence_embeddings.SentenceEmbeddings",
    "bot.nlu.mpnet_encoder.MPNetEmbeddings",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration._CalibratedClassifier",
]
RISK_MODEL_FILE = "risk.skops"
# Rasa packs the model with gzip at its slowest level, which took 19 s of every training on these 128 MB of float
# arrays; deflated quickly here, they pack in about a second, and the model is 50 MB instead of 47.
SAVE_COMPRESSION = {"compression": zipfile.ZIP_DEFLATED, "compresslevel": 1}
# The message property the safety stage reads: the risk classifier's first guess where it is one of
# `one_vs_rest_intents` (crisis, emergency), with that intent's own probability (FoldedCalibration.probabilities).
CLASSIFIER_RISK = "classifier_risk"
# A classifier's scores for each message: each intent's share of the ranking and its own one-vs-rest probability.
Scores = Tuple[np.ndarray, np.ndarray]
# TfidfVectorizer's own token pattern, so lemma features split text as the word features do.
WORD = re.compile(r"(?u)\b\w\w+\b")
# A character n-gram within word boundaries that is a whole word of one letter.
ONE_LETTER_WORD = re.compile(r" [^\W\d_] ")


def lemma_word_ngrams(text: str) -> List[str]:
    """Lower-cased lemmas as unigrams and bigrams, so "effects" meets "effect" and "taking" meets "take"."""
    doc = lookup_lemmatiser()(strip_accents_unicode(text.lower()))
    tokens = WORD.findall(" ".join(token.lemma_ for token in doc))
    return tokens + [f"{first} {second}" for first, second in zip(tokens, tokens[1:])]


class CompactTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer saved with its vocabulary as one array of terms: skops writes a dict entry by entry, which made
    the saved classifier 52 MB of JSON that took seconds to write at every training and to read at every start. The
    terms dropped by `min_df` (`stop_words_`, kept only for inspection) are not saved."""

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("stop_words_", None)
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            state["terms_"] = np.array(sorted(vocabulary, key=vocabulary.__getitem__))
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        state = dict(state)
        terms = state.pop("terms_", None)
        if terms is not None:
            state["vocabulary_"] = {str(term): index for index, term in enumerate(terms)}
        super().__setstate__(state)


class CompactLinearSVC(LinearSVC):
    """A LinearSVC that keeps its weights in float32: the five calibration folds' weights are most of the model file,
    and halving them makes the model quicker to package and to load, with probabilities the same to 1e-7."""

    def fit(self, features: Any, labels: Any, sample_weight: Any = None) -> "CompactLinearSVC":
        super().fit(features, labels, sample_weight)
        self.coef_ = self.coef_.astype(np.float32)
        return self


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Sets `intent` and `intent_ranking` from the message text alone, and `classifier_risk` where the risk
    classifier's first guess is one of `one_vs_rest_intents`, whose own probability the safety stage reads."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"C": 0.35, "min_char_ngram": 2, "max_char_ngram": 5, "sentence_embedding_weight": 1.0,
                "calibration_folds": 5, "random_seed": 2718, "ranking_length": 10, "one_vs_rest_intents": [],
                "tuned_encoder_layers": 3, "tuning_epochs": 3, "tuning_learning_rate": 1e-4, "tuning_folds": 2,
                "mpnet_weight": 2.0, "large_encoders_below": 0.7, "risk_classifier_weight": 0.2}

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[Pipeline] = None, risk: Optional[CalibratedClassifierCV] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._set_model(model, risk)

    def _set_model(self, model: Optional[Pipeline], risk: Optional[CalibratedClassifierCV]) -> None:
        """Keeps the features and the folded calibrations, not scikit-learn's calibrated SVMs, whose weights the
        folding has copied. Without a risk classifier of its own, the ranking's classifier judges risk too."""
        self._features: Optional[FeatureUnion] = None
        if model is None:
            return
        (_, self._features), (_, calibrated) = model.steps
        self._scores = FoldedCalibration(calibrated)
        self._risk_scores = FoldedCalibration(risk) if risk is not None else None
        if risk is not None:
            words, lemmas, characters, self._sentences, *larger = [view for _, view in self._features.transformer_list]
            self._ngram_views = [words.transform, lemmas.transform, characters.transform]
            self._larger_views = [view.transform for view in larger]
        self._intents = calibrated.classes_
        self._known_word_columns = known_word_columns(self._features)

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Rasa's training cache reads this class's source only: this whole module, the sentence encoder and its
        tuning count too."""
        sources = Path(__file__).read_bytes() + Path(encoder_tuning.__file__).read_bytes()
        return hashlib.sha256(sources).hexdigest() + encoder_fingerprint() + mpnet_fingerprint()

    @staticmethod
    def build_pipeline(config: Dict[str, Any]) -> Pipeline:
        """Word 1-2-grams, lemma 1-2-grams and character n-grams within words, all TF-IDF with sublinear counts, the
        sentence embedding, the tuned encoder's (bot/nlu/encoder_tuning.py) and, last, all-mpnet-base-v2's
        (bot/nlu/mpnet_encoder.py), into a calibrated SVM."""
        words = CompactTfidfVectorizer(lowercase=True, strip_accents="unicode", ngram_range=(1, 2), sublinear_tf=True)
        lemmas = CompactTfidfVectorizer(analyzer=lemma_word_ngrams, sublinear_tf=True)
        characters = CompactTfidfVectorizer(
            lowercase=True, strip_accents="unicode", analyzer="char_wb", sublinear_tf=True,
            ngram_range=(config["min_char_ngram"], config["max_char_ngram"]), min_df=2,
        )
        sentences = TunedSentenceEmbeddings(
            config["sentence_embedding_weight"], config["tuned_encoder_layers"], config["tuning_epochs"],
            config["tuning_learning_rate"], config["tuning_folds"], config["random_seed"],
        ) if config["tuned_encoder_layers"] else SentenceEmbeddings(config["sentence_embedding_weight"])
        views = [words, lemmas, characters, sentences]
        if config["mpnet_weight"]:
            views.append(MPNetEmbeddings(config["mpnet_weight"]))
        svm = CompactLinearSVC(C=config["C"], random_state=config["random_seed"])
        return make_pipeline(make_union(*views),
                             CalibratedClassifierCV(svm, cv=config["calibration_folds"], method="isotonic"))

    def train(self, training_data: TrainingData) -> Resource:
        """The ranking's classifier reads every view; where the encoder is tuned, a second one, the risk classifier,
        reads every view but the last two: tuned to tell the clinic's questions apart, the tuned embedding also took
        symptom and grief messages for crises (README, "Safety"); with all-mpnet-base-v2's, the blind crisis rounds
        lost 5 of 500 catches."""
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        labels = np.array([example.get(INTENT) for example in examples])
        model = self.build_pipeline(self._config)
        (_, features), (_, calibrated) = model.steps
        vectors = features.fit_transform([example.get(TEXT) for example in examples], labels)
        calibrated.fit(vectors, labels)
        risk = None
        if self._config["tuned_encoder_layers"]:
            risk_columns = vectors.shape[1] - DIMENSIONS - (MPNET_DIMENSIONS if self._config["mpnet_weight"] else 0)
            risk = clone(calibrated).fit(vectors[:, :risk_columns], labels)
        with self._model_storage.write_to(self._resource) as directory:
            skops.dump(model, directory / MODEL_FILE, **SAVE_COMPRESSION)
            if risk is not None:
                skops.dump(risk, directory / RISK_MODEL_FILE, **SAVE_COMPRESSION)
        self._set_model(model, risk)
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                model = skops.load(directory / MODEL_FILE, trusted=TRUSTED_TYPES)
                risk_path = directory / RISK_MODEL_FILE
                risk = skops.load(risk_path, trusted=TRUSTED_TYPES) if risk_path.exists() else None
        except ValueError:
            logger.debug("No trained %s in the model; it will predict nothing.", cls.__name__)
            model, risk = None, None
        return cls(config, model_storage, resource, model, risk)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._features is None:
            return messages
        vectors, (probabilities, _), risk_scores = self._classified(
            [without_courtesies(message.get(TEXT) or "") for message in messages])
        risks = self._risks(risk_scores)
        known_words = vectors[:, self._known_word_columns].getnnz(axis=1) > 0
        for message, row, risk, known in zip(messages, probabilities, risks, known_words):
            order = np.argsort(-row)[: self._config["ranking_length"]]
            ranking = [{INTENT_NAME_KEY: str(self._intents[i]), PREDICTED_CONFIDENCE_KEY: float(row[i])} for i in order]
            # Without one word seen in training ("asdf", "zxcv", an unusual name) the guess rests on letter shapes
            # alone: no confidence, so the fallback offers topics, and a booking form takes the text as its answer.
            guess = ranking[0] if known else {**ranking[0], PREDICTED_CONFIDENCE_KEY: 0.0}
            message.set(INTENT, guess, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
            message.set(CLASSIFIER_RISK, risk)
        return messages

    def _classified(self, texts: List[str]) -> Tuple[Any, Scores, Scores]:
        """The vectors the risk classifier reads (all of them without one), the ranking's scores and the risk scores.
        The large encoders, the tuned layers and all-mpnet-base-v2, are most of a message's time; they run only for
        messages the risk classifier gives less than `large_encoders_below`, and its scores rank the others: at 0.7,
        measured on real questions, as many right answers and 60% of messages without them (README, "Benchmark").
        Where both run, the ranking blends in the risk classifier's scores at `risk_classifier_weight`: the two err
        differently, and at 0.2 fewer real questions got a wrong answer, as many the right one."""
        if self._risk_scores is None:
            vectors = self._features.transform(texts)
            scores = self._scores.probabilities(vectors)
            return vectors, scores, scores
        lower = self._sentences.lower_states(texts)
        light = sparse.hstack([*(view(texts) for view in self._ngram_views), self._sentences.upstream(lower)]).tocsr()
        risk_scores = self._risk_scores.probabilities(light)
        shares, own = risk_scores[0].copy(), risk_scores[1].copy()
        unsure = np.flatnonzero(shares.max(axis=1) < self._config["large_encoders_below"])
        if len(unsure):
            unsure_texts = [texts[row] for row in unsure]
            vectors = sparse.hstack([light[unsure], self._sentences.tuned([lower[row] for row in unsure]),
                                     *(view(unsure_texts) for view in self._larger_views)]).tocsr()
            weight = self._config["risk_classifier_weight"]
            full_shares, full_own = self._scores.probabilities(vectors)
            shares[unsure] = (1 - weight) * full_shares + weight * risk_scores[0][unsure]
            own[unsure] = (1 - weight) * full_own + weight * risk_scores[1][unsure]
        return light, (shares, own), risk_scores

    def _risks(self, risk_scores: Scores) -> List[Dict[str, Any]]:
        """For each message, the risk classifier's first guess if it is crisis or emergency, with that intent's own
        one-vs-rest probability, which examples of other intents dilute far less than its share of the ranking."""
        shares, own = risk_scores
        risks = []
        for row, first in enumerate(np.argmax(shares, axis=1)):
            name = str(self._intents[first])
            at_risk = name in self._config["one_vs_rest_intents"]
            risks.append({INTENT_NAME_KEY: name if at_risk else None,
                          PREDICTED_CONFIDENCE_KEY: float(own[row, first]) if at_risk else 0.0})
        return risks


def known_word_columns(features: FeatureUnion) -> np.ndarray:
    """The feature columns that are words seen in training: every column of the word and lemma views, which come
    first in the union, and the character n-grams that are a whole one-letter word (" k ", " y "), which the word
    views' two-character token pattern leaves out, so that an SMS "k" or "n" counts as a word the classifier knows."""
    (_, words), (_, lemmas), (_, characters), *_ = features.transformer_list
    word_columns = len(words.vocabulary_) + len(lemmas.vocabulary_)
    letters = [word_columns + column for gram, column in characters.vocabulary_.items()
               if ONE_LETTER_WORD.fullmatch(gram)]
    return np.concatenate([np.arange(word_columns), np.array(letters, dtype=int)])
