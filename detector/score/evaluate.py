"""Measuring a model on labelled data (the logic behind ``detector evaluate``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from detector.errors import DataError
from detector.fit.metrics import binary_metrics
from detector.io.jsonl import get_label, get_string, iter_objects
from detector.model.detector_model import DetectorModel
from detector.model.persistence import as_model
from detector.score.document import score_many
from detector.segment.paragraphs import split_paragraphs

__all__ = ["LabelledRecord", "evaluate_records", "read_labelled", "score_records"]


BATCH = 256


@dataclass(frozen=True)
class LabelledRecord:
    """A text to score as one document, its label (1 = mangled) and optional group."""

    text: str
    label: int
    group: str | None = None


def read_labelled(
    path: str | Path,
    text_field: str = "text",
    label_field: str = "label",
    group_field: str | None = None,
) -> list[LabelledRecord]:
    """Read JSON Lines (optionally gzipped) records with a text and a clean/mangled label."""
    path = Path(path)
    records = []
    for where, obj in iter_objects(path):
        text = get_string(obj, text_field, where)
        label = get_label(obj, label_field, where)
        group = None
        if group_field is not None:
            value = obj.get(group_field)
            group = "(missing)" if value is None else str(value)
        records.append(LabelledRecord(text, label, group))
    if not records:
        raise DataError(f"{path}: no records")
    return records


def score_records(records: Sequence[LabelledRecord], model: DetectorModel) -> np.ndarray:
    """The document score of every record; NaN where a record has no prose to score."""
    scores = np.full(len(records), np.nan)
    for start in range(0, len(records), BATCH):
        batch = records[start:start + BATCH]
        for k, result in enumerate(score_many([split_paragraphs(r.text) for r in batch], model=model)):
            if result.score is not None:
                scores[start + k] = result.score
    return scores


def evaluate_records(
    records: Sequence[LabelledRecord],
    model: DetectorModel | None = None,
    threshold: float | None = None,
    scores: np.ndarray | None = None,
) -> dict[str, Any]:
    """Score every record as a document and compute metrics overall and per group.

    Records with no prose to score are counted as ``n_unscored`` and left out of
    the metrics. ``scores`` (from :func:`score_records`) skips the scoring.
    """
    model = as_model(model)
    cut = model.threshold if threshold is None else float(threshold)
    if scores is None:
        scores = score_records(records, model)
    labels = np.array([r.label for r in records])
    scored = ~np.isnan(scores)
    overall = binary_metrics(labels[scored], scores[scored], cut)
    overall["n_unscored"] = int((~scored).sum())
    report: dict[str, Any] = dict(overall)
    groups = sorted({r.group for r in records if r.group is not None})
    if groups:
        names = np.array([r.group for r in records], dtype=object)
        report["groups"] = {}
        for group in groups:
            rows = scored & (names == group)
            report["groups"][group] = binary_metrics(labels[rows], scores[rows], cut)
    return report
