"""The pocketsphinx English trigram LM as sorted arrays, scored as pocketsphinx scores.

``en-us.lm.bin`` is pocketsphinx's binary "trie" format (``lm_trie.c``): the
unigrams as (log-probability, back-off, first child) records, then the
bigrams and trigrams bit-packed and stored backwards, each under the word it
predicts (bigram "h1 w" is child h1 of unigram w; trigram "h2 h1 w" is child
h2 of that bigram), with probabilities and back-offs quantised to 16-bit bin
indices. :func:`compile_trie` unpacks it once into plain arrays: per order a
sorted int64 key (``w * V + h1`` for bigrams, ``bigram index * V + h2`` for
trigrams) beside float32 values, so a batch of lookups is one
``np.searchsorted``.

:meth:`TrigramArrays.raw` then does what ``NGramModel.prob`` does: the same
float32 sums of back-offs in the same order, truncated to an int. Where
pocketsphinx's interpolation search (``uniform_find``) meets the few children
lists of the file that are not sorted, the compiled keys hold what that
search finds, not what the list holds; ``tests/test_resources.py`` checks
the result against pocketsphinx over many queries.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Mapping

import numpy as np

from detector.resources.store import CompiledArrays

__all__ = ["LOG_ZERO", "TrigramArrays", "compile_trie"]


# What pocketsphinx returns for a word outside the vocabulary.
LOG_ZERO = -536870912


_HEADER = b"Trie Language Model"
_BINS = 1 << 16
_MASK32 = 0xFFFFFFFF


def _read_bits(memory: np.ndarray, bit_offsets: np.ndarray, width: int) -> np.ndarray:
    """Fields of ``width`` bits at ``bit_offsets`` of a little-endian bit array."""
    starts = bit_offsets >> 3
    windows = memory[starts[:, None] + np.arange(8)].copy().view("<u8").ravel()
    shifts = (bit_offsets & 7).astype(np.uint64)
    return ((windows >> shifts) & np.uint64((1 << width) - 1)).astype(np.int64)


def _uniform_find(words: np.ndarray, begin: int, end: int, key: int, vocab: int) -> int:
    """Index pocketsphinx's ``uniform_find`` returns for ``key`` among
    ``words[begin:end]`` (-1: not found), in its uint32 arithmetic."""
    before_it, before_v, after_it, after_v = (begin - 1) & _MASK32, 0, end, vocab
    while ((after_it - before_it) & _MASK32) > 1:
        off = (key - before_v) & _MASK32
        width = (after_it - before_it - 1) & _MASK32
        pivot = (before_it + 1 + ((off * width) & _MASK32) // (after_v - before_v + 1)) & _MASK32
        mid = int(words[pivot])
        if mid < key:
            before_it, before_v = pivot, mid
        elif mid > key:
            after_it, after_v = pivot, mid
        else:
            return pivot
    return -1


def _as_found(keys: np.ndarray, values: np.ndarray, owners: np.ndarray, words: np.ndarray,
              starts: np.ndarray, vocab: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys and values as pocketsphinx's search finds them: a children list
    that is not strictly increasing is replaced by the keys its search returns."""
    irregular = np.unique(owners[1:][np.diff(keys) <= 0])
    if irregular.size == 0:
        return keys, values
    keep = np.ones(len(keys), dtype=bool)
    extra_keys: list[int] = []
    extra_values: list[float] = []
    for owner in irregular.tolist():
        begin, end = int(starts[owner]), int(starts[owner + 1])
        keep[begin:end] = False
        for key in sorted(set(words[begin:end].tolist())):
            found = _uniform_find(words, begin, end, key, vocab)
            if found >= 0:
                extra_keys.append(owner * vocab + key)
                extra_values.append(float(values[found]))
    keys = np.concatenate([keys[keep], np.asarray(extra_keys, dtype=np.int64)])
    values = np.concatenate([values[keep], np.asarray(extra_values, dtype=values.dtype)])
    order = np.argsort(keys, kind="stable")
    return keys[order], values[order]


def compile_trie(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a pocketsphinx trigram trie file (see the module docstring)."""
    data = path.read_bytes()
    if not data.startswith(_HEADER) or data[len(_HEADER)] != 3:
        raise ValueError(f"{path} is not a pocketsphinx trigram trie")
    memory = np.frombuffer(data, dtype=np.uint8)
    pos = len(_HEADER) + 1
    n_uni, n_bi, n_tri = struct.unpack_from("<3I", data, pos)
    pos += 12 + 4  # the counts, then a quantiser-type word
    bins = np.frombuffer(data, dtype="<f4", count=3 * _BINS, offset=pos)
    bi_prob_bins, bi_bo_bins, tri_prob_bins = bins[:_BINS], bins[_BINS:2 * _BINS], bins[2 * _BINS:]
    pos += 3 * _BINS * 4
    unigrams = np.frombuffer(data, dtype=[("prob", "<f4"), ("bo", "<f4"), ("next", "<u4")],
                             count=n_uni + 1, offset=pos)
    pos += 12 * (n_uni + 1)
    word_bits, next_bits = n_uni.bit_length(), n_tri.bit_length()
    middle_bits, longest_bits = word_bits + 32 + next_bits, word_bits + 16
    middle_size = ((1 + n_bi) * middle_bits + 7) // 8 + 8
    longest_size = ((1 + n_tri) * longest_bits + 7) // 8 + 8
    middle = memory[pos:pos + middle_size]
    longest = memory[pos + middle_size:pos + middle_size + longest_size]
    pos += middle_size + longest_size
    (length,) = struct.unpack_from("<i", data, pos)
    vocabulary = data[pos + 4:pos + 4 + length].split(b"\0")[:-1]
    if len(vocabulary) != n_uni:
        raise ValueError(f"{path}: {len(vocabulary)} words for {n_uni} unigrams")
    if b"<UNK>" in vocabulary:
        # pocketsphinx would score every unknown word as <UNK>; the compiled
        # form gives unknown words no probability
        raise ValueError(f"{path}: an LM with <UNK> is not supported")

    vocab = n_uni
    uni_next = unigrams["next"].astype(np.int64)
    n_bigrams = int(uni_next[vocab])  # entries past the last unigram's children are unreachable
    at = np.arange(n_bigrams + 1, dtype=np.int64) * middle_bits
    bi_word = _read_bits(middle, at, word_bits)[:n_bigrams]
    bi_bo = bi_bo_bins[_read_bits(middle, at + word_bits, 16)[:n_bigrams]]
    bi_prob = bi_prob_bins[_read_bits(middle, at + word_bits + 16, 16)[:n_bigrams]]
    bi_next = _read_bits(middle, at + word_bits + 32, next_bits)
    bi_owner = np.searchsorted(uni_next, np.arange(n_bigrams), side="right") - 1
    bi_key = bi_owner * vocab + bi_word
    if np.any(np.diff(bi_key) <= 0):
        raise ValueError(f"{path}: bigram children are not sorted")

    n_trigrams = int(bi_next[n_bigrams])
    at = np.arange(n_trigrams, dtype=np.int64) * longest_bits
    tri_word = _read_bits(longest, at, word_bits)
    tri_prob = tri_prob_bins[_read_bits(longest, at + word_bits, 16)]
    tri_owner = np.searchsorted(bi_next, np.arange(n_trigrams), side="right") - 1
    tri_key, tri_prob = _as_found(tri_owner * vocab + tri_word, tri_prob, tri_owner, tri_word,
                                  bi_next, vocab)
    return {
        "lm.vocabulary": np.array(vocabulary, dtype=bytes),
        "lm.has_bigrams": uni_next[1:] > uni_next[:-1],
        "lm.uni_prob": np.ascontiguousarray(unigrams["prob"][:vocab]),
        "lm.uni_bo": np.ascontiguousarray(unigrams["bo"][:vocab]),
        "lm.bi_key": bi_key,
        "lm.bi_prob": bi_prob,
        "lm.bi_bo": bi_bo,
        "lm.tri_key": tri_key,
        "lm.tri_prob": tri_prob,
    }


def _find(keys: np.ndarray, queries: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Index of each query in the sorted ``keys``, -1 where it is absent or
    where ``where`` is False (those are not searched)."""
    out = np.full(len(queries), -1, dtype=np.int64)
    if len(keys) == 0 or not where.any():
        return out
    wanted = queries[where]
    if len(wanted) > 64:
        # sorted queries walk the keys in order (numpy starts each search from
        # the last one found), so a large batch touches far fewer cache lines
        order = np.argsort(wanted, kind="stable")
        index = np.empty(len(wanted), dtype=np.int64)
        index[order] = np.searchsorted(keys, wanted[order])
    else:
        index = np.searchsorted(keys, wanted)
    index = np.minimum(index, len(keys) - 1)
    out[where] = np.where(keys[index] == wanted, index, -1)
    return out


class TrigramArrays:
    """The compiled LM (:func:`compile_trie` arrays), scored in batches."""

    def __init__(self, arrays: Mapping[str, np.ndarray] | CompiledArrays) -> None:
        get = arrays.__getitem__
        self.uni_prob, self.uni_bo = get("lm.uni_prob"), get("lm.uni_bo")
        self.bi_key, self.bi_prob, self.bi_bo = get("lm.bi_key"), get("lm.bi_prob"), get("lm.bi_bo")
        self.tri_key, self.tri_prob = get("lm.tri_key"), get("lm.tri_prob")
        self.vocab = len(self.uni_prob)
        # whether a word has bigram children: a word without them needs no search
        self.parent = get("lm.has_bigrams")

    def scores(self, word: np.ndarray, h1: np.ndarray, h2: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """pocketsphinx's ``NGramModel.prob`` of ``[w, h1, h2]``, of ``[w, h1]``
        and of ``[w]``, for arrays of word ids (-1: no such word; a history is
        cut at its first missing word, as pocketsphinx cuts it): int64
        log-probabilities in pocketsphinx's base 1.0001, one search per order."""
        word, h1, h2 = (np.asarray(a, dtype=np.int64) for a in (word, h1, h2))
        h2 = np.where(h1 < 0, -1, h2)
        known, has1, has2 = word >= 0, h1 >= 0, h2 >= 0
        w, a, b = np.maximum(word, 0), np.maximum(h1, 0), np.maximum(h2, 0)
        vocab = self.vocab
        prob = self.uni_prob[w]
        bigram = _find(self.bi_key, w * vocab + a, has1 & known & self.parent[w])
        found = bigram >= 0
        bi_prob = np.where(found, self.bi_prob[np.maximum(bigram, 0)], np.float32(0))
        backoff1 = self.uni_bo[a]
        # P(w | h1), else P(w) + bo(h1)
        pair = np.where(found, bi_prob, prob + backoff1)
        full = np.where(has1, pair, prob)
        if has2.any():
            context = _find(self.bi_key, a * vocab + b, has2 & self.parent[a])
            backoff2 = np.where(context >= 0, self.bi_bo[np.maximum(context, 0)], np.float32(0))
            trigram = _find(self.tri_key, np.maximum(bigram, 0) * vocab + b, has2 & found)
            # pocketsphinx adds the cached back-offs one at a time, in float32
            missing = (prob + backoff1) + backoff2
            tri = np.where(trigram >= 0, self.tri_prob[np.maximum(trigram, 0)], bi_prob + backoff2)
            full = np.where(has2, np.where(found, tri, missing), full)
        return tuple(np.where(known, np.trunc(v.astype(np.float32)).astype(np.int64), LOG_ZERO)
                     for v in (full, np.where(has1, pair, prob), prob))  # type: ignore[return-value]

    def raw(self, word: np.ndarray, h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
        """``NGramModel.prob([w, h1, h2])`` (see :meth:`scores`)."""
        return self.scores(word, h1, h2)[0]
