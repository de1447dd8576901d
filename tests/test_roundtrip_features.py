"""The round-trip artefact family (detector.features.roundtrip): exact spans of
golden artefacts, native English that must not fire, and robustness."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import FAMILIES, ParagraphView, roundtrip
from detector.features.labels import feature_label
from detector.reason_codes import REASON_CODES


def _hits(text: str, offset: int = 0) -> list[tuple[str, str]]:
    """(code, flagged words) for each reason, the words cut from ``text`` by the span."""
    _, reasons = roundtrip.compute(ParagraphView(text, offset=offset))
    return [(r.code, text[r.start - offset:r.end - offset]) for r in reasons]


def _codes(text: str) -> set[str]:
    return {code for code, _ in _hits(text)}


def _column(text: str, name: str) -> float:
    values, _ = roundtrip.compute(ParagraphView(text))
    return values[roundtrip.NAMES.index(name)]


# ---------------------------------------------------------------------------
# Golden cases: code and exact span
# ---------------------------------------------------------------------------

GOLDEN = [
    ("There are four roads of toll in the state.", "rt.inverted_compound", "roads of toll"),
    ("He had an attack of heart last year.", "rt.inverted_compound", "attack of heart"),
    ("Shops ran out of masks of face last week.", "rt.inverted_compound", "masks of face"),
    ("Gentleman Macron arrived in Madrid on Monday.", "rt.literal_title", "Gentleman Macron"),
    ("He met the Gentleman Smith at the station.", "rt.literal_title", "the Gentleman Smith"),
    ("Mister Smith said nothing.", "rt.literal_title", "Mister Smith"),
    ("Reporters waited for Madam Merkel outside.", "rt.literal_title", "Madam Merkel"),
    ("They thanked the lady Merkel for the visit.", "rt.literal_title", "the lady Merkel"),
    ("Lady Clark said the talks had failed.", "rt.literal_title", "Lady Clark"),
    ("The party ended with Saint Alcohol and song.", "rt.literal_title", "Saint Alcohol"),
    ('"We will win the next game," said. The crowd cheered.', "rt.pronoun_mismatch", "said"),
    ('"I will not resign," it said on Monday.', "rt.pronoun_mismatch", "it said"),
    ("Each pupil writes his or his name on the sheet.", "rt.pronoun_mismatch", "his or his"),
    ("The alliance and his capacities grew.", "rt.pronoun_mismatch", "The alliance and his"),
    ("He flew to the France on Monday.", "rt.article_before_name", "the France"),
    ("He visited the Spain and the Italy.", "rt.article_before_name", "the Spain"),
    ("He looked for to reduce the costs.", "rt.double_preposition", "for to"),
    ("Waves of until five metres hit the coast.", "rt.double_preposition", "of until"),
    ("The tool is used to to cut wood.", "rt.double_preposition", "to to"),
    ("Workers brought in of other countries left.", "rt.double_preposition", "in of"),
]


@pytest.mark.parametrize("text,code,span", GOLDEN)
def test_golden_artefact_span(text, code, span):
    assert (code, span) in _hits(text)


def test_spans_are_document_offsets():
    text = "He flew to the France on Monday."
    assert ("rt.article_before_name", "the France") in _hits(text, offset=500)


def test_inverted_compound_message_names_the_english_compound():
    _, reasons = roundtrip.compute(ParagraphView("Shops ran out of masks of face last week."))
    (reason,) = [r for r in reasons if r.code == "rt.inverted_compound"]
    assert "'masks of face'" in reason.message and "'face masks'" in reason.message


def test_both_countries_with_an_article_are_reported():
    hits = _hits("He visited the Spain and the Italy.")
    assert [span for code, span in hits if code == "rt.article_before_name"] == [
        "the Spain", "the Italy"]


# ---------------------------------------------------------------------------
# Native English that must not fire
# ---------------------------------------------------------------------------

NATIVE = [
    "She drank a cup of tea with a glass of water.",
    "He works in the City of London.",
    "They sold a bottle of wine and a piece of paper.",
    "He lives in the Netherlands, the United States and the Ukraine.",
    "The Gambia and the Philippines sent observers.",
    "The France team won, and the Spain coach resigned.",
    "The Spain of Franco was poor.",
    "He joined the England and Wales Cricket Board.",
    "He came out of the house because of the rain.",
    "Prices rose up to five per cent, from under the bed, in between the two.",
    "It had been searched for for years; he was sworn in in 2009.",
    "The waste was disposed of in a landfill, instead of for gas.",
    "The swearing in of the new cabinet took place on Monday.",
    '"I am very happy," he said.',
    '"We are very happy," it said in a statement.',
    '"Nobody expected this," said Smith.',
    "Mr Smith met Madam Speaker and Lady Diana Spencer.",
    "The ferry called at Lady Barron on Flinders Island.",
    "The cathedral of Saint Paul was rebuilt.",
    "Each pupil writes his or her name on the sheet.",
    "The company and its staff agreed.",
]


@pytest.mark.parametrize("text", NATIVE)
def test_native_english_does_not_fire(text):
    assert _hits(text) == []


def test_vocabulary_excludes_countries_english_names_with_the():
    for name in ("Netherlands", "Gambia", "Ukraine", "Philippines", "Congo", "Sudan"):
        assert name not in roundtrip.COUNTRIES


# ---------------------------------------------------------------------------
# Values, codes, registration
# ---------------------------------------------------------------------------


def test_columns_are_counts_per_100_words():
    text = "He flew to the France on Monday and met Gentleman Macron there."
    words = len(ParagraphView(text).words)
    assert _column(text, "rt.article_before_name") == pytest.approx(100 / words)
    assert _column(text, "rt.literal_title") == pytest.approx(100 / words)
    assert _column(text, "rt.artefact_rate") == pytest.approx(200 / words)
    assert _column(text, "rt.inverted_compound") == 0.0


def test_every_column_but_the_total_is_a_documented_reason_code():
    for name in roundtrip.NAMES:
        if name != "rt.artefact_rate":
            assert name in REASON_CODES, name


def test_every_emitted_code_is_documented():
    emitted = {code for text, _, _ in GOLDEN for code in _codes(text)}
    assert emitted == set(roundtrip.NAMES) - {"rt.artefact_rate"}
    assert emitted <= set(REASON_CODES)


def test_family_registered_last():
    assert list(FAMILIES)[-1] == "roundtrip"
    assert FAMILIES["roundtrip"] == (roundtrip.NAMES, roundtrip.compute)


def test_every_column_has_a_plain_label():
    for name in roundtrip.NAMES:
        assert feature_label(name) != name


@settings(max_examples=150, deadline=None)
@given(st.text(
    alphabet=st.sampled_from(list("abcdefgh ofinto the France Gentleman Saint Lady his or"
                                  ".,;:!?\"'-\n0123456789") + ["é", "ß", "\u201c", "\u201d"]),
    max_size=300,
) | st.text(max_size=200))
def test_compute_never_raises_and_is_finite(text):
    view = ParagraphView(text, offset=7)
    values, reasons = roundtrip.compute(view)
    assert len(values) == len(roundtrip.NAMES)
    assert all(isinstance(v, float) and math.isfinite(v) for v in values)
    for reason in reasons:
        assert reason.code in REASON_CODES
        assert 7 <= reason.start < reason.end <= 7 + len(text)
