"""Fitting a detector from a :class:`~detector.fit.training_matrix.TrainingMatrix`
(the API behind ``detector train``): both stages, grouped cross-validation and
the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from detector.features import FeatureExtractor
from detector.fit.context_stage import ContextOnly, fit_context_stage
from detector.fit.estimators import make_stage_estimators
from detector.fit.metrics import binary_metrics, threshold_for_fpr
from detector.fit.training_matrix import TrainingMatrix
from detector.model.context import context_matrix, logit, sigmoid
from detector.model.detector_model import CHARS_FAMILY, DetectorModel, dense_families
from detector.segment.typography import normalize_typography

__all__ = ["DEFAULT_TARGET_FPR", "MIN_CV_GROUPS", "OPERATING_THRESHOLDS", "fit_detector", "grouped_folds"]


# The default threshold keeps the cross-validated false-positive rate on clean
# paragraphs at 5%: the ceiling the project holds itself to on held-out human
# text (the model's metadata lists the other operating points).
DEFAULT_TARGET_FPR = 0.05


# Fewer groups than this make cross-validated figures too noisy to report.
MIN_CV_GROUPS = 5


def grouped_folds(groups: np.ndarray, n_splits: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped folds, assigned by a seeded shuffle of the distinct groups."""
    unique = np.array(sorted(set(groups.tolist())), dtype=object)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(unique))
    fold_of = {unique[i]: k % n_splits for k, i in enumerate(order)}
    assignment = np.array([fold_of[g] for g in groups])
    return [
        (np.flatnonzero(assignment != k), np.flatnonzero(assignment == k))
        for k in range(n_splits)
    ]


@dataclass(frozen=True)
class _FeatureStages:
    """The two stage-1 members (features, char n-grams) and the rows they fit on."""

    features: Any
    chars: Any | None
    X: np.ndarray
    texts: np.ndarray
    y: np.ndarray
    weights: np.ndarray

    def fit(self, rows: np.ndarray) -> tuple[Any, Any]:
        """Both members fitted on ``rows`` (the chars member is None when unused)."""
        from sklearn.base import clone

        features_model = clone(self.features).fit(self.X[rows], self.y[rows],
                                                  sample_weight=self.weights[rows])
        if self.chars is None:
            return features_model, None
        chars_model = clone(self.chars).fit(list(self.texts[rows]), self.y[rows],
                                            logistic__sample_weight=self.weights[rows])
        if hasattr(chars_model.named_steps["tfidf"], "stop_words_"):
            # The n-grams cut by max_features (older scikit-learn keeps them) are
            # only for introspection and would make the model file tens of MB.
            del chars_model.named_steps["tfidf"].stop_words_
        return features_model, chars_model

    def logits(self, models: tuple[Any, Any], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Both members' log-odds on ``rows`` (zeros for an unused chars member)."""
        return stage1_logits(models, self.X[rows], self.texts[rows])


def stage1_logits(models: tuple[Any, Any], X: np.ndarray,
                  texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Both stage-1 members' log-odds on rows of features and their
    typography-normalised texts (zeros for an unused chars member)."""
    zf = logit(models[0].predict_proba(X)[:, 1])
    zc = (logit(models[1].predict_proba(list(texts))[:, 1])
          if models[1] is not None else np.zeros(len(X)))
    return zf, zc


def _usable_folds(
    y: np.ndarray, groups: np.ndarray, n_splits: int, seed: int
) -> tuple[list[tuple[np.ndarray, np.ndarray]], str | None]:
    """The grouped folds that can be fitted and measured, or none and why not."""
    n_groups = len(set(groups.tolist()))
    splits = min(n_splits, n_groups) if n_groups >= MIN_CV_GROUPS else 0
    if splits < 2:
        return [], (f"grouped cross-validation needs at least {MIN_CV_GROUPS} "
                    f"groups (pairs); got {n_groups}")
    # A fold whose training side lacks a label cannot be fitted. That happens
    # only when one fold holds every text of a label, and then no other fold
    # measures that label: cross-validation is reported as impossible.
    folds = [f for f in grouped_folds(groups, splits, seed) if len(set(y[f[0]].tolist())) == 2]
    in_fold = np.zeros(len(y), dtype=bool)
    for _, test_idx in folds:
        in_fold[test_idx] = True
    if len(folds) < 2 or len(set(y[in_fold].tolist())) < 2:
        return [], ("no fold could be fitted and measured with both labels; "
                    "add groups of the rarer label")
    return folds, None


def _cross_validate(
    stages: _FeatureStages,
    context_stage: Any,
    data: TrainingMatrix,
    folds: list[tuple[np.ndarray, np.ndarray]],
    target_fpr: float,
    step: Callable[[int], None],
    extra: ContextOnly | None = None,
) -> tuple[np.ndarray, np.ndarray, float, dict[str, Any]]:
    """Out-of-fold stage-1 log-odds, the threshold for ``target_fpr`` and the
    cross-validated metrics of every stage; ``extra`` rows are in the training
    side of every context fold and are never measured."""
    y, weights = data.y, data.weights
    zf = np.zeros(len(y))
    zc = np.zeros(len(y))
    for number, (train_idx, test_idx) in enumerate(folds, start=1):
        zf[test_idx], zc[test_idx] = stages.logits(stages.fit(train_idx), test_idx)
        step(number)
    C = context_matrix(zf, zc, data.document_rows, data.doc_index)
    final_oof = np.full(len(y), np.nan)
    for train_idx, test_idx in folds:
        fitted = fit_context_stage(context_stage, C[train_idx], y[train_idx],
                                   weights[train_idx], extra)
        final_oof[test_idx] = fitted.predict_proba(C[test_idx])[:, 1]
    measured = ~np.isnan(final_oof)
    y_m, final_m, sources_m = y[measured], final_oof[measured], data.sources[measured]
    threshold = threshold_for_fpr(final_m, y_m, target_fpr)
    cv: dict[str, Any] = {
        "method": f"{len(folds)}-fold cross-validation grouped by pair",
        "features_stage": binary_metrics(y_m, sigmoid(zf[measured]), 0.5),
        "final": binary_metrics(y_m, final_m, threshold),
        "by_source": {
            source: binary_metrics(y_m[rows], final_m[rows], threshold)
            for source in sorted(set(sources_m.tolist()))
            for rows in [sources_m == source]
        },
        "operating_points": _operating_points(y_m, final_m, sources_m),
    }
    if stages.chars is not None:
        cv["chars_stage"] = binary_metrics(y_m, sigmoid(zc[measured]), 0.5)
    return zf, zc, threshold, cv


def _context_only(stage1_models: tuple[Any, Any], rows: TrainingMatrix) -> ContextOnly:
    """The context columns of context-only rows, from the final stage-1 models."""
    zf, zc = stage1_logits(stage1_models, rows.X,
                           [normalize_typography(t) for t in rows.texts])
    return ContextOnly(context_matrix(zf, zc, rows.document_rows, rows.doc_index),
                       rows.y, rows.weights)


def fit_detector(
    data: TrainingMatrix,
    *,
    families: Sequence[str] | None = None,
    seed: int = 0,
    target_fpr: float = DEFAULT_TARGET_FPR,
    n_splits: int = 5,
    metadata: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    context_only: np.ndarray | None = None,
) -> DetectorModel:
    """Fit both model stages, measure them by grouped cross-validation and pick
    the threshold that keeps the false-positive rate on clean paragraphs at
    ``target_fpr``. Every stage is fitted with the documents' weights; the
    cross-validated metrics and the threshold count every paragraph once.

    With fewer than :data:`MIN_CV_GROUPS` groups cross-validation is not
    attempted: the model is still fitted, its metrics say why they are
    missing, and the threshold falls back to 0.5. ``progress`` is called with
    (steps done, steps in all).

    ``context_only`` marks rows that only the context stage learns from
    (documents of a kind the paragraph stages are not fitted on, such as
    native English of other genres): their stage-1 log-odds come from the
    final stage-1 models, which never saw them; they are on the training side
    of every context fold, never measured, and take no part in the threshold.
    How far the context stage trusts each stage-1 member is learned from the
    other rows alone (:func:`~detector.fit.context_stage.fit_context_stage`).
    """
    extra_rows = None
    if context_only is not None and np.any(context_only):
        extra_rows = data.take(np.asarray(context_only, dtype=bool))
        data = data.take(~np.asarray(context_only, dtype=bool))
    X, y, groups = data.X, data.y, data.groups
    if len(set(y.tolist())) < 2:
        raise ValueError("training needs both clean and mangled paragraphs")
    use_chars = families is None or CHARS_FAMILY in families
    texts = np.array([normalize_typography(t) for t in data.texts], dtype=object)
    features_stage, chars_stage, context_stage = make_stage_estimators(seed)
    stages = _FeatureStages(features_stage, chars_stage if use_chars else None, X, texts, y,
                            data.weights)
    report: dict[str, Any] = {"n_paragraphs": int(len(y)), "n_groups": len(set(groups.tolist())),
                              "n_mangled": int(y.sum()), "n_clean": int((y == 0).sum())}
    folds, why_missing = _usable_folds(y, groups, n_splits, seed)
    steps = len(folds) + 1  # one per fold, then the final fit

    def step(done: int) -> None:
        if progress is not None:
            progress(done, steps)

    threshold = 0.5
    everything = np.arange(len(y))
    stage1_models = stages.fit(everything)
    step(1)
    extra = _context_only(stage1_models, extra_rows) if extra_rows is not None else None
    if extra_rows is not None:
        report["context_only"] = {"n_paragraphs": len(extra_rows.y),
                                  "weight": float(extra_rows.weights.sum())}
    if folds:
        zf, zc, threshold, report["cv"] = _cross_validate(
            stages, context_stage, data, folds, target_fpr, lambda done: step(done + 1), extra)
    else:
        report["cv"] = {"method": None, "why_missing": why_missing}
        zf, zc = stages.logits(stage1_models, everything)  # no out-of-fold log-odds
    context_model = fit_context_stage(
        context_stage, context_matrix(zf, zc, data.document_rows, data.doc_index), y,
        data.weights, extra)
    clean, mangled = X[y == 0], X[y == 1]
    clean_mean = clean.mean(axis=0)
    info = dict(metadata or {})
    info["training"] = {**info.get("training", {}), **report, "seed": seed,
                        "target_fpr": target_fpr}
    return DetectorModel(
        paragraph=stage1_models[0],
        chars=stage1_models[1],
        context=context_model,
        feature_names=tuple(
            FeatureExtractor(dense_families(families)).fit().get_feature_names_out()
        ),
        threshold=float(threshold),
        clean_mean=clean_mean,
        clean_scale=clean.std(axis=0) + 1e-9,
        direction=np.sign(mangled.mean(axis=0) - clean_mean),
        families=tuple(families) if families else None,
        metadata=info,
    )


OPERATING_THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def _operating_points(y: np.ndarray, scores: np.ndarray, sources: np.ndarray) -> list[dict[str, Any]]:
    """False-positive rate and recall at a few thresholds, overall and per source,
    so a user can pick their own trade-off from the model's metadata."""
    points = []
    for cut in OPERATING_THRESHOLDS:
        flagged = scores >= cut
        row: dict[str, Any] = {"threshold": cut}
        for name, rows in [("all", np.ones(len(y), dtype=bool))] + [
            (str(source), sources == source) for source in sorted(set(sources.tolist()))
        ]:
            clean, mangled = rows & (y == 0), rows & (y == 1)
            row[name] = {
                "fpr": round(float(flagged[clean].mean()), 4) if clean.any() else None,
                "recall": round(float(flagged[mangled].mean()), 4) if mangled.any() else None,
            }
        points.append(row)
    return points
