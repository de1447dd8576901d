"""Style: function-word, contraction and punctuation rates.

Machine translation is literal and formal: it spells out "it is" and "do not"
where people write "it's" and "don't", and it keeps the source language's
function-word habits (articles dropped or added, "of" chains). These rates
carry that signal across years and systems where topic words do not.
"""

from __future__ import annotations

import re
from typing import Iterator

from detector.features.view import ParagraphView, Token
from detector.results import Reason

__all__ = ["NAMES", "compute", "STYLE_WORDS", "function_word_uses"]

# The words whose rates the style family measures (its ``style.fw_`` columns,
# in this order): the closed-class words that carry style, with the discourse
# markers and reporting verbs whose rates differ between people and MT
# ('also', 'however', 'said', 'really'). Not the closed-class list of
# :data:`detector.segment.tokens.FUNCTION_WORDS`, which alignment and the
# reference index use as stop words; a word added here is a new column.
STYLE_WORDS = (
    "the a an of to in on at for with by from about as into than that which who "
    "this these those it its they them their there here is are was were be been "
    "being has have had will would can could should may might must not no also such "
    "very more most only just so but and or if when while because although however "
    "said says i you we he she my our your his her me us him what how why where then "
    "now lot get got really actually well out up over off"
).split()
_INDEX = {word: i for i, word in enumerate(STYLE_WORDS)}
# a function word's column, and the word's slot in STYLE_WORDS
_COLUMNS = {f"style.fw_{word}": i for i, word in enumerate(STYLE_WORDS)}
_PUNCTUATION = {
    "comma": ",", "semicolon": ";", "colon": ":", "open_paren": "(", "close_paren": ")",
    "hyphen": "-", "double_quote": '"', "apostrophe": "'", "period": ".",
    "question": "?", "exclamation": "!",
}
_CONTRACTION = re.compile(r"[^\W\d_]'(?:s|re|ve|t|ll|d|m)\b", re.I)
_NEGATED = re.compile(r"n't\b", re.I)

NAMES = (
    tuple(_COLUMNS)
    + ("style.contraction_rate", "style.negation_contraction_rate")
    + tuple(f"style.punct_{name}" for name in _PUNCTUATION)
    + ("style.capitalised_rate", "style.digit_rate", "style.mean_word_length")
)


def _function_words(view: ParagraphView) -> Iterator[tuple[int, Token]]:
    """The function words of a paragraph, in order, each with its slot in
    STYLE_WORDS: the word tokens whose lower-case form is one of them
    ('Said' and 'said' alike). The one rule the fw_ columns count by."""
    for token in view.words:
        slot = _INDEX.get(token.lower)
        if slot is not None:
            yield slot, token


def function_word_uses(view: ParagraphView, name: str) -> list[Token] | None:
    """Where the paragraph uses the function word of the column ``name``
    ('style.fw_said': each 'said' or 'Said'), in order; None for a column
    that is not a function word's. What a style reason about the word's use
    can count and point at; the column is ``len(uses) / len(view.words)``."""
    slot = _COLUMNS.get(name)
    if slot is None:
        return None
    return [token for found, token in _function_words(view) if found == slot]


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """Style columns for one paragraph (whole-text rates, no reasons)."""
    words = view.words
    n = max(1, len(words))
    counts = [0] * len(STYLE_WORDS)
    for slot, _ in _function_words(view):
        counts[slot] += 1
    text = view.text
    values = [c / n for c in counts]
    values.append(len(_CONTRACTION.findall(text)) / n)
    values.append(len(_NEGATED.findall(text)) / n)
    values.extend(text.count(ch) / n for ch in _PUNCTUATION.values())
    values.append(sum(1 for t in words if t.text[0].isupper()) / n)
    values.append(sum(1 for t in view.tokens if not t.is_alpha) / n)
    values.append(sum(len(t.text) for t in words) / n)
    return values, []
