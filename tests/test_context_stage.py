"""The context stage's fit: the members' balance from the labelled rows alone."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from detector.fit.context_stage import MEMBER_COLUMNS, ContextOnly, fit_context_stage
from detector.model.context import CONTEXT_FEATURES


def _labelled(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Context rows whose label depends on both members' log-odds."""
    rng = np.random.default_rng(seed)
    C = rng.normal(size=(n, len(CONTEXT_FEATURES)))
    z = 1.0 * C[:, MEMBER_COLUMNS[0]] + 2.0 * C[:, MEMBER_COLUMNS[1]] + 0.5 * C[:, 2]
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    return C, y, np.ones(n)


def _native(n: int, seed: int) -> ContextOnly:
    """Clean rows on which the character member fires: what native English of
    an unfamiliar register looks like to it."""
    rng = np.random.default_rng(seed)
    C = rng.normal(size=(n, len(CONTEXT_FEATURES)))
    C[:, MEMBER_COLUMNS[1]] += 2.0
    return ContextOnly(C, np.zeros(n, dtype=int), np.full(n, 2.0))


def _ratio(model: LogisticRegression) -> float:
    coef = model.coef_[0]
    return float(coef[MEMBER_COLUMNS[0]] / coef[MEMBER_COLUMNS[1]])


def test_the_members_balance_is_the_labelled_rows_own():
    C, y, w = _labelled(2000, 0)
    extra = _native(600, 1)
    labelled_only = LogisticRegression(max_iter=1000).fit(C, y, sample_weight=w)
    fitted = fit_context_stage(LogisticRegression(max_iter=1000), C, y, w, extra)
    assert _ratio(fitted) == pytest.approx(_ratio(labelled_only), rel=1e-9)
    # Fitted with the rows as they are, the character member would lose weight.
    C_all, y_all, w_all = extra.with_rows(C, y, w)
    plain = LogisticRegression(max_iter=1000).fit(C_all, y_all, sample_weight=w_all)
    chars = MEMBER_COLUMNS[1]
    assert plain.coef_[0, chars] < 0.5 * labelled_only.coef_[0, chars]
    # ... and the context-only rows still change the rest of the stage.
    assert fitted.intercept_[0] < labelled_only.intercept_[0] - 0.1


def test_the_expanded_model_scores_as_the_fit_on_the_balanced_column():
    C, y, w = _labelled(1500, 2)
    extra = _native(500, 3)
    fitted = fit_context_stage(LogisticRegression(max_iter=1000), C, y, w, extra)
    assert isinstance(fitted, LogisticRegression)
    assert fitted.coef_.shape == (1, len(CONTEXT_FEATURES))
    labelled_only = LogisticRegression(max_iter=1000).fit(C, y, sample_weight=w)
    balance = labelled_only.coef_[0, list(MEMBER_COLUMNS)]
    balance = balance / balance.sum()
    C_all, y_all, w_all = extra.with_rows(C, y, w)
    rest = [j for j in range(C.shape[1]) if j not in MEMBER_COLUMNS]
    reduced_matrix = np.column_stack([C_all[:, list(MEMBER_COLUMNS)] @ balance, C_all[:, rest]])
    reduced = LogisticRegression(max_iter=1000).fit(reduced_matrix, y_all, sample_weight=w_all)
    assert np.allclose(fitted.predict_proba(C_all), reduced.predict_proba(reduced_matrix),
                       rtol=0, atol=1e-12)


def test_without_context_only_rows_the_fit_is_the_plain_one():
    C, y, w = _labelled(800, 4)
    plain = LogisticRegression(max_iter=1000).fit(C, y, sample_weight=w)
    for extra in (None, ContextOnly(np.zeros((0, C.shape[1])), np.zeros(0, int), np.zeros(0))):
        fitted = fit_context_stage(LogisticRegression(max_iter=1000), C, y, w, extra)
        assert np.array_equal(fitted.coef_, plain.coef_)
        assert np.array_equal(fitted.intercept_, plain.intercept_)


def test_a_member_weighted_against_mangled_leaves_nothing_to_hold():
    """When the labelled fit gives a member a negative weight there is no
    balance to hold: the stage is fitted on every row as it is."""
    C, y, w = _labelled(1500, 5)
    C[:, MEMBER_COLUMNS[0]] = -C[:, MEMBER_COLUMNS[0]]  # now it leans towards 'clean'
    extra = _native(400, 6)
    fitted = fit_context_stage(LogisticRegression(max_iter=1000), C, y, w, extra)
    C_all, y_all, w_all = extra.with_rows(C, y, w)
    plain = LogisticRegression(max_iter=1000).fit(C_all, y_all, sample_weight=w_all)
    assert np.array_equal(fitted.coef_, plain.coef_)


def test_a_stage_that_is_not_linear_is_fitted_on_every_row():
    C, y, w = _labelled(600, 7)
    extra = _native(200, 8)
    estimator = HistGradientBoostingClassifier(max_iter=20, random_state=0)
    fitted = fit_context_stage(estimator, C, y, w, extra)
    C_all, y_all, w_all = extra.with_rows(C, y, w)
    plain = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(
        C_all, y_all, sample_weight=w_all)
    assert np.array_equal(fitted.predict_proba(C_all), plain.predict_proba(C_all))
