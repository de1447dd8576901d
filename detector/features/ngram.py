"""N-gram features: word surprise in context under an English trigram LM,
bigram attestation, word rarity, words English does not have, and repeated
n-grams.

Raw LM log-probability mostly measures topic and rare names. What marks a
round trip is a word that is unlikely in its context although common on its
own, so the main signal is a PMI-like surprise, log P(w | context) - log P(w).
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from detector.features.lm_batch import lm_scores, prepare
from detector.features.reason_checks import is_foreign_word, is_name_in_sentence, is_unlikely_pair
from detector.features.view import ParagraphView, Token
from detector.resources import trigram_lm
from detector.results import Reason

__all__ = ["NAMES", "WordPair", "compute", "least_expected", "prepare", "rarest_words"]

NAMES = (
    "lm.mean_logprob",
    "lm.mean_pmi",
    "lm.pmi_p10",
    "lm.low_pmi_rate",
    "lm.oov_rate",
    "lm.bigram_unattested_rate",
    "lm.lm_bigram_unknown_rate",
    "lm.mean_zipf",
    "lm.rare_word_rate",
    "lm.repeated_trigram_rate",
    "lm.unknown_word_rate",
)

LOW_PMI = -1.5      # a word e^1.5 times less likely in its context than alone
REASON_PMI = -3.0   # low enough to be shown to a person
MIN_FOREIGN_WORDS = 2  # words that are not English before any is named


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _in_compound(text: str, start: int, end: int) -> bool:
    """True for part of a hyphenated word ('so' in 'so-called'): the LM sees the
    parts as separate words, so their surprise is not worth showing a reader."""
    return text[end:end + 1] == "-" or text[start - 1:start] == "-"


class WordPair(NamedTuple):
    """A word after the word before it, and how much less likely the LM finds
    it there than on its own (``pmi``, log-odds; offsets in the paragraph);
    ``expected``, log P(previous) + log P(word), is how often the two would
    meet if words fell at random."""

    pmi: float
    start: int
    end: int
    word: str
    previous: str
    previous_end: int
    first_in_sentence: bool
    expected: float


def _word_pairs(view: ParagraphView) -> list[WordPair]:
    """Every word the LM knows that follows a word of its sentence (not just
    the sentence start), with its surprise against the word alone."""
    words, scores = view.words, lm_scores(view)
    start_id = trigram_lm().start_id
    pairs = []
    for k, index in enumerate(scores.at):
        if scores.h1[k] >= 0 and not (scores.h1[k] == start_id and scores.h2[k] < 0):
            token, previous = words[index], words[index - 1]
            # h1 is the previous word's id, so the LM knows it: it is at k - 1
            pairs.append(WordPair(scores.logprobs[k] - scores.unigrams[k], token.start,
                                  token.end, token.text, previous.lower, previous.end,
                                  token.first_in_sentence,
                                  scores.unigrams[k - 1] + scores.unigrams[k]))
    return pairs


def _side_by_side(view: ParagraphView, pair: WordPair) -> bool:
    """The two words are really side by side (the LM's history skips numbers,
    'by 3 percent', and punctuation) and not parts of a hyphenated word."""
    return (view.text[pair.previous_end:pair.start].isspace()
            and not _in_compound(view.text, pair.start, pair.end))


def least_expected(view: ParagraphView, n: int = 2) -> list[WordPair]:
    """The ``n`` word pairs of a paragraph the LM finds least expected, side by
    side and not names, however expected they are: what a style reason about
    how expected a paragraph's words are can point at."""
    if not view.words:
        return []
    return sorted(p for p in _word_pairs(view) if _side_by_side(view, p)
                  and not is_name_in_sentence(p.word, p.first_in_sentence))[:n]


def _plain_lower(view: ParagraphView, token: Token) -> bool:
    """A lower-case word of three letters or more, not part of a hyphenated
    word: the words whose frequency says something of the text (names,
    numbers and abbreviations say nothing)."""
    return (token.is_alpha and len(token.text) > 2 and token.text[0].islower()
            and not _in_compound(view.text, token.start, token.end))


def rarest_words(view: ParagraphView, n: int = 2) -> list[Token]:
    """The ``n`` rarest lower-case words of a paragraph (wordfreq's Zipf
    frequency, first one first on a tie), not parts of hyphenated words: what
    a style reason about word frequency can point at."""
    if not view.words:
        return []
    zipfs = view.word_info.zipf
    found = [(z, t.start, t) for t, z in zip(view.words, zipfs) if _plain_lower(view, t)]
    return [t for _, _, t in sorted(found)[:n]]


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """N-gram columns for one paragraph, and the words most unlikely in context."""
    words = view.words
    if not words:
        return [0.0] * len(NAMES), []
    info = view.word_info
    scores = lm_scores(view)
    logprobs = scores.logprobs
    oov = len(words) - len(scores.at)  # every word of the vocabulary has a probability
    pmis = _word_pairs(view)
    lm_pairs, lm_unknown = scores.lm_pairs, scores.lm_unknown
    pairs, unattested = scores.pairs, scores.unattested

    zipfs = info.zipf
    rare = sum(
        1 for t, z in zip(words, zipfs) if z < 3.0 and not t.is_capitalised and len(t.text) > 2
    )
    # lower-case words no English word list has: left untranslated by an MT
    # engine ('fajregaj', 'veterajn'), run together ('laokcidento') or misspelt
    unknown = [i for i, (t, z) in enumerate(zip(words, zipfs)) if z == 0.0 and _plain_lower(view, t)]
    lowers = [t.lower for t in words]
    trigrams = Counter(zip(lowers, lowers[1:], lowers[2:]))
    repeated = sum(n - 1 for n in trigrams.values() if n > 1)

    pmi_values = [p.pmi for p in pmis]
    n = len(words)
    values = [
        sum(logprobs) / len(logprobs) if logprobs else 0.0,
        sum(pmi_values) / len(pmi_values) if pmi_values else 0.0,
        _percentile(pmi_values, 0.1) if pmi_values else 0.0,
        sum(1 for v in pmi_values if v < LOW_PMI) / len(pmi_values) if pmi_values else 0.0,
        oov / n,
        unattested / pairs if pairs else 0.0,
        lm_unknown / lm_pairs if lm_pairs else 0.0,
        sum(zipfs) / n,
        rare / n,
        repeated / n,
        len(unknown) / n,
    ]
    reasons = [
        Reason(
            "lm.unlikely_in_context",
            f"'{p.word}' after '{p.previous}' is rare in English",
            *view.span(p.start, p.end), value=round(p.pmi, 2),
        )
        # the three lowest below REASON_PMI (filtered before the sort, which
        # gives the same three as sorting all and keeping those below it) that
        # pass the reason check
        for p in sorted(q for q in pmis if q.pmi < REASON_PMI and _side_by_side(view, q)
                        and is_unlikely_pair(q.word, q.first_in_sentence, q.pmi, q.expected))[:3]
    ]
    foreign = [i for i in unknown
               if is_foreign_word(view.text, words[i].start, words[i].end, info.flags[i])]
    # One such word in a paragraph is as often a rare term as a leftover; two are named.
    if len(foreign) >= MIN_FOREIGN_WORDS:
        reasons += [Reason("lm.unknown_word", f"'{words[i].text}' is not an English word",
                           *view.span(words[i].start, words[i].end)) for i in foreign[:3]]
    return values, reasons
