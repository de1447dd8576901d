"""N-gram features: word surprise in context under an English trigram LM,
bigram attestation, word rarity and repeated n-grams.

Raw LM log-probability mostly measures topic and rare names. What marks a
round trip is a word that is unlikely in its context although common on its
own, so the main signal is a PMI-like surprise, log P(w | context) - log P(w).
"""

from __future__ import annotations

from collections import Counter

from detector.features.reason_checks import is_unlikely_pair
from detector.features.view import ParagraphView
from detector.resources import bigram_counts, trigram_lm, word_list, word_zipf
from detector.results import Reason

__all__ = ["NAMES", "compute"]

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
)

LOW_PMI = -1.5      # a word e^1.5 times less likely in its context than alone
REASON_PMI = -3.0   # low enough to be shown to a person


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _in_compound(text: str, start: int, end: int) -> bool:
    """True for part of a hyphenated word ('so' in 'so-called'): the LM sees the
    parts as separate words, so their surprise is not worth showing a reader."""
    return text[end:end + 1] == "-" or text[start - 1:start] == "-"


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """N-gram columns for one paragraph, and the words most unlikely in context."""
    lm = trigram_lm()
    bigrams = bigram_counts()
    vocab = word_list()
    words = view.words
    if not words:
        return [0.0] * len(NAMES), []

    logprobs: list[float] = []
    pmis: list[tuple[float, int, int, str, str]] = []
    oov = lm_pairs = lm_unknown = 0
    for sentence in view.sentence_words:
        history = ["<s>"]
        previous_end = 0
        for token in sentence:
            unigram = lm.unigram(token.lower)
            if unigram is None:
                oov += 1
                history = []
                continue
            logprob = lm.conditional(token.lower, history)
            if history:
                lm_pairs += 1
                lm_unknown += not lm.bigram_known(token.lower, history[-1])
            logprobs.append(logprob)
            if history and history != ["<s>"]:
                pmis.append((logprob - unigram, token.start, token.end, token.text, history[-1],
                             previous_end, token.first_in_sentence))
            history = [*history[-1:], token.lower]
            previous_end = token.end

    pairs = unattested = 0
    for sentence in view.sentence_words:
        for left, right in zip(sentence, sentence[1:]):
            if left.lower in vocab and right.lower in vocab:
                pairs += 1
                if f"{left.lower} {right.lower}" not in bigrams:
                    unattested += 1

    zipfs = [word_zipf(t.lower) for t in words]
    rare = sum(
        1 for t, z in zip(words, zipfs) if z < 3.0 and not t.is_capitalised and len(t.text) > 2
    )
    lowers = [t.lower for t in words]
    trigrams = Counter(zip(lowers, lowers[1:], lowers[2:]))
    repeated = sum(n - 1 for n in trigrams.values() if n > 1)

    pmi_values = [p[0] for p in pmis]
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
    ]
    # A reason only for words that really are side by side (the LM's
    # history skips numbers, "by 3 percent", and punctuation) and are not names.
    reasons = [
        Reason(
            "lm.unlikely_in_context",
            f"'{word}' after '{prev}' is rare in English",
            *view.span(start, end), value=round(pmi, 2),
        )
        for pmi, start, end, word, prev, _, _ in sorted(
            p for p in pmis if not _in_compound(view.text, p[1], p[2])
            and view.text[p[5]:p[1]].isspace() and is_unlikely_pair(p[3], p[6], p[0])
        )[:3]
        if pmi < REASON_PMI
    ]
    return values, reasons
