"""Reference mode tokenises each paragraph once per scoring call, and the word
count it derives from those tokens is the raw text's count."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import detector.reference.alignment as alignment
import detector.segment.tokens as tokens_module
from detector.features.view import ParagraphView
from detector.model.persistence import load_model
from detector.reference.alignment import _JOINING, raw_word_count, words
from detector.reference.index import ReferenceIndex
from detector.score.document import score_document
from detector.segment.tokens import iter_words
from detector.segment.typography import MAPPED_CHARACTERS

REFERENCE = [
    "The council of Lyon voted on Tuesday to close the old bridge over the Rhone "
    "for repairs that will cost 4.5 million euros and last until March 2025.",
    "Mayor Gregory Doucet said the bridge had been inspected in 2021 and that the "
    "engineers found cracks in two of its supporting arches.",
    "Residents who cross the river every day will have to use the ferry or the "
    "tram line that runs along the northern bank.",
]

COPY = [
    "The assembly of Lyon balloted on Tuesday to shut the ancient bridge over the Rhone "
    "for fixes that will price 4.5 million euros and endure until March 2025.",
    "Mayor Gregory Doucet stated the bridge had been examined in 2021 and that the "
    "technicians discovered fissures in two of its supporting arches.",
    "Inhabitants who traverse the river each day will need to employ the ferry or the "
    "tram route that operates along the northern bank.",
]


class _CountingPattern:
    """A stand-in for WORD_RE that counts the texts it scans (``finditer`` or
    ``findall``), by the text as given."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.scans: Counter[str] = Counter()

    def finditer(self, text: str, *bounds: int) -> Any:
        self.scans[text] += 1
        return self.real.finditer(text, *bounds)

    def findall(self, text: str, *bounds: int) -> Any:
        self.scans[text] += 1
        return self.real.findall(text, *bounds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture(scope="module")
def default_model(default_model_file):
    return load_model()


def test_each_paragraph_is_tokenised_once_per_reference_scoring(default_model, monkeypatch):
    index = ReferenceIndex([("original", "\n\n".join(REFERENCE))])  # tokenised here, before counting
    reference_scans = _CountingPattern(alignment.WORD_RE)
    word_scans = _CountingPattern(tokens_module.WORD_RE)  # iter_words and whatever else uses it
    monkeypatch.setattr(alignment, "WORD_RE", reference_scans)
    monkeypatch.setattr(tokens_module, "WORD_RE", word_scans)
    views: Counter[str] = Counter()
    tokenise = ParagraphView._tokenise

    def counted(view: ParagraphView) -> None:
        views[view.raw] += 1
        tokenise(view)

    monkeypatch.setattr(ParagraphView, "_tokenise", counted)
    result = score_document("\n\n".join(COPY), reference=index, model=default_model)

    assert [p.alignment is not None for p in result.paragraphs] == [True, True, True]
    # The feature extractor's pass and the reference tokeniser's pass, once
    # each per paragraph; the reference paragraphs are not tokenised again.
    assert views == Counter({text: 1 for text in COPY})
    assert reference_scans.scans == Counter({text: 1 for text in COPY})
    assert word_scans.scans == Counter()


@pytest.mark.parametrize("text, raw, normalised", [
    ("plain words, 3.5 and 1,000", 5, 5),
    ("don\u2019t stop", 2, 2),            # a right quote is an apostrophe either way
    ("don\u2018t stop", 3, 2),            # a left quote ends a raw token, "'" does not
    ("it\u2019s 3\u20265 a\u2032b c\u201ad e\u201bf", 9, 5),
    ("word\u2026 next \u201cquoted\u201d \u2014 fine", 4, 4),
    ("", 0, 0),
])
def test_raw_word_count_is_the_count_of_the_raw_text(text, raw, normalised):
    tokens = words(text, 7)
    assert len(tokens) == normalised
    assert sum(1 for _ in iter_words(text)) == raw
    assert raw_word_count(text, tokens) == raw


def test_the_joining_characters_are_derived_from_the_typography_map():
    assert sorted(_JOINING) == ["\u2018", "\u201a", "\u201b", "\u2026", "\u2032"]
    assert _JOINING <= set(MAPPED_CHARACTERS)


@given(st.text(alphabet="ab1 2.,:'\u00e9\u2019-" + MAPPED_CHARACTERS, max_size=30))
def test_raw_word_count_matches_iter_words_on_any_text(text):
    assert raw_word_count(text, words(text)) == sum(1 for _ in iter_words(text))


def test_match_with_tokens_given_is_match_without(default_model):
    index = ReferenceIndex([("original", "\n\n".join(REFERENCE))])
    offsets = [0, 200, 400]
    given_tokens = [words(t, o) for t, o in zip(COPY, offsets)]
    assert index.match(COPY, offsets, given_tokens) == index.match(COPY, offsets)
    with pytest.raises(ValueError, match="2 token lists for 3 paragraphs"):
        index.match(COPY, offsets, given_tokens[:2])
