"""A fitted CalibratedClassifierCV's probabilities from one stacked weight matrix and a loop of `np.interp`.

scikit-learn answers one message with 5 SVM products and 5 × 38 isotonic calibrators, each call checking its input
again; that was a third of the Rasa server's time per message. The same numbers, folded, take a fraction of it.
"""
from __future__ import annotations

from typing import Any, List, Tuple

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.calibration import CalibratedClassifierCV


class FoldedCalibration:
    """Reads the folds' SVM weights and isotonic thresholds once, when the model is loaded or trained; the saved
    model stays scikit-learn's own."""

    def __init__(self, calibrated: CalibratedClassifierCV) -> None:
        if len(calibrated.classes_) < 3:
            raise ValueError("The intent classifier needs three intents or more; scikit-learn calibrates two apart.")
        folds = calibrated.calibrated_classifiers_
        self._class_count = len(calibrated.classes_)
        self._fold_count = len(folds)
        # One row per feature, so that a message's few non-zero features gather a few contiguous rows.
        self._weights = np.ascontiguousarray(np.vstack([fold.base_estimator.coef_ for fold in folds]).T)
        self._intercepts = np.concatenate([fold.base_estimator.intercept_ for fold in folds])
        # Column j of the stacked scores is fold `_fold_of_column[j]`'s score for class `_columns[j]`.
        self._columns = np.concatenate(
            [np.searchsorted(calibrated.classes_, fold.base_estimator.classes_) for fold in folds])
        self._fold_of_column = np.concatenate(
            [np.full(len(fold.base_estimator.classes_), index) for index, fold in enumerate(folds)])
        calibrators = [calibrator for fold in folds for calibrator in fold.calibrators]
        self._lowest = np.array([calibrator.X_min_ for calibrator in calibrators])
        self._highest = np.array([calibrator.X_max_ for calibrator in calibrators])
        self._isotonic_steps: List[Tuple[np.ndarray, np.ndarray]] = [
            (calibrator.X_thresholds_, calibrator.y_thresholds_) for calibrator in calibrators]

    def _svm_scores(self, vectors: csr_matrix) -> np.ndarray:
        """Every fold's SVM decision values; scipy's product would first copy all the weights to float64."""
        scores = np.empty((vectors.shape[0], len(self._intercepts)))
        for row, (start, end) in enumerate(zip(vectors.indptr, vectors.indptr[1:])):
            features = self._weights[vectors.indices[start:end]].astype(np.float64)
            scores[row] = (vectors.data[start:end, np.newaxis] * features).sum(axis=0)
        return scores + self._intercepts

    def probabilities(self, vectors: Any) -> Tuple[np.ndarray, np.ndarray]:
        """Two views of the folds' isotonic one-vs-rest probabilities, from one pass over the weights.

        The first is the mean of each fold's normalised probabilities, CalibratedClassifierCV's own `predict_proba`.
        The second is the mean of each class's own probability, not normalised, which examples added to other
        intents move less: normalisation spreads every intent's change over all the others.
        """
        scores = np.clip(self._svm_scores(csr_matrix(vectors)), self._lowest, self._highest)
        per_fold = np.zeros((scores.shape[0], self._fold_count, self._class_count))
        per_fold[:, self._fold_of_column, self._columns] = np.stack(
            [np.interp(column, thresholds, values)
             for column, (thresholds, values) in zip(scores.T, self._isotonic_steps)], axis=1)
        totals = per_fold.sum(axis=2, keepdims=True)
        normalised = np.divide(per_fold, totals, out=np.full_like(per_fold, 1 / self._class_count), where=totals != 0)
        normalised[(1.0 < normalised) & (normalised <= 1.0 + 1e-5)] = 1.0
        # Summed fold by fold, then divided, as scikit-learn does: the same probabilities to the last bit.
        return normalised.sum(axis=1) / self._fold_count, per_fold.mean(axis=1)

    def predict_proba(self, vectors: Any) -> np.ndarray:
        """The same probabilities as the CalibratedClassifierCV this was folded from."""
        return self.probabilities(vectors)[0]
