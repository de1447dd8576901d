"""How the skops state of a model file holds its stages: the character
n-gram stage packed as arrays (skops would store its vocabulary entry by
entry), and nothing for a stage held only in array form."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["pack_chars", "skops_stage", "unpack_chars"]


def skops_stage(stage: Any) -> Any:
    """A fitted scikit-learn stage for the skops state; None for a stage in
    array form (a model loaded from a format-4 file keeps only its arrays)."""
    from detector.model.arrays import LinearModel, TreeEnsemble

    return None if isinstance(stage, (TreeEnsemble, LinearModel)) else stage


def pack_chars(chars: Any) -> dict[str, Any] | None:
    """The character n-gram stage as arrays: skops would store the fitted
    vocabulary dict entry by entry (tens of MB of JSON, seconds to load)."""
    from detector.model.char_ngrams import CharNgramScorer

    if chars is None or isinstance(chars, CharNgramScorer):
        return None
    from sklearn.base import clone

    vectorizer = chars.named_steps["tfidf"]
    vocabulary = vectorizer.vocabulary_
    return {
        "vectorizer": clone(vectorizer),
        "terms": np.array(sorted(vocabulary, key=vocabulary.__getitem__)),
        "idf": vectorizer.idf_,
        "logistic": chars.named_steps["logistic"],
    }


def unpack_chars(packed: dict[str, Any] | None) -> Any:
    """Rebuild the fitted character n-gram pipeline saved by :func:`pack_chars`."""
    if packed is None:
        return None
    from sklearn.pipeline import Pipeline

    vectorizer = packed["vectorizer"]
    vectorizer.vocabulary_ = {term: i for i, term in enumerate(packed["terms"].tolist())}
    vectorizer.idf_ = packed["idf"]
    return Pipeline([("tfidf", vectorizer), ("logistic", packed["logistic"])])
