"""Fitting a detector from labelled documents (the API behind ``detector train``).

Every document carries a group (the pair it belongs to: an original and its
spun copy share one), so cross-validation never puts two renderings of the
same text on both sides of a split.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields
from typing import Any, Callable, Sequence

import numpy as np

from detector.features import FeatureExtractor
from detector.features.window import document_features
from detector.fit.estimators import make_stage_estimators
from detector.fit.metrics import binary_metrics, threshold_for_fpr
from detector.model.context import context_matrix, logit
from detector.model.detector_model import CHARS_FAMILY, DetectorModel, dense_families
from detector.segment.paragraphs import Segment
from detector.segment.typography import normalize_typography

__all__ = ["DEFAULT_TARGET_FPR", "LabelledDocument", "MIN_CV_GROUPS", "TrainingMatrix", "featurize", "fit_detector", "grouped_folds"]


# The default threshold keeps the cross-validated false-positive rate on clean
# paragraphs at 5%: the ceiling the project holds itself to on held-out human
# text (the model's metadata lists the other operating points).
DEFAULT_TARGET_FPR = 0.05


# Fewer groups than this make cross-validated figures too noisy to report.
MIN_CV_GROUPS = 5


@dataclass(frozen=True)
class LabelledDocument:
    """Paragraphs of one document with a label each (1 = mangled), a group id,
    where it came from, and the weight of each of its paragraphs in fitting."""

    paragraphs: tuple[str, ...]
    labels: tuple[int, ...]
    group: str
    source: str = ""
    weight: float = 1.0

    def __post_init__(self) -> None:
        if len(self.paragraphs) != len(self.labels):
            raise ValueError("a LabelledDocument needs one label per paragraph")
        if not self.weight > 0:
            raise ValueError("a LabelledDocument's weight must be positive")


@dataclass(frozen=True)
class TrainingMatrix:
    """Features of many labelled documents, one row per paragraph."""

    X: np.ndarray
    texts: np.ndarray
    document_rows: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    doc_index: np.ndarray
    sources: np.ndarray
    weights: np.ndarray

    def take(self, rows: np.ndarray) -> "TrainingMatrix":
        """The rows selected by a boolean mask or an index array, in order."""
        return TrainingMatrix(*(np.asarray(getattr(self, f.name))[rows]
                                for f in fields(self)))


def paragraph_segments(paragraphs: Sequence[str]) -> list[Segment]:
    """Segments for a document given as a list of paragraphs (two newlines apart)."""
    out = []
    pos = 0
    for text in paragraphs:
        out.append(Segment(text, 1, 1, pos, pos + len(text)))
        pos += len(text) + 2
    return out


def _featurize_chunk(
    documents: Sequence[LabelledDocument], families: Sequence[str] | None, parent: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    from detector.io.lifecycle import watch_parent

    watch_parent(parent)  # a worker of --jobs ends with the run, however it ends
    extractor = FeatureExtractor(dense_families(families)).fit()
    out = []
    for doc in documents:
        feats = document_features(paragraph_segments(doc.paragraphs), extractor)
        out.append((feats.intrinsic, feats.document_rows))
    return out


def featurize(
    documents: Sequence[LabelledDocument],
    families: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    n_jobs: int = 1,
) -> TrainingMatrix:
    """Extract intrinsic and document features for every paragraph of every document.

    ``n_jobs`` > 1 spreads documents over worker processes; the result is the same.
    """
    from joblib import Parallel, delayed

    width = len(FeatureExtractor(dense_families(families)).fit().get_feature_names_out())
    chunk = 200
    batches = [documents[i:i + chunk] for i in range(0, len(documents), chunk)]
    results: list[tuple[np.ndarray, np.ndarray]] = []
    runner = Parallel(n_jobs=n_jobs, return_as="generator")
    done = 0
    parent = os.getpid()
    for part in runner(delayed(_featurize_chunk)(b, families, parent) for b in batches):
        results.extend(part)
        done += len(part)
        if progress is not None:
            progress(done, len(documents))
    ys, groups, doc_index, sources, texts, weights = [], [], [], [], [], []
    for number, doc in enumerate(documents):
        texts.extend(doc.paragraphs)
        weights.extend([doc.weight] * len(doc.labels))
        ys.extend(doc.labels)
        groups.extend([doc.group] * len(doc.labels))
        doc_index.extend([number] * len(doc.labels))
        sources.extend([doc.source] * len(doc.labels))
    return TrainingMatrix(
        X=np.vstack([r[0] for r in results]) if results else np.zeros((0, width)),
        texts=np.asarray(texts, dtype=object),
        document_rows=np.vstack([r[1] for r in results]) if results else np.zeros((0, 2)),
        y=np.asarray(ys, dtype=int),
        groups=np.asarray(groups, dtype=object),
        doc_index=np.asarray(doc_index, dtype=int),
        sources=np.asarray(sources, dtype=object),
        weights=np.asarray(weights, dtype=np.float64),
    )


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


def fit_detector(
    data: TrainingMatrix,
    *,
    families: Sequence[str] | None = None,
    seed: int = 0,
    target_fpr: float = DEFAULT_TARGET_FPR,
    n_splits: int = 5,
    metadata: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DetectorModel:
    """Fit both model stages, measure them by grouped cross-validation and pick
    the threshold that keeps the false-positive rate on clean paragraphs at
    ``target_fpr``. Every stage is fitted with the documents' weights; the
    cross-validated metrics and the threshold count every paragraph once.

    With fewer than :data:`MIN_CV_GROUPS` groups cross-validation is not
    attempted: the model is still fitted, its metrics say why they are
    missing, and the threshold falls back to 0.5. ``progress`` is called with
    (steps done, steps in all).
    """
    from sklearn.base import clone

    X, y, groups = data.X, data.y, data.groups
    if len(set(y.tolist())) < 2:
        raise ValueError("training needs both clean and mangled paragraphs")
    use_chars = families is None or CHARS_FAMILY in families
    texts = np.array([normalize_typography(t) for t in data.texts], dtype=object)
    stage1, chars, stage2 = make_stage_estimators(seed)
    n_groups = len(set(groups.tolist()))
    splits = min(n_splits, n_groups) if n_groups >= MIN_CV_GROUPS else 0
    report: dict[str, Any] = {"n_paragraphs": int(len(y)), "n_groups": n_groups,
                              "n_mangled": int(y.sum()), "n_clean": int((y == 0).sum())}

    weights = data.weights

    def fit_stage1(rows: np.ndarray) -> tuple[Any, Any]:
        features_model = clone(stage1).fit(X[rows], y[rows], sample_weight=weights[rows])
        chars_model = (clone(chars).fit(list(texts[rows]), y[rows],
                                        logistic__sample_weight=weights[rows])
                       if use_chars else None)
        if chars_model is not None and hasattr(chars_model.named_steps["tfidf"], "stop_words_"):
            # The n-grams cut by max_features (older scikit-learn keeps them) are
            # only for introspection and would make the model file tens of MB.
            del chars_model.named_steps["tfidf"].stop_words_
        return features_model, chars_model

    def stage1_logits(models: tuple[Any, Any], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        zf = logit(models[0].predict_proba(X[rows])[:, 1])
        zc = (logit(models[1].predict_proba(list(texts[rows]))[:, 1])
              if models[1] is not None else np.zeros(len(rows)))
        return zf, zc

    threshold = 0.5
    steps = 1  # the final fit; plus one per fold
    zf = np.zeros(len(y))
    zc = np.zeros(len(y))
    # A fold whose training side lacks a label cannot be fitted. That happens
    # only when one fold holds every text of a label, and then no other fold
    # measures that label: cross-validation is reported as impossible.
    folds = ([f for f in grouped_folds(groups, splits, seed) if len(set(y[f[0]].tolist())) == 2]
             if splits >= 2 else [])
    in_fold = np.zeros(len(y), dtype=bool)
    for _, test_idx in folds:
        in_fold[test_idx] = True
    why_missing = None
    if splits < 2:
        why_missing = (f"grouped cross-validation needs at least {MIN_CV_GROUPS} "
                       f"groups (pairs); got {n_groups}")
    elif len(folds) < 2 or len(set(y[in_fold].tolist())) < 2:
        why_missing = ("no fold could be fitted and measured with both labels; "
                       "add groups of the rarer label")
        folds = []
    if folds:
        steps += len(folds)
        for step, (train_idx, test_idx) in enumerate(folds, start=1):
            zf[test_idx], zc[test_idx] = stage1_logits(fit_stage1(train_idx), test_idx)
            if progress is not None:
                progress(step, steps)
        C = context_matrix(zf, zc, data.document_rows, data.doc_index)
        final_oof = np.full(len(y), np.nan)
        for train_idx, test_idx in folds:
            fitted2 = clone(stage2).fit(C[train_idx], y[train_idx],
                                        sample_weight=weights[train_idx])
            final_oof[test_idx] = fitted2.predict_proba(C[test_idx])[:, 1]
        measured = ~np.isnan(final_oof)
        threshold = threshold_for_fpr(final_oof[measured], y[measured], target_fpr)
        report["cv"] = {
            "method": f"{len(folds)}-fold cross-validation grouped by pair",
            "features_stage": binary_metrics(y[measured], 1 / (1 + np.exp(-zf[measured])), 0.5),
            "final": binary_metrics(y[measured], final_oof[measured], threshold),
        }
        report["cv"]["by_source"] = {
            source: binary_metrics(y[rows], final_oof[rows], threshold)
            for source in sorted(set(data.sources.tolist()))
            for rows in [measured & (data.sources == source)]
            if rows.any()
        }
        report["cv"]["operating_points"] = _operating_points(
            y[measured], final_oof[measured], data.sources[measured])
        if use_chars:
            report["cv"]["chars_stage"] = binary_metrics(
                y[measured], 1 / (1 + np.exp(-zc[measured])), 0.5)
    else:
        report["cv"] = {"method": None, "why_missing": why_missing}
    everything = np.arange(len(y))
    stage1_models = fit_stage1(everything)
    if progress is not None:
        progress(steps, steps)
    if not folds:  # no out-of-fold log-odds: fall back to in-sample ones
        zf, zc = stage1_logits(stage1_models, everything)
    stage2 = clone(stage2).fit(context_matrix(zf, zc, data.document_rows, data.doc_index), y,
                               sample_weight=weights)
    clean = X[y == 0]
    mangled = X[y == 1]
    clean_mean = clean.mean(axis=0)
    clean_scale = clean.std(axis=0) + 1e-9
    direction = np.sign(mangled.mean(axis=0) - clean_mean)
    info = dict(metadata or {})
    info["training"] = {**info.get("training", {}), **report, "seed": seed,
                        "target_fpr": target_fpr}
    return DetectorModel(
        paragraph=stage1_models[0],
        chars=stage1_models[1],
        context=stage2,
        feature_names=tuple(
            FeatureExtractor(dense_families(families)).fit().get_feature_names_out()
        ),
        threshold=float(threshold),
        clean_mean=clean_mean,
        clean_scale=clean_scale,
        direction=direction,
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


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A minimal progress callback drawing on stderr, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        return None

    def update(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return update
