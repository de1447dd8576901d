"""Fitting the round-trip member (``detector.model.members``).

The member's two stages are the main model's estimators (gradient boosting on
the feature columns, a logistic regression on the document context), fitted
with unit weights on native English and human references (clean) against
their round trips. Its threshold is chosen out of fold, by grouped
cross-validation, on the native English rows alone: translations by people
read unlike native English, and the false-positive budget is about the text
users actually run the tool on.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from detector.fit.detector_fitting import MIN_CV_GROUPS, grouped_folds

from detector.fit.training_matrix import TrainingMatrix
from detector.fit.estimators import make_stage_estimators
from detector.fit.metrics import binary_metrics, threshold_for_fpr
from detector.model.context import context_matrix, logit, sigmoid
from detector.model.members import RoundTripMember

__all__ = ["ROUNDTRIP_TARGET_FPR", "fit_roundtrip_member"]


# The member adds its false positives to the main model's: kept small.
ROUNDTRIP_TARGET_FPR = 0.005


def fit_roundtrip_member(
    data: TrainingMatrix,
    native_clean: np.ndarray,
    *,
    seed: int = 0,
    target_fpr: float = ROUNDTRIP_TARGET_FPR,
    n_splits: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[RoundTripMember, dict[str, Any]]:
    """Fit the member on ``data`` (its rows only) and return it with its
    cross-validated report. ``native_clean`` marks the rows whose
    out-of-fold false-positive rate the threshold holds at ``target_fpr``."""
    from sklearn.base import clone

    X, y = data.X, data.y
    native_clean = np.asarray(native_clean, dtype=bool) & (y == 0)
    if len(set(y.tolist())) < 2 or not native_clean.any():
        raise ValueError("the round-trip member needs round trips and native clean paragraphs")
    paragraph, _, context = make_stage_estimators(seed)
    n_groups = len(set(data.groups.tolist()))
    if n_groups < MIN_CV_GROUPS:
        raise ValueError(f"the round-trip member needs at least {MIN_CV_GROUPS} groups")
    folds = [f for f in grouped_folds(data.groups, min(n_splits, n_groups), seed)
             if len(set(y[f[0]].tolist())) == 2]
    if len(folds) < 2:
        raise ValueError("no two folds of the round-trip member hold both labels")
    z = np.zeros(len(y))
    steps = len(folds) + 1
    for step, (train, test) in enumerate(folds, start=1):
        z[test] = logit(clone(paragraph).fit(X[train], y[train]).predict_proba(X[test])[:, 1])
        if progress is not None:
            progress(step, steps)
    C = context_matrix(z, z, data.document_rows, data.doc_index)
    oof = np.full(len(y), np.nan)
    for train, test in folds:
        oof[test] = clone(context).fit(C[train], y[train]).predict_proba(C[test])[:, 1]
    measured = ~np.isnan(oof)
    threshold = threshold_for_fpr(oof[measured & native_clean], y[measured & native_clean],
                                  target_fpr)
    report: dict[str, Any] = {
        "n_paragraphs": int(len(y)), "n_groups": n_groups, "n_mangled": int(y.sum()),
        "target_fpr": target_fpr,
        "cv": {
            "method": f"{len(folds)}-fold cross-validation grouped by document",
            "paragraph_stage": binary_metrics(y[measured], sigmoid(z[measured]), 0.5),
            "final": binary_metrics(y[measured], oof[measured], threshold),
            "by_source": {
                source: binary_metrics(y[rows], oof[rows], threshold)
                for source in sorted(set(data.sources.tolist()))
                for rows in [measured & (data.sources == source)]
                if rows.any()
            },
        },
    }
    fitted = clone(paragraph).fit(X, y)
    # Stage 2 learns from out-of-fold log-odds, as it will see unseen text.
    stage2 = clone(context).fit(C, y)
    if progress is not None:
        progress(steps, steps)
    return RoundTripMember(fitted, stage2, float(threshold)), report
