"""Measuring a model on labelled data (the logic behind ``detector evaluate``)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from .metrics import binary_metrics
from .model import DetectorModel, load_model
from .scoring import score_many
from .text import split_paragraphs

__all__ = ["DataError", "LabelledRecord", "read_labelled", "evaluate_records", "LABELS"]

LABELS = {"clean": 0, "mangled": 1}
BATCH = 256


class DataError(ValueError):
    """Labelled data that cannot be used, with the file and line at fault."""


@dataclass(frozen=True)
class LabelledRecord:
    """A text to score as one document, its label (1 = mangled) and optional group."""

    text: str
    label: int
    group: str | None = None


def _open_lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            yield from handle
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None


def read_labelled(
    path: str | Path,
    text_field: str = "text",
    label_field: str = "label",
    group_field: str | None = None,
) -> list[LabelledRecord]:
    """Read JSON Lines (optionally gzipped) records with a text and a clean/mangled label."""
    path = Path(path)
    records = []
    for number, line in enumerate(_open_lines(path), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise DataError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise DataError(f"{where}: expected a JSON object")
        text = obj.get(text_field)
        if not isinstance(text, str):
            raise DataError(f"{where}: field '{text_field}' missing or not a string")
        label = obj.get(label_field)
        if not isinstance(label, str) or label not in LABELS:
            raise DataError(
                f"{where}: field '{label_field}' must be 'clean' or 'mangled', not {label!r}"
            )
        group = None
        if group_field is not None:
            value = obj.get(group_field)
            group = "(missing)" if value is None else str(value)
        records.append(LabelledRecord(text, LABELS[label], group))
    if not records:
        raise DataError(f"{path}: no records")
    return records


def evaluate_records(
    records: Sequence[LabelledRecord],
    model: DetectorModel | None = None,
    threshold: float | None = None,
) -> dict[str, Any]:
    """Score every record as a document and compute metrics overall and per group.

    Records with no prose to score are counted as ``n_unscored`` and left out of
    the metrics.
    """
    model = model or load_model()
    cut = model.threshold if threshold is None else float(threshold)
    scores = np.full(len(records), np.nan)
    for start in range(0, len(records), BATCH):
        batch = records[start:start + BATCH]
        results = score_many([split_paragraphs(r.text) for r in batch], model=model, threshold=cut)
        for k, result in enumerate(results):
            if result.score is not None:
                scores[start + k] = result.score
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
