"""The array forms of the stage classifiers give scikit-learn's probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from detector.model.arrays import LinearModel, TreeEnsemble, as_arrays_model, scoring_form
from detector.model.persistence import default_model_path, load_model

WIDTH = 6


def _data(seed: int = 0, n: int = 600) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, WIDTH))
    y = ((X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(scale=0.5, size=n)) > 0).astype(int)
    X[rng.random(X.shape) < 0.1] = np.nan  # missing values make missing_go_to_left matter
    return X, y


@pytest.fixture(scope="module")
def trees() -> HistGradientBoostingClassifier:
    X, y = _data()
    return HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=15, min_samples_leaf=5,
                                          random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def linear() -> LogisticRegression:
    X, y = _data()
    return LogisticRegression().fit(np.nan_to_num(X), y)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
rows = hnp.arrays(np.float64, st.tuples(st.integers(1, 30), st.just(WIDTH)),
                  elements=st.one_of(finite, st.just(np.nan)))


@settings(max_examples=60, deadline=None)
@given(X=rows)
def test_trees_equal_scikit_learn(trees, X):
    expected = trees.predict_proba(X)
    got = TreeEnsemble.from_hist_gradient_boosting(trees).predict_proba(X)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(X=hnp.arrays(np.float64, st.tuples(st.integers(1, 30), st.just(WIDTH)), elements=finite))
def test_linear_equals_scikit_learn(linear, X):
    np.testing.assert_allclose(LinearModel.from_logistic_regression(linear).predict_proba(X),
                               linear.predict_proba(X), rtol=0, atol=1e-9)


def test_arrays_round_trip(trees, linear):
    X, _ = _data(seed=1, n=300)
    ensemble = as_arrays_model(trees)
    again = TreeEnsemble.from_arrays(ensemble.to_arrays("p"), "p")
    np.testing.assert_array_equal(again.predict_proba(X), ensemble.predict_proba(X))
    weights = as_arrays_model(linear)
    assert isinstance(weights, LinearModel)
    restored = LinearModel.from_arrays(weights.to_arrays("c"), "c")
    np.testing.assert_array_equal(restored.predict_proba(np.nan_to_num(X)),
                                  weights.predict_proba(np.nan_to_num(X)))


def test_broken_arrays_are_refused(trees):
    arrays = as_arrays_model(trees).to_arrays("p")
    for key, value in [("p.left", np.full_like(arrays["p.left"], 10**9)),
                       ("p.roots", np.array([-1])),
                       ("p.value", arrays["p.value"][:-1]),
                       ("p.scalars", np.array([0.0, 1000.0]))]:
        with pytest.raises(ValueError):
            TreeEnsemble.from_arrays({**arrays, key: value}, "p")
    with pytest.raises(ValueError, match="p.feature is missing"):
        TreeEnsemble.from_arrays({k: v for k, v in arrays.items() if k != "p.feature"}, "p")


def test_other_estimators_keep_their_own_form():
    from sklearn.tree import DecisionTreeClassifier

    X, y = _data()
    tree = DecisionTreeClassifier(max_depth=2).fit(np.nan_to_num(X), y)
    with pytest.raises(ValueError, match="no array form"):
        as_arrays_model(tree)
    assert scoring_form(tree) is tree


def test_shipped_model_arrays_equal_its_scikit_learn_stages(seed_clean, seed_mangled, tmp_path):
    """The arrays the shipped model file loads from against the scikit-learn
    estimators stored beside them in the same file."""
    import shutil
    import zipfile

    from detector.features import FeatureExtractor
    from detector.model.array_file import ARRAYS_MEMBER
    from detector.segment.paragraphs import split_paragraphs

    shipped = load_model(default_model_path())
    copy = tmp_path / "skops_only.skops"
    with zipfile.ZipFile(default_model_path()) as source, zipfile.ZipFile(copy, "w") as target:
        for name in source.namelist():
            if name != ARRAYS_MEMBER:
                target.writestr(name, source.read(name))
    if default_model_path().with_suffix(".json").exists():  # a format-4 model's metadata
        shutil.copy(default_model_path().with_suffix(".json"), copy.with_suffix(".json"))
    fitted = load_model(copy)
    assert type(fitted.paragraph).__name__ == "HistGradientBoostingClassifier"
    assert isinstance(shipped.paragraph, TreeEnsemble)

    paragraphs = [s.text for path in (seed_clean, seed_mangled)
                  for s in split_paragraphs(path.read_text(encoding="utf-8"))
                  if s.skipped is None]
    X = FeatureExtractor(shipped.families).fit().transform(paragraphs)
    rng = np.random.default_rng(0)
    X = np.vstack([X, X[rng.integers(0, len(X), 500)] + rng.normal(scale=0.3, size=(500, X.shape[1]))])
    C = rng.normal(scale=3, size=(300, fitted.context.coef_.shape[1]))
    pairs = [(shipped.paragraph, fitted.paragraph, X), (shipped.context, fitted.context, C)]
    for name in ("roundtrip", "spin"):
        mine, theirs = getattr(shipped, name), getattr(fitted, name)
        pairs += [(mine.paragraph, theirs.paragraph, X), (mine.context, theirs.context, C)]
    for arrays, estimator, data in pairs:
        np.testing.assert_allclose(arrays.predict_proba(data), estimator.predict_proba(data),
                                   rtol=0, atol=1e-9)
    np.testing.assert_allclose(shipped.chars.decision_function(paragraphs),
                               fitted.chars.decision_function(paragraphs), rtol=0, atol=1e-6)
