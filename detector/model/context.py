"""The context stage's columns: a paragraph's log-odds beside the evidence of the other paragraphs of its document."""

from __future__ import annotations

import numpy as np

from detector.features.document import NAMES as DOCUMENT_COLUMNS

__all__ = ["CONTEXT_FEATURES", "context_alone", "context_matrix", "logit", "rescale", "sigmoid"]


CONTEXT_FEATURES = (
    "ctx.features_logit",
    "ctx.chars_logit",
    "ctx.others_mean_logit",
    "ctx.others_flag_share",
    "ctx.others_evidence",
    "ctx.has_others",
    "ctx.log_others",
    *DOCUMENT_COLUMNS,
)


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), clipped away from infinities."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)): log-odds back to probabilities (the inverse of :func:`logit`)."""
    with np.errstate(over="ignore"):  # exp(-z) = inf for very negative z gives 0, as it should
        return 1.0 / (1.0 + np.exp(-z))


def rescale(p: np.ndarray, from_threshold: float, to_threshold: float) -> np.ndarray:
    """Probabilities shifted in log-odds so that ``from_threshold`` lands on
    ``to_threshold``: how another stage's scores share the model's threshold."""
    shift = logit(np.array([to_threshold]))[0] - logit(np.array([from_threshold]))[0]
    return sigmoid(logit(p) + shift)


def context_matrix(
    features_logits: np.ndarray,
    chars_logits: np.ndarray,
    document_rows: np.ndarray,
    doc_index: np.ndarray,
) -> np.ndarray:
    """Stage-2 features for every paragraph from the stage-1 log-odds of both members.

    ``document_rows`` holds the document-family columns (``doc.*``) per paragraph;
    ``doc_index`` says which document each paragraph belongs to. The document
    context is the mean stage-1 log-odds of the *other* paragraphs.
    """
    zf = np.asarray(features_logits, dtype=np.float64)
    zc = np.asarray(chars_logits, dtype=np.float64)
    z = (zf + zc) / 2
    n = len(z)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    _, inverse = np.unique(doc_index, return_inverse=True)
    sums = np.bincount(inverse, weights=z)
    counts = np.bincount(inverse).astype(np.float64)
    positives = np.bincount(inverse, weights=(z > 0).astype(np.float64))
    others = counts[inverse] - 1
    has = others > 0
    safe = np.where(has, others, 1)
    others_mean = np.where(has, (sums[inverse] - z) / safe, 0.0)
    columns = {
        "ctx.features_logit": zf,
        "ctx.chars_logit": zc,
        "ctx.others_mean_logit": others_mean,
        "ctx.others_flag_share": np.where(has, (positives[inverse] - (z > 0)) / safe, 0.0),
        # Many paragraphs leaning the same way are stronger evidence than one.
        "ctx.others_evidence": np.clip(others_mean * np.sqrt(others), -10, 10),
        "ctx.has_others": has.astype(np.float64),
        "ctx.log_others": np.log1p(others),
    }
    for number, name in enumerate(DOCUMENT_COLUMNS):
        columns[name] = np.minimum(document_rows[:, number], 5)
    return np.column_stack([columns[name] for name in CONTEXT_FEATURES])


# The columns of ``context_matrix`` that describe the other paragraphs.
OTHERS_COLUMNS = slice(CONTEXT_FEATURES.index("ctx.others_mean_logit"),
                       CONTEXT_FEATURES.index("ctx.log_others") + 1)


def context_alone(context: np.ndarray) -> np.ndarray:
    """The context matrix as if every paragraph were alone in its document:
    the columns about the other paragraphs (``OTHERS_COLUMNS``) zeroed."""
    alone = np.array(context, dtype=np.float64, copy=True)
    alone[:, OTHERS_COLUMNS] = 0.0
    return alone
