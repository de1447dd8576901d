"""The numpy character n-gram scorer gives the scikit-learn pipeline's log-odds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from detector.model.char_ngrams import CharNgramScorer

TRAIN = [
    "The minister said on Tuesday that talks would resume.",
    "Army bosses announced the Arrival on Tuesday of new troops.",
    "The prime Minister Lecorno met the Associate printing writer.",
    "Local businesses have welcomed the plan, although some worry.",
    "Café owners in Zürich said “prices” rose… again — twice.",
    "Emoji 😀 and tabs\tand\n\nnewlines   here.",
    "Short one.",
    "Another sentence about the budget and the mayor's plans.",
] * 3
LABELS = [0, 1, 1, 0, 0, 1, 0, 1] * 3

EDGE_CASES = [
    "", " ", "a", "ab", "abc", "\n\n\t  ", "A  B\n\nC\tD",
    "Émile ÇA à Zürich", "😀", "x 😀 y", "THE MINISTER SAID",
    "The minister said on Tuesday that talks would resume.",
]


def _pipeline(**tfidf: object) -> Pipeline:
    options = dict(analyzer="char", ngram_range=(1, 4), min_df=1, sublinear_tf=True)
    options.update(tfidf)
    return Pipeline([
        ("tfidf", TfidfVectorizer(**options)),
        ("logistic", LogisticRegression(max_iter=1000)),
    ]).fit(TRAIN, LABELS)


@pytest.mark.parametrize("options", [
    {},
    {"sublinear_tf": False},
    {"ngram_range": (2, 4)},
    {"ngram_range": (1, 2), "lowercase": False},
    {"dtype": np.float32, "max_features": 200},
])
def test_equals_the_pipeline(options):
    pipeline = _pipeline(**options)
    scorer = CharNgramScorer(pipeline)
    texts = EDGE_CASES + TRAIN
    np.testing.assert_allclose(
        scorer.decision_function(texts), pipeline.decision_function(texts), atol=1e-5)


def test_small_batches_give_the_same_answer():
    pipeline = _pipeline()
    scorer = CharNgramScorer(pipeline)
    texts = EDGE_CASES + TRAIN
    np.testing.assert_allclose(
        scorer.decision_function(texts, batch=3), scorer.decision_function(texts))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_equals_the_pipeline_on_any_text(texts):
    pipeline = _PIPELINE
    np.testing.assert_allclose(
        CharNgramScorer(pipeline).decision_function(texts),
        pipeline.decision_function(texts), atol=1e-5)


_PIPELINE = _pipeline()


def test_refuses_what_it_cannot_reproduce():
    word = Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="word")),
        ("logistic", LogisticRegression()),
    ]).fit(TRAIN, LABELS)
    assert not CharNgramScorer.supports(word)
    with pytest.raises(ValueError):
        CharNgramScorer(word)
    assert not CharNgramScorer.supports(_pipeline(ngram_range=(1, 5)))
