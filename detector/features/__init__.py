"""Feature extraction: one module per feature family, one transformer over them.

Each intrinsic family is a pure function ``compute(ParagraphView) ->
(values, reasons)`` with stable, name-spaced column names (``NAMES``). The
document family looks across paragraphs and feeds the document-context stage
of the model (see ``detector.model``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

import numpy as np

from detector.features import (
    artefacts,
    cohesion,
    document,
    ngram,
    readability,
    roundtrip,
    style,
)
from detector.features.view import ParagraphView, look_up_words
from detector.results import Reason

__all__ = ["FAMILIES", "PREPARE", "FeatureExtractor", "ParagraphView", "document"]

Family = tuple[tuple[str, ...], Callable[[ParagraphView], tuple[list[float], list[Reason]]]]

FAMILIES: dict[str, Family] = {
    "readability": (readability.NAMES, readability.compute),
    "ngram": (ngram.NAMES, ngram.compute),
    "artefacts": (artefacts.NAMES, artefacts.compute),
    "cohesion": (cohesion.NAMES, cohesion.compute),
    "style": (style.NAMES, style.compute),
    "roundtrip": (roundtrip.NAMES, roundtrip.compute),
}

# Families that compute part of their work for a whole window of views at once,
# before ``compute`` runs on each view.
PREPARE: dict[str, Callable[[Sequence[ParagraphView]], None]] = {
    "ngram": ngram.prepare,
    "readability": readability.prepare,
}


class FeatureExtractor:
    """Turn paragraphs (strings) into a matrix of intrinsic features.

    A scikit-learn transformer by convention (``fit``, ``transform``,
    ``fit_transform``, ``get_params``/``set_params``, so ``sklearn.base.clone``
    and pipelines take it) that does not import scikit-learn, so scoring
    does not load it.

    Parameters
    ----------
    families : sequence of str or None
        Feature families to use (keys of ``FAMILIES``); None means all.
    """

    def __init__(self, families: Sequence[str] | None = None) -> None:
        self.families = families

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters (scikit-learn's estimator protocol)."""
        return {"families": self.families}

    def set_params(self, **params: Any) -> "FeatureExtractor":
        """Set constructor parameters; unknown names are a ValueError."""
        for name, value in params.items():
            if name != "families":
                raise ValueError(f"FeatureExtractor has no parameter {name!r}")
            self.families = value
        return self

    def __repr__(self) -> str:
        return "FeatureExtractor()" if self.families is None else f"FeatureExtractor(families={self.families!r})"

    def _selected(self) -> list[str]:
        chosen = list(FAMILIES) if self.families is None else list(self.families)
        unknown = [f for f in chosen if f not in FAMILIES]
        if unknown or not chosen:
            raise ValueError(
                f"unknown feature families {unknown}; choose from {sorted(FAMILIES)}"
            )
        return chosen

    def fit(self, X: Iterable[str] | None = None, y: Any = None) -> "FeatureExtractor":
        """Validate the families; nothing is learned. Returns self."""
        self.families_ = tuple(self._selected())
        self.feature_names_out_ = np.array(
            [name for family in self.families_ for name in FAMILIES[family][0]], dtype=object
        )
        self.n_features_out_ = len(self.feature_names_out_)
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns, e.g. ``lm.mean_pmi``."""
        if not hasattr(self, "feature_names_out_"):
            self.fit()
        return self.feature_names_out_.copy()

    def transform_views(
        self, views: Sequence[ParagraphView]
    ) -> tuple[np.ndarray, list[list[Reason]]]:
        """Feature matrix and per-paragraph reasons for already-built views."""
        if not hasattr(self, "families_"):
            self.fit()
        functions = [FAMILIES[f][1] for f in self.families_]
        look_up_words(views)  # every word of the window in one batch, shared by the families
        for family in self.families_:
            if family in PREPARE:
                PREPARE[family](views)
        matrix = np.zeros((len(views), self.n_features_out_), dtype=np.float64)
        reasons: list[list[Reason]] = []
        for row, view in enumerate(views):
            values: list[float] = []
            found: list[Reason] = []
            for function in functions:
                family_values, family_reasons = function(view)
                values.extend(family_values)
                found.extend(family_reasons)
            matrix[row] = values
            reasons.append(found)
        np.nan_to_num(matrix, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
        return matrix, reasons

    def fit_transform(self, X: Iterable[str], y: Any = None) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform`."""
        return self.fit(X, y).transform(X)

    def transform(self, X: Iterable[str]) -> np.ndarray:
        """Feature matrix, one row per paragraph string."""
        if isinstance(X, str):
            raise ValueError("FeatureExtractor.transform expects a list of paragraphs, not one str")
        return self.transform_views([ParagraphView(str(x)) for x in X])[0]
