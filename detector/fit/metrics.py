"""Binary classification metrics that stay honest on one-label data."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["binary_metrics", "threshold_for_fpr"]


def binary_metrics(y_true: Any, scores: Any, threshold: float) -> dict[str, float | int | None]:
    """ROC-AUC, average precision, accuracy, precision, recall, F1 and false-positive
    rate at ``threshold`` (1 = mangled). A value that cannot be computed from the
    labels present (e.g. ROC-AUC on one label) is None, never a made-up number.
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = np.asarray(y_true, dtype=int)
    s = np.asarray(scores, dtype=float)
    predicted = s >= threshold
    positives = int(y.sum())
    negatives = int(len(y) - positives)
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    both = positives > 0 and negatives > 0
    precision = tp / (tp + fp) if (tp + fp) and positives else None
    recall = tp / positives if positives else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and (precision + recall) > 0
        else (0.0 if precision is not None and recall is not None else None)
    )
    return {
        "roc_auc": float(roc_auc_score(y, s)) if both else None,
        "average_precision": float(average_precision_score(y, s)) if both else None,
        "accuracy": float(np.mean(predicted == (y == 1))) if len(y) else None,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "fpr": fp / negatives if negatives else None,
        "threshold": float(threshold),
        "n": int(len(y)),
        "n_mangled": positives,
        "n_clean": negatives,
    }


def threshold_for_fpr(scores: Any, y_true: Any, target_fpr: float) -> float:
    """The lowest threshold whose false-positive rate on the clean rows is at most
    ``target_fpr`` (flags are scores >= threshold)."""
    y = np.asarray(y_true, dtype=int)
    clean = np.sort(np.asarray(scores, dtype=float)[y == 0])
    if len(clean) == 0:
        return 0.5
    allowed = int(np.floor(target_fpr * len(clean)))
    # Flag strictly above the (allowed+1)-th highest clean score.
    above = clean[len(clean) - allowed - 1]
    return float(min(1.0, np.nextafter(above, np.inf)))
