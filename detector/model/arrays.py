"""Fitted classifiers as plain numpy arrays, scored without scikit-learn.

A model file stores its stages as arrays (``np.load(allow_pickle=False)``
reads them; nothing in them can run code), so scoring imports neither
scikit-learn nor skops. :class:`TreeEnsemble` reproduces a binary
``HistGradientBoostingClassifier`` on numeric features, :class:`LinearModel`
a binary ``LogisticRegression``; both give ``predict_proba`` as scikit-learn
does, to float rounding (``tests/test_arrays.py`` compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from detector.model.context import sigmoid

__all__ = ["LinearModel", "TreeEnsemble", "array_reader", "as_arrays_model", "scoring_form"]


# Rows scored at once: the (rows x trees) node matrix stays a few MB.
_ROWS = 2048


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """Boosted regression trees on numeric features, all trees' nodes in one
    set of arrays. A leaf points at itself, so every row walks ``depth``
    steps; ``roots`` holds each tree's first node."""

    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    baseline: float
    depth: int

    @classmethod
    def from_hist_gradient_boosting(cls, classifier: Any) -> "TreeEnsemble":
        """The trees of a fitted binary ``HistGradientBoostingClassifier``."""
        if classifier.n_trees_per_iteration_ != 1:
            raise ValueError("only binary classifiers are supported")
        parts: dict[str, list[np.ndarray]] = {k: [] for k in
                                              ("feature", "threshold", "missing_left", "left",
                                               "right", "value")}
        roots, offset, depth = [], 0, 0
        for (predictor,) in classifier._predictors:
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            leaf = nodes["is_leaf"].astype(bool)
            own = np.arange(len(nodes), dtype=np.int64) + offset
            parts["feature"].append(np.where(leaf, 0, nodes["feature_idx"]).astype(np.int64))
            parts["threshold"].append(np.where(leaf, np.inf, nodes["num_threshold"]))
            parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            parts["left"].append(np.where(leaf, own, nodes["left"].astype(np.int64) + offset))
            parts["right"].append(np.where(leaf, own, nodes["right"].astype(np.int64) + offset))
            parts["value"].append(np.where(leaf, nodes["value"], 0.0))
            roots.append(offset)
            offset += len(nodes)
            depth = max(depth, int(nodes["depth"].max()))
        joined = {k: np.concatenate(v) if v else np.zeros(0) for k, v in parts.items()}
        return cls(
            feature=joined["feature"].astype(np.int64),
            threshold=joined["threshold"].astype(np.float64),
            missing_left=joined["missing_left"].astype(bool),
            left=joined["left"].astype(np.int64),
            right=joined["right"].astype(np.int64),
            value=joined["value"].astype(np.float64),
            roots=np.asarray(roots, dtype=np.int64),
            baseline=float(np.asarray(classifier._baseline_prediction).ravel()[0]),
            depth=depth,
        )

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """The summed leaf values plus the baseline: log-odds of the positive class."""
        X = np.asarray(X, dtype=np.float64)
        out = np.empty(len(X), dtype=np.float64)
        for start in range(0, len(X), _ROWS):
            rows = X[start:start + _ROWS]
            node = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
            row_index = np.arange(len(rows))[:, None]
            for _ in range(self.depth):
                x = rows[row_index, self.feature[node]]
                go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
                node = np.where(go_left, self.left[node], self.right[node])
            out[start:start + len(rows)] = self.value[node].sum(axis=1) + self.baseline
        return out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``[P(negative), P(positive)]`` per row, as scikit-learn gives them."""
        p = sigmoid(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays to store, under names starting with ``prefix``."""
        return {f"{prefix}.feature": self.feature, f"{prefix}.threshold": self.threshold,
                f"{prefix}.missing_left": self.missing_left, f"{prefix}.left": self.left,
                f"{prefix}.right": self.right, f"{prefix}.value": self.value,
                f"{prefix}.roots": self.roots,
                f"{prefix}.scalars": np.array([self.baseline, float(self.depth)])}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> "TreeEnsemble":
        """The ensemble :meth:`to_arrays` stored; a ValueError when the arrays
        do not form trees (a node pointing outside the ensemble, say)."""
        get = array_reader(arrays, prefix)
        feature, left, right = (get(k, np.int64) for k in ("feature", "left", "right"))
        threshold, value = get("threshold", np.float64), get("value", np.float64)
        missing_left, roots = get("missing_left", np.bool_), get("roots", np.int64)
        scalars = get("scalars", np.float64)
        n = len(feature)
        if not all(len(a) == n for a in (threshold, missing_left, left, right, value)) \
                or scalars.shape != (2,):
            raise ValueError(f"{prefix}: arrays of different lengths")
        for name, a in (("left", left), ("right", right), ("roots", roots)):
            if a.size and (a.min() < 0 or a.max() >= n):
                raise ValueError(f"{prefix}: {name} points outside the trees")
        if feature.size and feature.min() < 0:
            raise ValueError(f"{prefix}: a negative feature index")
        depth = int(scalars[1])
        if not 0 <= depth <= 64:
            raise ValueError(f"{prefix}: a tree depth of {depth}")
        return cls(feature, threshold, missing_left, left, right, value, roots,
                   float(scalars[0]), depth)


@dataclass(frozen=True, eq=False)
class LinearModel:
    """A binary logistic regression: ``sigmoid(X @ coef + intercept)``."""

    coef: np.ndarray
    intercept: float

    @classmethod
    def from_logistic_regression(cls, classifier: Any) -> "LinearModel":
        """The weights of a fitted binary ``LogisticRegression``."""
        coef = np.asarray(classifier.coef_, dtype=np.float64)
        if coef.shape[0] != 1:
            raise ValueError("only binary classifiers are supported")
        return cls(coef.ravel().copy(), float(np.asarray(classifier.intercept_).ravel()[0]))

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of the positive class per row."""
        return np.asarray(X, dtype=np.float64) @ self.coef + self.intercept

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``[P(negative), P(positive)]`` per row, as scikit-learn gives them."""
        p = sigmoid(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays to store, under names starting with ``prefix``."""
        return {f"{prefix}.coef": self.coef, f"{prefix}.intercept": np.array([self.intercept])}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> "LinearModel":
        """The model :meth:`to_arrays` stored."""
        get = array_reader(arrays, prefix)
        intercept = get("intercept", np.float64)
        if intercept.shape != (1,):
            raise ValueError(f"{prefix}: not one intercept")
        return cls(get("coef", np.float64), float(intercept[0]))


def as_arrays_model(classifier: Any) -> "TreeEnsemble | LinearModel":
    """The array form of a fitted stage classifier (itself if it is one already)."""
    if isinstance(classifier, (TreeEnsemble, LinearModel)):
        return classifier
    kind = type(classifier).__name__
    if kind == "HistGradientBoostingClassifier":
        return TreeEnsemble.from_hist_gradient_boosting(classifier)
    if kind == "LogisticRegression":
        return LinearModel.from_logistic_regression(classifier)
    raise ValueError(f"no array form for {kind}")


def scoring_form(classifier: Any) -> Any:
    """What to score with: the array form of ``classifier``, or the classifier
    itself when it has none (another kind of estimator)."""
    try:
        return as_arrays_model(classifier)
    except (ValueError, AttributeError):
        return classifier


def array_reader(arrays: Mapping[str, np.ndarray], prefix: str) -> Any:
    """``get(name, dtype)``: the one-dimensional array ``prefix.name`` of a
    stored stage, cast to ``dtype`` (None keeps its own); a ValueError when it
    is missing or not one-dimensional."""
    def get(name: str, dtype: Any = None) -> np.ndarray:
        key = f"{prefix}.{name}"
        if key not in arrays:
            raise ValueError(f"{key} is missing")
        value = np.asarray(arrays[key])
        if value.ndim != 1:
            raise ValueError(f"{key} is not one-dimensional")
        return value if dtype is None else value.astype(dtype, copy=False)
    return get
