"""The trigram-LM and bigram lookups of the n-gram family, for a window of
paragraphs in one batch: one search per n-gram order for every word of the
window, instead of a few small searches per paragraph (each search of the
compiled tables costs a cache miss per level, so fewer, larger, sorted
batches are what makes them cheap); and the round-trip family's compound
margins, all candidates of a paragraph at once."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple, Sequence

import numpy as np

from detector.features.view import ParagraphView, look_up_words
from detector.resources import LOG_BASE, lexicon, trigram_lm
from detector.resources.lexicon import IN_VOCABULARY

__all__ = ["LMScores", "compound_margins", "lm_scores", "prepare"]


class LMScores(NamedTuple):
    """What the LM says of one paragraph's words.

    For each word the LM knows (``at``: its index in ``view.words``), the LM ids
    of the two words before it (``h1``, ``h2``; -1: none), log P(w | history)
    and log P(w) (natural log). ``lm_pairs`` words had a history and
    ``lm_unknown`` of them a bigram the LM holds only by back-off; ``pairs``
    adjacent words of one sentence were both in symspellpy's dictionary and
    ``unattested`` of those pairs are not among its bigrams."""

    at: list[int]
    h1: list[int]
    h2: list[int]
    logprobs: list[float]
    unigrams: list[float]
    lm_pairs: int
    lm_unknown: int
    pairs: int
    unattested: int


def _shift(values: np.ndarray, by: int, fill: int) -> np.ndarray:
    return np.concatenate([np.full(by, fill, dtype=values.dtype), values[:-by]])[:len(values)]


def _histories(ids: np.ndarray, first: np.ndarray, start_id: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """The LM ids of the two words before each word (-1: none), ``first``
    marking the first word of each sentence: a sentence starts with <s>, and a
    word outside the vocabulary (id -1) leaves the word after it no history."""
    previous_known = ~first & (_shift(ids, 1, -1) >= 0)
    previous_first = _shift(first, 1, True)
    h1 = np.where(first, start_id, np.where(previous_known, _shift(ids, 1, -1), -1))
    before = np.where(previous_first, start_id, _shift(ids, 2, -1))
    h2 = np.where(previous_known & (previous_first | (before >= 0)), before, -1)
    return h1, h2


def prepare(views: Sequence[ParagraphView]) -> None:
    """Compute :class:`LMScores` for every view in one batch (kept in
    ``view.prepared["lm"]``)."""
    if not views:
        return
    lm, words_table = trigram_lm(), lexicon()
    look_up_words(views)
    sizes = [len(v.words) for v in views]
    ids = np.concatenate([v.word_info.lm for v in views])
    sentence = np.array([t.sentence for v in views for t in v.words], dtype=np.int64)
    first = np.ones(len(ids), dtype=bool)
    first[1:] = sentence[1:] != sentence[:-1]
    starts = np.cumsum(sizes)[:-1]
    first[starts[starts < len(ids)]] = True  # a view starts a sentence
    h1_all, h2_all = _histories(ids, first, lm.start_id)
    known_word = ids >= 0
    word_ids, h1_ids, h2_ids = ids[known_word], h1_all[known_word], h2_all[known_word]
    full, pair, alone = lm.arrays.scores(word_ids, h1_ids, h2_ids)
    with_history = h1_ids >= 0
    known = np.ones(len(word_ids), dtype=bool)
    known[with_history] = lm.bigrams_known(word_ids[with_history], h1_ids[with_history],
                                           pair[with_history], alone[with_history])
    logprobs = (full * LOG_BASE).tolist()
    unigrams = (alone * LOG_BASE).tolist()
    h1_list, h2_list = h1_ids.tolist(), h2_ids.tolist()
    # per view, the index in view.words of each word the LM knows
    positions = np.arange(len(ids)) - np.repeat(np.cumsum([0] + sizes[:-1]), sizes)
    at_all = positions[known_word].tolist()

    # adjacent words of one sentence, both in symspellpy's dictionary
    flags = np.concatenate([np.asarray(v.word_info.flags, dtype=np.uint8) for v in views])
    vocabulary = (flags & IN_VOCABULARY) > 0
    rows = np.concatenate([v.word_info.rows for v in views])
    counted = ~first[1:] & vocabulary[:-1] & vocabulary[1:]
    unattested = counted & ~words_table.attested(rows[:-1], rows[1:])

    start = word = 0
    for view, size in zip(views, sizes):
        end = start + int(known_word[word:word + size].sum())
        pairs = slice(word, word + size - 1) if size else slice(0, 0)
        view.prepared["lm"] = LMScores(
            at_all[start:end], h1_list[start:end], h2_list[start:end],
            logprobs[start:end], unigrams[start:end],
            int(with_history[start:end].sum()), int((~known[start:end]).sum()),
            int(counted[pairs].sum()), int(unattested[pairs].sum()))
        start, word = end, word + size


def lm_scores(view: ParagraphView) -> LMScores:
    """The view's :class:`LMScores`, from its window's batch or computed now."""
    if "lm" not in view.prepared:
        prepare([view])
    return view.prepared["lm"]


@lru_cache(maxsize=1)
def _of_id() -> int:
    return int(trigram_lm().ids(["of"])[0])


def compound_margins(pairs: list[tuple[int, int]]) -> list[float]:
    """How much more likely (natural log) "n2 n1" is than "n1 of n2", for
    several (n1, n2) pairs of LM ids in one batch: the five log-probabilities
    of :func:`detector.features.roundtrip.compound_margin`, summed in its order."""
    lm = trigram_lm()
    of = _of_id()
    queries = []
    for n1, n2 in pairs:
        # (word, newest history word, the one before it)
        queries += [(n2, -1, -1), (n1, n2, -1), (n1, -1, -1), (of, n1, -1), (n2, of, n1)]
    word, h1, h2 = (np.array(column, dtype=np.int64) for column in zip(*queries))
    lp = (lm.arrays.raw(word, h1, h2) * LOG_BASE).tolist()
    return [(lp[k] + lp[k + 1]) - (lp[k + 2] + lp[k + 3] + lp[k + 4])
            for k in range(0, len(lp), 5)]
