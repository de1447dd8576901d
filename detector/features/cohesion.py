"""Cohesion inside a paragraph: how sentences share their content words.

Human paragraphs repeat their key terms; round trips often render the same
concept with different words from one sentence to the next.
"""

from __future__ import annotations

import math

from detector.features.view import ParagraphView
from detector.results import Reason
from detector.segment.tokens import stem

__all__ = ["NAMES", "compute"]

NAMES = (
    "coh.adjacent_overlap",
    "coh.type_token_ratio",
    "coh.log_sentences",
    "coh.function_word_rate",
)


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """Cohesion columns for one paragraph."""
    words = view.words
    if not words:
        return [0.0] * len(NAMES), []
    zipfs = view.word_info.zipf
    content: list[set[str]] = [set() for _ in view.sentence_words]
    for token, zipf in zip(words, zipfs):
        if zipf < 5.5 and len(token.text) > 2:
            content[token.sentence].add(stem(token.lower))
    overlaps = [
        len(a & b) / len(a | b) for a, b in zip(content, content[1:]) if a or b
    ]
    lowers = [t.lower for t in words]
    function_words = sum(1 for z in zipfs if z >= 6.0)
    values = [
        sum(overlaps) / len(overlaps) if overlaps else 0.0,
        len(set(lowers)) / len(lowers),
        math.log1p(len(view.sentences)),
        function_words / len(lowers),
    ]
    return values, []
