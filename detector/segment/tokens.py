"""Sentences and words: the one word pattern and sentence splitter."""

from __future__ import annotations

import re
from typing import Iterator

__all__ = ["DERIVATIONS", "FUNCTION_WORDS", "INFLECTIONS", "WORD_RE", "iter_words", "split_sentences", "stem"]


WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:[.,:]\d+)*", re.U)


_SENT_SPLIT = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9])"
)


_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Lt|Gen|Col|Sgt|Capt|Gov|Sen|Rep|Jr|Sr|No|vs|etc|Inc|Ltd|Co|Corp|U\.S|e\.g|i\.e|[A-Z])\.$"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a paragraph (a light regex splitter)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENT_SPLIT.finditer(text):
        cut = match.start()
        if _ABBREV.search(text[max(start, cut - 6):cut]):
            continue
        piece_end = match.end() - len(match.group(0)) + len(match.group(0).rstrip())
        if text[start:piece_end].strip():
            spans.append((start, piece_end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """Word and number tokens of a text, as regex matches (with spans)."""
    return WORD_RE.finditer(text)


# Closed-class English words: the one list behind word alignment (their
# substitution is a grammatical slip, MT, rather than a synonym, spin), the
# reference index's stop words and the round-trip family's non-content words.
FUNCTION_WORDS = frozenset(
    "a an the of to in on at for with by from about as into onto over under than that which "
    "who whom whose this these those it its they them their he him his she her we us our you "
    "your i me my is are was were be been being has have had do does did will would can could "
    "should may might must shall and or but if so not no".split()
)


# The suffixes :func:`stem` strips, tried in this order: inflections only
# (cohesion compares the content words of neighbouring sentences), or
# inflections and common derivations (reference mode tells an inflected or
# derived form of a source word from a different word).
INFLECTIONS = ("ing", "ed", "es", "s", "ly")
DERIVATIONS = ("ing", "ed", "es", "s", "d", "er", "ers", "ly", "ion", "ions", "al")


def stem(word: str, suffixes: tuple[str, ...] = INFLECTIONS) -> str:
    """A crude stem: ``word`` without the first of ``suffixes`` it ends with,
    when at least four letters remain ('discussing', 'discussed' -> 'discuss')."""
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
