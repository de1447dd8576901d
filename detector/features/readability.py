"""Readability: textstat's formulas per paragraph and sentence-length spread.

textstat computes each formula from the raw text again and caches per text,
which costs about 1.4 ms per paragraph and keeps every text in its caches.
Here the same counts (textstat's tokenisation, its CMUdict/pyphen syllables,
its easy-word list and language constants) are made once per paragraph, with
CMUdict's counts and the easy words read from the compiled word table
(:mod:`detector.resources`) and pyphen's cached per word for the words
CMUdict lacks; tests check the values equal textstat's own.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple, Sequence

from detector.features.view import ParagraphView
from detector.resources import compiled, lexicon
from detector.resources.lexicon import EASY
from detector.results import Reason

__all__ = ["NAMES", "compute", "prepare", "textstat_values"]

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
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
_PUNCTUATION = re.compile(r"[^\w\s\']")


@lru_cache(maxsize=1)
def _settings() -> tuple[dict[str, float], re.Pattern[str]]:
    """textstat's English constants and apostrophe pattern, as compiled with the
    resources (so scoring does not import textstat)."""
    settings = compiled().meta["textstat"]
    return dict(settings["constants"]), re.compile(settings["noncontraction_apostrophe"])


@lru_cache(maxsize=1)
def _hyphenator() -> object:
    """textstat's hyphenator for words CMUdict lacks (its ``get_pyphen(lang)``
    is ``Pyphen(lang=lang)``)."""
    from pyphen import Pyphen

    return Pyphen(lang=_LANG)


@lru_cache(maxsize=100_000)
def _pyphen_syllables(word: str) -> int:
    """Syllables of a word CMUdict lacks, as textstat counts them."""
    return len(_hyphenator().positions(word)) + 1  # type: ignore[attr-defined]


def _words(text: str) -> list[str]:
    """textstat's list_words: punctuation but contraction apostrophes removed, split on space."""
    return _PUNCTUATION.sub("", _settings()[1].sub("", text)).split()


class _Counted(NamedTuple):
    """textstat's words of a text, with their syllables and easy-word marks."""

    words: list[str]
    syllables: list[int]
    easy: list[bool]


def _count(texts: Sequence[str]) -> list[_Counted]:
    """textstat's words of each text, looked up in one batch: CMUdict's count
    (first pronunciation), else pyphen's; whether each is an easy word."""
    words = [_words(text) for text in texts]
    lowered = [w.lower() for ws in words for w in ws]
    found = lexicon().lookup(lowered)
    syllables = [n if n >= 0 else _pyphen_syllables(w)
                 for w, n in zip(lowered, found.syllables.tolist())]
    easy = [bool(f & EASY) for f in found.flags.tolist()]
    out, start = [], 0
    for ws in words:
        end = start + len(ws)
        out.append(_Counted(ws, syllables[start:end], easy[start:end]))
        start = end
    return out


def prepare(views: Sequence[ParagraphView]) -> None:
    """Count every view's words in one batch (kept in ``view.prepared["read"]``)."""
    for view, counted in zip(views, _count([v.text for v in views])):
        view.prepared["read"] = counted


def textstat_values(text: str) -> list[float]:
    """Flesch reading ease, Flesch-Kincaid grade, Gunning fog, SMOG, Dale-Chall and
    syllables per word, equal to textstat's functions of the same names."""
    return _values(text, _count([text])[0])


def _values(text: str, counted: _Counted) -> list[float]:
    constants = _settings()[0]
    if not text:
        return [0.0] * 6
    words, syllables, easy = counted
    if not words:  # text without words is still one sentence to textstat's SMOG
        return [0.0, 0.0, 0.0, 3.1291, 0.0, 0.0]
    sentences = _SENTENCE.findall(text)
    n_sentences = max(1, len(sentences) - sum(1 for s in sentences if len(_words(s)) <= 2))
    n_words = len(words)
    per_sentence = n_words / n_sentences
    per_word = sum(syllables) / n_words
    not_easy = [s for e, s in zip(easy, syllables) if not e]
    fog_hard = sum(1 for s in not_easy if s >= constants["syllable_threshold"])
    polysyllables = sum(1 for s in syllables if s >= 3)
    if per_sentence == 0 or per_word == 0:
        flesch = grade = 0.0
    else:
        flesch = (constants["fre_base"] - constants["fre_sentence_length"] * per_sentence
                  - constants["fre_syll_per_word"] * per_word)
        grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    fog = 0.4 * (per_sentence + 100 * fog_hard / n_words)
    smog = 1.043 * (30 * (polysyllables / n_sentences)) ** 0.5 + 3.1291
    hard_share = 100 * len(not_easy) / n_words
    dale_chall = 0.1579 * hard_share + 0.0496 * per_sentence + (3.6365 if hard_share > 5 else 0.0)
    return [flesch, grade, fog, smog, dale_chall, per_word]


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """Readability columns for one paragraph (no reasons: these are whole-text measures)."""
    n_words = len(view.words)
    if n_words == 0:
        return [0.0] * len(NAMES), []
    lengths = [len(s) for s in view.sentence_words if s]
    mean_len = sum(lengths) / len(lengths) if lengths else 0.0
    spread = (
        math.sqrt(sum((n - mean_len) ** 2 for n in lengths) / len(lengths)) if lengths else 0.0
    )
    if "read" not in view.prepared:
        prepare([view])
    counted = view.prepared["read"]
    flesch, grade, fog, smog, dale_chall, per_word = _values(view.text, counted)
    # syllables per word of the detector's own tokens, counted by textstat
    syllables = per_word * len(counted.words)
    values = [flesch, grade, fog, smog, dale_chall, syllables / n_words, mean_len, spread,
              math.log1p(n_words)]
    return [float(v) for v in values], []
