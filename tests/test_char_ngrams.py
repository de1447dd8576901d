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


def test_a_vocabulary_of_many_scripts_equals_the_pipeline():
    # over 255 distinct characters: 16-bit character ids and 64-bit n-gram numbers
    rng = np.random.default_rng(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4F40)] + list("abcdefghij ")
    train = ["".join(rng.choice(alphabet, size=60)) for _ in range(40)]
    labels = [i % 2 for i in range(40)]
    pipeline = Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 4), min_df=1, sublinear_tf=True)),
        ("logistic", LogisticRegression(max_iter=1000)),
    ]).fit(train, labels)
    assert len({ch for term in pipeline.named_steps["tfidf"].vocabulary_ for ch in term}) > 255
    texts = train[:5] + ["".join(rng.choice(alphabet, size=90)) for _ in range(5)] + EDGE_CASES
    np.testing.assert_allclose(CharNgramScorer(pipeline).decision_function(texts),
                               pipeline.decision_function(texts), atol=1e-9)


def test_vocabulary_tables_find_every_term_whatever_its_column():
    from detector.model.char_keys import VocabularyTables, pack_term

    terms = ["a", "b", "ab", "ba", "abc", "cab", "abcd", "dcba", "é", "éa"]
    columns = np.array([70_000 + 3 * i for i in range(len(terms))], dtype=np.int64)  # past 16 bits
    keys = np.array([pack_term(t) for t in terms], dtype=np.uint64)
    order = np.argsort(keys)
    tables = VocabularyTables.build(keys[order], columns[order])
    assert not tables.narrow
    for term, column in zip(terms, columns):
        codes = tables.dense[np.frombuffer(term.encode("utf-32-le"), dtype=np.uint32)]
        assert tables.columns_of(codes, np.array([0]), len(term)).tolist() == [column]
    for other in ["c", "ca", "bca", "abce", "z", "zé"]:  # not terms; 'z' is in no term at all
        codes = tables.dense[np.frombuffer(other.encode("utf-32-le"), dtype=np.uint32)]
        assert tables.columns_of(codes, np.array([0]), len(other)).tolist() == [-1]
