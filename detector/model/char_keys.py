"""Character n-grams as numbers, for :mod:`detector.model.char_ngrams`.

A term of the vocabulary is stored as one 64-bit key (:func:`pack_term`). To
match a text, :class:`VocabularyTables` gives each character of the
vocabulary a small id, so an n-gram is a short number: direct tables for
the shortest terms, binary search in small sorted arrays for the longer.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BITS", "LIMIT", "MAX_N", "VocabularyTables", "pack_term"]


BITS = 16


MAX_N = 64 // BITS


LIMIT = (1 << BITS) - 1  # code points + 1 must fit in 16 bits


def pack_term(term: str) -> int | None:
    """The 64-bit key of one n-gram (16 bits a character, first character
    highest, code point + 1), or None if it cannot be packed."""
    if not term or len(term) > MAX_N:
        return None
    key = 0
    for position, char in enumerate(term):
        code = ord(char) + 1
        if code > LIMIT:
            return None
        key |= code << (BITS * (MAX_N - 1 - position))
    return key


class VocabularyTables:
    """The packed vocabulary in the form matching needs: each character of the
    vocabulary gets a small id (``dense``, 0 for any other character, which no
    term holds), so an n-gram is a short number; terms of one or two
    characters are looked up in a direct table, longer ones by binary search
    in the (small, cache-friendly) sorted numbers of their length.
    ``narrow``: every column fits 16 bits, so (text, column) pairs can be
    sorted by radix."""

    def __init__(self, dense: np.ndarray, base: int, direct: dict[int, np.ndarray],
                 searched: dict[int, tuple[np.ndarray, np.ndarray]], key_type: type,
                 narrow: bool) -> None:
        self.dense, self.base, self.direct, self.searched = dense, base, direct, searched
        self.key_type, self.narrow = key_type, narrow

    @classmethod
    def build(cls, keys: np.ndarray, columns: np.ndarray) -> "VocabularyTables":
        """The tables of a sorted packed vocabulary (:func:`pack_term` keys)."""
        mask = np.uint64(LIMIT)
        chars = [(keys >> np.uint64(BITS * (MAX_N - 1 - i))) & mask for i in range(MAX_N)]
        alphabet = np.unique(np.concatenate(chars))
        alphabet = alphabet[alphabet > 0]  # 0: past the end of a shorter term
        base = len(alphabet) + 1
        dense = np.zeros(LIMIT + 1, dtype=np.uint8 if base <= 1 << 8 else np.uint16)
        # a code point c is packed as c + 1; the text's UTF-32 value is c
        dense[(alphabet - np.uint64(1)).astype(np.int64)] = np.arange(1, base)
        column_type = np.int32 if columns.size == 0 or int(columns.max()) < 1 << 31 else np.int64
        ids = [np.searchsorted(alphabet, c) + 1 for c in chars]
        lengths = sum((c > 0).astype(np.int64) for c in chars)
        key_type = np.uint32 if base ** MAX_N <= 1 << 32 else np.uint64
        direct: dict[int, np.ndarray] = {}
        searched: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n in range(1, MAX_N + 1):
            rows = np.flatnonzero(lengths == n)
            number = np.zeros(len(rows), dtype=np.uint64)
            for i in range(n):
                number = number * np.uint64(base) + ids[i][rows].astype(np.uint64)
            if base ** n <= 1 << 17:
                table = np.full(base ** n, -1, dtype=np.int64)
                table[number.astype(np.int64)] = columns[rows]
                direct[n] = table
            elif rows.size:
                order = np.argsort(number, kind="stable")
                searched[n] = (number[order].astype(key_type), columns[rows][order].astype(column_type))
        for n, table in direct.items():
            direct[n] = table.astype(column_type)
        narrow = columns.size == 0 or int(columns.max()) <= 0xFFFF
        return cls(dense, base, direct, searched, key_type, narrow)

    def columns_of(self, codes: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
        """The vocabulary column of each n-gram starting at ``starts`` in the
        dense ``codes``, or -1 where it is not a term."""
        number = codes[starts].astype(self.key_type)
        for position in range(1, n):
            number = number * self.key_type(self.base) + codes[starts + position].astype(self.key_type)
        if n in self.direct:
            return self.direct[n][number.astype(np.int64)]
        if n not in self.searched:
            return np.full(len(starts), -1, dtype=np.int64)
        keys, columns = self.searched[n]  # never empty
        where = np.searchsorted(keys, number)
        where[where == len(keys)] = 0
        return np.where(keys[where] == number, columns[where], -1).astype(columns.dtype)
