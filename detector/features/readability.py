"""Readability: textstat formulas per paragraph and sentence-length spread."""

from __future__ import annotations

import math

from ..results import Reason
from .view import ParagraphView

__all__ = ["NAMES", "compute"]

NAMES = (
    "read.flesch_reading_ease",
    "read.flesch_kincaid_grade",
    "read.gunning_fog",
    "read.smog_index",
    "read.dale_chall",
    "read.syllables_per_word",
    "read.words_per_sentence",
    "read.words_per_sentence_std",
    "read.log_words",
)

_LANG = "en_US"


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """Readability columns for one paragraph (no reasons: these are whole-text measures)."""
    from textstat.backend import counts, metrics

    text = view.text
    n_words = len(view.words)
    if n_words == 0:
        return [0.0] * len(NAMES), []
    lengths = [len(s) for s in view.sentence_words if s]
    mean_len = sum(lengths) / len(lengths) if lengths else 0.0
    spread = (
        math.sqrt(sum((n - mean_len) ** 2 for n in lengths) / len(lengths)) if lengths else 0.0
    )
    syllables = counts.count_syllables(text, _LANG)
    values = [
        metrics.flesch_reading_ease(text, _LANG),
        metrics.flesch_kincaid_grade(text, _LANG),
        metrics.gunning_fog(text, _LANG),
        metrics.smog_index(text, _LANG),
        metrics.dale_chall_readability_score(text, _LANG),
        syllables / n_words,
        mean_len,
        spread,
        math.log1p(n_words),
    ]
    return [float(v) for v in values], []
