"""The character n-gram stage's decision function, computed with numpy.

The fitted stage is a scikit-learn ``TfidfVectorizer(analyzer="char")`` followed
by a ``LogisticRegression``. scikit-learn builds every n-gram of a paragraph as
a Python string and looks it up in a dict, which took a fifth of the scoring
time. Here each n-gram of up to four characters of the Basic Multilingual Plane
is packed into one 64-bit integer (16 bits per character), and the whole
paragraph is matched against the sorted packed vocabulary at once. The result
is the same TF-IDF row and the same log-odds (``tests/test_char_ngrams.py``
compares both); a text the packing cannot represent (a character beyond
U+FFFE) goes through the scikit-learn pipeline itself.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np

__all__ = ["CharNgramScorer"]


_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char analyzer


_BITS = 16


_MAX_N = 64 // _BITS


_LIMIT = (1 << _BITS) - 1  # code points + 1 must fit in 16 bits


def _pack_term(term: str) -> int | None:
    """The 64-bit key of one n-gram, or None if it cannot be packed."""
    if not term or len(term) > _MAX_N:
        return None
    key = 0
    for position, char in enumerate(term):
        code = ord(char) + 1
        if code > _LIMIT:
            return None
        key |= code << (_BITS * (_MAX_N - 1 - position))
    return key


class CharNgramScorer:
    """Log-odds of a fitted char TF-IDF + logistic-regression pipeline, fast.

    Built from the pipeline; :meth:`decision_function` equals the pipeline's
    ``decision_function`` up to float rounding.
    """

    def __init__(self, pipeline: Any) -> None:
        vectorizer = pipeline.named_steps["tfidf"]
        logistic = pipeline.named_steps["logistic"]
        min_n, max_n = vectorizer.ngram_range
        if not self.supports(pipeline):
            raise ValueError("only analyzer='char' TF-IDF with l2 norm and up to 4-grams is supported")
        self._pipeline = pipeline
        self._preprocess = vectorizer.build_preprocessor()
        self._ngram_range = (int(min_n), int(max_n))
        self._sublinear = bool(vectorizer.sublinear_tf)
        keys, columns = [], []
        for term, column in vectorizer.vocabulary_.items():
            key = _pack_term(term)
            if key is not None:  # an unpackable term never matches a packable text
                keys.append(key)
                columns.append(column)
        order = np.argsort(np.array(keys, dtype=np.uint64), kind="stable")
        self._keys = np.array(keys, dtype=np.uint64)[order]
        self._columns = np.array(columns, dtype=np.int64)[order]
        idf = getattr(vectorizer, "idf_", None)
        self._idf = (np.asarray(idf, dtype=np.float64) if vectorizer.use_idf
                     else np.ones(len(vectorizer.vocabulary_)))
        self._coef = np.asarray(logistic.coef_, dtype=np.float64).ravel()
        self._intercept = float(np.asarray(logistic.intercept_).ravel()[0])

    @staticmethod
    def supports(pipeline: Any) -> bool:
        """True when the pipeline is the kind this scorer reproduces exactly."""
        steps = getattr(pipeline, "named_steps", {})
        vectorizer, logistic = steps.get("tfidf"), steps.get("logistic")
        if vectorizer is None or logistic is None:
            return False
        min_n, max_n = vectorizer.ngram_range
        return (
            vectorizer.analyzer == "char"
            and vectorizer.input == "content"
            and vectorizer.norm == "l2"
            and not vectorizer.binary
            and vectorizer.preprocessor is None
            and 1 <= min_n <= max_n <= _MAX_N
            and np.asarray(logistic.coef_).shape[0] == 1
        )

    def _encoded(self, text: str) -> bytes | None:
        """The analyzer's text as UTF-32, or None when a character will not pack."""
        text = _WHITE_SPACES.sub(" ", self._preprocess(text))
        if text and ord(max(text)) + 1 > _LIMIT:
            return None
        return text.encode("utf-32-le")

    def _batch_decision(self, encoded: list[bytes]) -> np.ndarray:
        """Log-odds for texts given as UTF-32 bytes, all n-grams matched at once."""
        lengths = np.array([len(b) // 4 for b in encoded], dtype=np.int64)
        codes = np.frombuffer(b"".join(encoded), dtype=np.uint32).astype(np.uint64) + 1
        text_of = np.repeat(np.arange(len(encoded)), lengths)
        room = np.repeat(lengths, lengths) - (np.arange(len(codes)) - np.repeat(np.cumsum(lengths) - lengths, lengths))
        min_n, max_n = self._ngram_range
        keys, owners = [], []
        for n in range(min_n, max_n + 1):
            starts = np.flatnonzero(room >= n)  # n-grams that stay inside their text
            key = codes[starts] << np.uint64(_BITS * (_MAX_N - 1))
            for position in range(1, n):
                shift = np.uint64(_BITS * (_MAX_N - 1 - position))
                key |= codes[starts + position] << shift
            keys.append(key)
            owners.append(text_of[starts])
        decision = np.full(len(encoded), self._intercept)
        if not keys or self._keys.size == 0:
            return decision
        key_all = np.concatenate(keys)
        owner_all = np.concatenate(owners)
        where = np.searchsorted(self._keys, key_all)
        where[where == len(self._keys)] = 0
        hit = self._keys[where] == key_all
        pairs = owner_all[hit] * len(self._idf) + self._columns[where[hit]]
        pairs, counts = np.unique(pairs, return_counts=True)
        owner, column = np.divmod(pairs, len(self._idf))
        tf = np.log(counts) + 1.0 if self._sublinear else counts.astype(np.float64)
        weights = tf * self._idf[column]
        squared = np.bincount(owner, weights=weights * weights, minlength=len(encoded))
        dot = np.bincount(owner, weights=weights * self._coef[column], minlength=len(encoded))
        matched = squared > 0
        decision[matched] += dot[matched] / np.sqrt(squared[matched])
        return decision

    def decision_function(self, texts: Sequence[str], batch: int = 512) -> np.ndarray:
        """The pipeline's log-odds of the positive class for each text."""
        out = np.empty(len(texts), dtype=np.float64)
        packable: list[int] = []
        encoded: list[bytes] = []
        fallback: list[int] = []
        for i, text in enumerate(texts):
            data = self._encoded(text)
            if data is None:
                fallback.append(i)
            else:
                packable.append(i)
                encoded.append(data)
        for start in range(0, len(packable), batch):
            rows = packable[start:start + batch]
            out[rows] = self._batch_decision(encoded[start:start + batch])
        if fallback:
            out[fallback] = self._pipeline.decision_function([texts[i] for i in fallback])
        return out
