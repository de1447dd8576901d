"""The character n-gram stage's decision function, computed with numpy.

The fitted stage is a scikit-learn ``TfidfVectorizer(analyzer="char")`` followed
by a ``LogisticRegression``. scikit-learn builds every n-gram of a paragraph as
a Python string and looks it up in a dict, which took a fifth of the scoring
time. Here every n-gram of a batch of paragraphs is a number
(:mod:`detector.model.char_keys`), looked up all at once, and the (paragraph,
column) pairs are counted by sorting. The result is the same TF-IDF row and
the same log-odds (``tests/test_char_ngrams.py`` compares both); a text the
packing cannot represent (a character beyond U+FFFE) goes through the
scikit-learn pipeline itself.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, Sequence

import numpy as np

from detector.model.char_keys import LIMIT, MAX_N, VocabularyTables, pack_term

__all__ = ["CharNgramScorer"]


_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char analyzer


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
        self._pipeline: Any = pipeline
        self._preprocess = vectorizer.build_preprocessor()
        self._lowercase = bool(vectorizer.lowercase) if vectorizer.strip_accents is None else None
        self._ngram_range = (int(min_n), int(max_n))
        self._sublinear = bool(vectorizer.sublinear_tf)
        keys, columns, extra = [], [], {}
        for term, column in vectorizer.vocabulary_.items():
            key = pack_term(term)
            if key is None:  # an unpackable term never matches a packable text
                extra[term] = int(column)
            else:
                keys.append(key)
                columns.append(column)
        order = np.argsort(np.array(keys, dtype=np.uint64), kind="stable")
        self._keys = np.array(keys, dtype=np.uint64)[order]
        self._columns = np.array(columns, dtype=np.int64)[order]
        self._extra = extra
        idf = getattr(vectorizer, "idf_", None)
        self._idf = (np.asarray(idf, dtype=np.float64) if vectorizer.use_idf
                     else np.ones(len(vectorizer.vocabulary_)))
        self._coef = np.asarray(logistic.coef_, dtype=np.float64).ravel()
        self._intercept = float(np.asarray(logistic.intercept_).ravel()[0])

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The scorer as arrays under names starting with ``prefix``; a
        ValueError when its preprocessing is more than lowercasing."""
        if self._lowercase is None:
            raise ValueError("accent stripping has no array form")
        extra = sorted(self._extra.items(), key=lambda item: item[1])
        return {
            f"{prefix}.keys": self._keys, f"{prefix}.columns": self._columns,
            f"{prefix}.idf": self._idf, f"{prefix}.coef": self._coef,
            f"{prefix}.extra_terms": np.array([t for t, _ in extra], dtype=np.str_),
            f"{prefix}.extra_columns": np.array([c for _, c in extra], dtype=np.int64),
            f"{prefix}.scalars": np.array([self._intercept, *self._ngram_range,
                                           float(self._sublinear), float(self._lowercase)]),
        }

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> "CharNgramScorer":
        """The scorer :meth:`to_arrays` stored; a ValueError when the arrays do
        not fit together."""
        from detector.model.arrays import array_reader

        get = array_reader(arrays, prefix)
        self = cls.__new__(cls)
        scalars = get("scalars").astype(np.float64)
        if scalars.shape != (5,):
            raise ValueError(f"{prefix}.scalars: not five numbers")
        intercept, min_n, max_n, sublinear, lowercase = scalars.tolist()
        if not 1 <= min_n <= max_n <= MAX_N:
            raise ValueError(f"{prefix}: n-gram range {min_n}-{max_n}")
        self._pipeline = None
        self._lowercase = bool(lowercase)
        self._preprocess = str.lower if self._lowercase else str
        self._ngram_range = (int(min_n), int(max_n))
        self._sublinear = bool(sublinear)
        self._keys = get("keys").astype(np.uint64)
        self._columns = get("columns").astype(np.int64)
        self._idf = get("idf").astype(np.float64)
        self._coef = get("coef").astype(np.float64)
        self._intercept = float(intercept)
        terms, columns = get("extra_terms"), get("extra_columns").astype(np.int64)
        if terms.dtype.kind != "U" or len(terms) != len(columns):
            raise ValueError(f"{prefix}: its unpackable terms do not fit together")
        self._extra = dict(zip(terms.tolist(), columns.tolist()))
        n = len(self._idf)
        every = np.concatenate([self._columns, columns])
        if (len(self._keys) != len(self._columns) or len(self._coef) != n
                or (every.size and (every.min() < 0 or every.max() >= n))):
            raise ValueError(f"{prefix}: its vocabulary and weights do not fit together")
        return self

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
            and 1 <= min_n <= max_n <= MAX_N
            and np.asarray(logistic.coef_).shape[0] == 1
        )

    def _encoded(self, text: str) -> bytes | None:
        """The analyzer's text as UTF-32, or None when a character will not pack."""
        text = _WHITE_SPACES.sub(" ", self._preprocess(text))
        if text and ord(max(text)) + 1 > LIMIT:
            return None
        return text.encode("utf-32-le")

    @cached_property
    def _tables(self) -> VocabularyTables:
        """The vocabulary re-keyed for matching, built on first use."""
        return VocabularyTables.build(self._keys, self._columns)

    def _batch_decision(self, encoded: list[bytes]) -> np.ndarray:
        """Log-odds for texts given as UTF-32 bytes, all n-grams matched at once."""
        decision = np.full(len(encoded), self._intercept)
        if self._keys.size == 0:
            return decision
        tables = self._tables
        lengths = np.array([len(b) // 4 for b in encoded], dtype=np.int64)
        codes = tables.dense[np.frombuffer(b"".join(encoded), dtype=np.uint32)]
        narrow = tables.narrow and len(encoded) <= 0xFFFF
        text_of = np.repeat(np.arange(len(encoded), dtype=np.uint16 if narrow else np.int64), lengths)
        room = np.repeat(lengths, lengths) - (np.arange(len(codes)) - np.repeat(np.cumsum(lengths) - lengths, lengths))
        min_n, max_n = self._ngram_range
        columns, owners = [], []
        for n in range(min_n, max_n + 1):
            starts = np.flatnonzero(room >= n)  # n-grams that stay inside their text
            column = tables.columns_of(codes, starts, n)
            hit = column >= 0
            columns.append(column[hit])
            owners.append(text_of[starts[hit]])
        column_all, owner_all = np.concatenate(columns), np.concatenate(owners)
        if narrow:
            column_all = column_all.astype(np.uint16)
        if column_all.size == 0:
            return decision
        # (text, column) pairs in order, by two stable radix sorts of 16-bit keys
        order = np.argsort(column_all, kind="stable")
        order = order[np.argsort(owner_all[order], kind="stable")]
        owner_sorted, column_sorted = owner_all[order], column_all[order]
        new = np.empty(len(order), dtype=bool)
        new[0] = True
        new[1:] = (owner_sorted[1:] != owner_sorted[:-1]) | (column_sorted[1:] != column_sorted[:-1])
        firsts = np.flatnonzero(new)
        counts = np.diff(np.append(firsts, len(order)))
        owner = owner_sorted[firsts].astype(np.int64)
        column = column_sorted[firsts].astype(np.int64)
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
        for i in fallback:
            out[i] = (self._text_decision(texts[i]) if self._pipeline is None
                      else self._pipeline.decision_function([texts[i]])[0])
        return out

    def _text_decision(self, text: str) -> float:
        """One text's log-odds with every n-gram a Python string, as
        scikit-learn's char analyzer makes them (for the rare text the
        packing cannot represent)."""
        from collections import Counter

        text = _WHITE_SPACES.sub(" ", self._preprocess(text))
        min_n, max_n = self._ngram_range
        counts = Counter(text[i:i + n] for n in range(min_n, min(max_n, len(text)) + 1)
                         for i in range(len(text) - n + 1))
        columns, tfs = [], []
        for term, count in counts.items():
            column = self._column_of(term)
            if column is not None:
                columns.append(column)
                tfs.append(count)
        if not columns:
            return self._intercept
        tf = np.asarray(tfs, dtype=np.float64)
        tf = np.log(tf) + 1.0 if self._sublinear else tf
        weights = tf * self._idf[columns]
        return self._intercept + float(weights @ self._coef[columns]) / float(np.sqrt(weights @ weights))

    def _column_of(self, term: str) -> int | None:
        key = pack_term(term)
        if key is None:
            return self._extra.get(term)
        where = int(np.searchsorted(self._keys, np.uint64(key)))
        if where < len(self._keys) and int(self._keys[where]) == key:
            return int(self._columns[where])
        return None
