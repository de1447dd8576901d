"""Fitting the reference stage: the classifier that decides, from how a paragraph
differs from its best candidate in the reference, whether the candidate is its
source and whether the paragraph was spun from it. Used only when a reference
is given.

Training data are *cases*: a suspect document (paragraphs, each labelled 1 when
it belongs to a spun or round-tripped copy), the reference documents it is
matched against (its original first, among distractors), and, where known,
which paragraph of the original each paragraph came from. Every case is
matched and aligned exactly as scoring does (:func:`featurize_cases`). Each
paragraph with a candidate becomes one row of one of three classes:
:data:`NO_SOURCE` (the candidate is not its source), :data:`FAITHFUL` (a copy
or light edit of its source) or :data:`SPUN`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from detector.fit.metrics import binary_metrics, threshold_for_fpr
from detector.model.detector_model import ReferenceStage
from detector.reference.features import NAMES, reference_features
from detector.reference.index import ReferenceIndex

__all__ = ["REFERENCE_TARGET_FPR", "ReferenceCase", "ReferenceMatrix", "featurize_cases", "fit_reference_stage", "make_reference_estimators"]


# A paragraph with a known source carries much stronger evidence than one
# without, so reference mode is held to a lower false-positive rate on
# (lightly edited or copied) clean paragraphs.
REFERENCE_TARGET_FPR = 0.02


NO_SOURCE, FAITHFUL, SPUN = 0, 1, 2


# A candidate is taken as the source when P(source) is at least this.
MATCH_CUTOFF = 0.5


@dataclass(frozen=True)
class ReferenceCase:
    """A suspect document, its labels, and the reference documents to match it against."""

    paragraphs: tuple[str, ...]
    labels: tuple[int, ...]
    references: tuple[tuple[str, str], ...]
    group: str
    kind: str
    sources: tuple[int | None, ...] | None = None
    weight: float = 1.0

    def __post_init__(self) -> None:
        if len(self.paragraphs) != len(self.labels):
            raise ValueError("a ReferenceCase needs one label per paragraph")
        if self.sources is not None and len(self.sources) != len(self.paragraphs):
            raise ValueError("a ReferenceCase needs one source (or None) per paragraph")


@dataclass(frozen=True)
class ReferenceMatrix:
    """Alignment features of the matched paragraphs of many cases."""

    X: np.ndarray
    y: np.ndarray  # NO_SOURCE, FAITHFUL or SPUN
    groups: np.ndarray
    kinds: np.ndarray
    weights: np.ndarray
    n_unmatched: dict[str, int]


def _featurize_case(case: ReferenceCase) -> tuple[np.ndarray, np.ndarray]:
    """Alignment rows of a case and the class of each (-1: no candidate at all)."""
    index = ReferenceIndex(case.references)
    offsets = []
    position = 0
    for paragraph in case.paragraphs:
        offsets.append(position)
        position += len(paragraph) + 2
    matrix, _, matches = reference_features(index, case.paragraphs, offsets)
    original = case.references[0][0] if case.references else None
    classes = []
    for k, match in enumerate(matches):
        if match is None:
            classes.append(-1)
            continue
        expected = case.sources[k] if case.sources is not None else "any"
        right = expected == "any" or any(
            s.reference == original and s.paragraph == expected for s in match.sources)
        classes.append((SPUN if case.labels[k] else FAITHFUL) if right else NO_SOURCE)
    return matrix, np.asarray(classes, dtype=int)


def featurize_cases(
    cases: Sequence[ReferenceCase],
    n_jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ReferenceMatrix:
    """Match and align every case; keep the rows of paragraphs that have a candidate."""
    if n_jobs != 1:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, batch_size=16)(
            delayed(_featurize_case)(case) for case in cases)
    else:
        results = []
        for k, case in enumerate(cases, start=1):
            results.append(_featurize_case(case))
            if progress is not None:
                progress(k, len(cases))
    rows, labels, groups, kinds, weights = [], [], [], [], []
    unmatched: dict[str, int] = {}
    for case, (matrix, y) in zip(cases, results):
        keep = y >= 0
        unmatched[case.kind] = unmatched.get(case.kind, 0) + int((~keep).sum())
        rows.append(matrix[keep])
        labels.append(y[keep])
        groups.extend([case.group] * int(keep.sum()))
        kinds.extend([case.kind] * int(keep.sum()))
        weights.extend([case.weight] * int(keep.sum()))
    return ReferenceMatrix(
        X=np.vstack(rows) if rows else np.zeros((0, len(NAMES))),
        y=np.concatenate(labels) if labels else np.zeros(0, dtype=int),
        groups=np.asarray(groups, dtype=object),
        kinds=np.asarray(kinds, dtype=object),
        weights=np.asarray(weights, dtype=np.float64),
        n_unmatched=unmatched,
    )


# Features whose growth can only make a candidate more likely the source: the
# source decision is constrained to be monotone in them, so what the simulated
# training data under-represents (a weak match in the right place, as in a
# copy of another version of a story) is not learned backwards.
SOURCE_EVIDENCE = (
    "ref.cosine", "ref.coverage", "ref.kept", "ref.source_kept", "ref.longest_equal",
    "ref.shared_phrases", "ref.immutables_kept", "ref.neighbour_consistent",
    "ref.doc_strong_share", "ref.reciprocal",
)


def make_reference_estimators(random_state: int) -> tuple[Any, Any]:
    """Fresh, unfitted source-decision and spin-decision classifiers."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    settings: dict[str, Any] = dict(
        max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=30,
        l2_regularization=1.0, early_stopping=False, random_state=random_state)
    monotone = [1 if name in SOURCE_EVIDENCE else 0 for name in NAMES]
    return (HistGradientBoostingClassifier(monotonic_cst=monotone, **settings),
            HistGradientBoostingClassifier(**settings))


def fit_reference_stage(
    data: ReferenceMatrix,
    *,
    seed: int = 0,
    target_fpr: float = REFERENCE_TARGET_FPR,
    n_splits: int = 5,
) -> tuple[ReferenceStage, dict[str, Any]]:
    """Fit the reference stage and measure it by grouped cross-validation. The
    threshold keeps the cross-validated false-positive rate on faithful copies
    (rows whose candidate is their source) at ``target_fpr``. The report has the
    source decision, the spin decision, and both per kind of case."""
    from sklearn.base import clone

    from detector.fit.detector_fitting import grouped_folds

    X, y = data.X, data.y
    if not {FAITHFUL, SPUN} <= set(y.tolist()):
        raise ValueError("the reference stage needs matched paragraphs of both labels")
    is_source = (y != NO_SOURCE).astype(int)
    is_spun = (y == SPUN).astype(int)
    source_model, spin_model = make_reference_estimators(seed)
    source_oof = np.full(len(y), np.nan)
    spin_oof = np.full(len(y), np.nan)
    for train_idx, test_idx in grouped_folds(data.groups, n_splits, seed):
        sourced = train_idx[is_source[train_idx] == 1]
        if len(set(is_source[train_idx].tolist())) < 2 or len(set(is_spun[sourced].tolist())) < 2:
            continue
        fitted = clone(source_model).fit(X[train_idx], is_source[train_idx],
                                         sample_weight=data.weights[train_idx])
        source_oof[test_idx] = fitted.predict_proba(X[test_idx])[:, 1]
        fitted = clone(spin_model).fit(X[sourced], is_spun[sourced],
                                       sample_weight=data.weights[sourced])
        spin_oof[test_idx] = fitted.predict_proba(X[test_idx])[:, 1]
    measured = ~np.isnan(source_oof)
    sourced_rows = measured & (is_source == 1)
    threshold = threshold_for_fpr(spin_oof[sourced_rows], is_spun[sourced_rows], target_fpr)
    report: dict[str, Any] = {
        "method": f"{n_splits}-fold cross-validation grouped by case",
        "n_paragraphs": int(len(y)),
        "no_candidate_by_kind": dict(sorted(data.n_unmatched.items())),
        "source": binary_metrics(is_source[measured], source_oof[measured], MATCH_CUTOFF),
        "spin": binary_metrics(is_spun[sourced_rows], spin_oof[sourced_rows], threshold),
        "by_kind": {},
        "target_fpr": target_fpr,
    }
    for kind in sorted(set(data.kinds.tolist())):
        rows = measured & (data.kinds == kind)
        spun_rows = rows & (is_source == 1)
        report["by_kind"][kind] = {
            "paragraphs": int(rows.sum()),
            "source_found": float(np.mean(source_oof[rows] >= MATCH_CUTOFF))
            if rows.any() else None,
            "right_source": float(np.mean(is_source[rows])) if rows.any() else None,
            "spin": binary_metrics(is_spun[spun_rows], spin_oof[spun_rows], threshold)
            if spun_rows.any() else None,
        }
    everything = is_source == 1
    stage = ReferenceStage(
        threshold=float(threshold),
        source_model=clone(source_model).fit(X, is_source, sample_weight=data.weights),
        spin_model=clone(spin_model).fit(X[everything], is_spun[everything],
                                         sample_weight=data.weights[everything]),
    )
    return stage, report
