"""Offline English language resources, loaded lazily on first use and cached.

All of them ship inside installed wheels; nothing is fetched at run time:

- a trigram language model (``en-us.lm.bin`` inside the ``pocketsphinx`` wheel),
- English word bigram counts (inside the ``symspellpy`` wheel),
- English word frequencies (inside the ``wordfreq`` wheel),
- a list of ordinary lower-case words, shipped in ``detector/data``.

Each loader is a cached function, so a process loads each resource once and
worker processes load their own copy.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Sequence

__all__ = ["TrigramLM", "bigram_counts", "lowercase_words", "trigram_lm", "word_list", "word_zipf"]


# pocketsphinx reports log probabilities in base 1.0001.
_LOGBASE = math.log(1.0001)


_OOV = -536870912


_PROBE = "aardvark"  # in the vocabulary, follows no other word in the LM


class TrigramLM:
    """Word log-probabilities (natural log) from the pocketsphinx English trigram LM.

    Words are lowercase. ``None`` means the word is not in the model's vocabulary.
    """

    def __init__(self, path: str | Path) -> None:
        from pocketsphinx import NGramModel

        self._model = NGramModel.readfile(str(path))
        self._unigram: dict[str, float | None] = {}
        self._backoff: dict[str, float] = {}
        self._raw: dict[str, float] = {}

    def unigram(self, word: str) -> float | None:
        """log P(word), or None for an out-of-vocabulary word."""
        cached = self._unigram.get(word, 0.0)
        if cached != 0.0:
            return cached
        raw = self._unigram_raw(word)
        value = None if raw <= _OOV else raw * _LOGBASE
        if len(self._unigram) < 500_000:
            self._unigram[word] = value
        return value

    def _unigram_raw(self, word: str) -> float:
        """The LM's own log10 P(word), cached."""
        raw = self._raw.get(word)
        if raw is None:
            raw = self._model.prob([word])
            if len(self._raw) < 500_000:
                self._raw[word] = raw
        return raw

    def bigram_known(self, word: str, previous: str) -> bool:
        """True when the LM holds the bigram (previous, word) itself, not by back-off.

        Without the bigram, log P(w | h) = backoff(h) + log P(w); a probe word
        that never follows anything measures backoff(h).
        """
        backoff = self._backoff.get(previous)
        if backoff is None:
            backoff = self._model.prob([_PROBE, previous]) - self._unigram_raw(_PROBE)
            if len(self._backoff) < 500_000:
                self._backoff[previous] = backoff
        direct = self._model.prob([word, previous]) - self._unigram_raw(word)
        return abs(direct - backoff) > 2

    def conditional(self, word: str, history: Sequence[str]) -> float:
        """log P(word | history), history given oldest first (at most two words used)."""
        query = [word, *reversed(history[-2:])]
        return self._model.prob(query) * _LOGBASE


def _package_file(package: str, *parts: str) -> Path:
    root = importlib_resources.files(package)
    path = Path(str(root.joinpath(*parts)))
    if not path.exists():
        raise FileNotFoundError(
            f"resource {'/'.join(parts)} is missing from the installed '{package}' package; "
            f"reinstall it with: pip install --force-reinstall {package}"
        )
    return path


@lru_cache(maxsize=1)
def trigram_lm() -> TrigramLM:
    """The English trigram LM shipped in the pocketsphinx wheel."""
    return TrigramLM(_package_file("pocketsphinx", "model", "en-us", "en-us.lm.bin"))


@lru_cache(maxsize=1)
def bigram_counts() -> dict[str, int]:
    """English word bigram counts ('w1 w2' -> count) from the symspellpy wheel."""
    path = _package_file("symspellpy", "frequency_bigramdictionary_en_243_342.txt")
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                counts[f"{parts[0]} {parts[1]}"] = int(parts[2])
    return counts


@lru_cache(maxsize=1)
def word_list() -> frozenset[str]:
    """English words known to symspellpy's unigram dictionary (about 83,000)."""
    path = _package_file("symspellpy", "frequency_dictionary_en_82_765.txt")
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split()[0] for line in handle if line.strip())


@lru_cache(maxsize=1)
def lowercase_words() -> frozenset[str]:
    """Words that are ordinary lower-case words mid-sentence (shipped with detector;
    built by ``python -m training.build_wordlists`` from human text with its case)."""
    path = _package_file("detector", "data", "lowercase_words.txt")
    with path.open(encoding="utf-8") as handle:
        return frozenset(
            line.strip() for line in handle if line.strip() and not line.startswith("#")
        )


@lru_cache(maxsize=1)
def _zipf_table() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return {
        word: math.log10(freq * 1e9)
        for word, freq in get_frequency_dict("en", wordlist="best").items()
        if freq > 0
    }


def word_zipf(word: str) -> float:
    """Zipf frequency of a lowercase English word (0 when unknown, ~7 for 'the')."""
    return _zipf_table().get(word, 0.0)
