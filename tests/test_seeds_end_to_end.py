"""Acceptance on the two seeds with the shipped default model: the machine
translation (002) is flagged paragraph by paragraph, the human original (000)
is not."""

from __future__ import annotations

import pytest

from detector.model.persistence import load_model
from detector.score.document import score_document
from detector.io.decode import read_text


@pytest.fixture(scope="module")
def default_results(default_model_file, seed_clean, seed_mangled):
    model = load_model(default_model_file)
    return (
        score_document(read_text(str(seed_clean)), model=model),
        score_document(read_text(str(seed_mangled)), model=model),
    )


def _prose(result):
    return [p for p in result.paragraphs if p.score is not None]


def test_seed_002_mostly_flagged(default_results):
    _, mangled = default_results
    prose = _prose(mangled)
    assert len(prose) == 25
    flagged = [p.line for p in prose if p.flagged]
    missed = [(p.line, p.score) for p in prose if not p.flagged]
    assert len(flagged) >= 0.9 * len(prose), f"{len(flagged)}/{len(prose)} flagged; missed {missed}"


def test_seed_000_nothing_flagged(default_results):
    clean, _ = default_results
    prose = _prose(clean)
    assert len(prose) == 35
    wrong = [(p.line, p.score) for p in prose if p.flagged]
    assert wrong == []


def test_seed_document_labels(default_results):
    clean, mangled = default_results
    assert mangled.label == "mangled", mangled.score
    assert clean.label == "clean", clean.score


def test_default_model_is_what_load_model_returns(default_model_file):
    # load_model() without a path loads the shipped default
    assert load_model().feature_names == load_model(default_model_file).feature_names
