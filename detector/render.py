"""Renderers: the same result objects as linter-style text, JSON and JSON Lines."""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from .results import DocumentResult, ParagraphResult

__all__ = [
    "FORMATS", "METRIC_COLUMNS", "metric_cell", "render_text", "render_json", "render_jsonl",
    "summary_line",
]

FORMATS = ("text", "json", "jsonl")


def _reason_text(paragraph: ParagraphResult, limit: int = 3) -> str:
    return "; ".join(r.message for r in paragraph.reasons[:limit])


def paragraph_line(path: str, paragraph: ParagraphResult) -> str:
    """``path:line: 0.93 mangled  reason; reason`` (or clean / skipped)."""
    if paragraph.score is None:
        return f"{path}:{paragraph.line}: -    skipped ({paragraph.skipped})"
    label = "mangled" if paragraph.flagged else "clean"
    reasons = _reason_text(paragraph) if paragraph.flagged else ""
    line = f"{path}:{paragraph.line}: {paragraph.score:.2f} {label}"
    return f"{line}  {reasons}" if reasons else line


def summary_line(path: str, result: DocumentResult) -> str:
    """One line per file: how many prose paragraphs were flagged and the verdict."""
    scored = sum(p.score is not None for p in result.paragraphs)
    skipped = len(result.paragraphs) - scored
    if result.score is None:
        return f"{path}: no prose paragraphs to score ({skipped} skipped)"
    return (
        f"{path}: {len(result.flagged_paragraphs)} of {scored} prose paragraphs flagged, "
        f"{skipped} skipped; document score {result.score:.2f} ({result.label}, "
        f"threshold {result.threshold:.2f})"
    )


def render_text(path: str, result: DocumentResult, out: TextIO, show_all: bool = False) -> None:
    """Linter-style lines for the flagged paragraphs (all with ``show_all``), then a summary."""
    for paragraph in result.paragraphs:
        if show_all or paragraph.flagged:
            out.write(paragraph_line(path, paragraph) + "\n")
    out.write(summary_line(path, result) + "\n")


def document_record(path: str, result: DocumentResult) -> dict:
    """The JSON object for one file: its path and the full result."""
    return {"path": path, **result.to_dict()}


def render_json(items: Iterable[tuple[str, DocumentResult]], out: TextIO) -> None:
    """One JSON document with a list of file results."""
    json.dump({"files": [document_record(p, r) for p, r in items]}, out, indent=2,
              ensure_ascii=False)
    out.write("\n")


def render_jsonl(path: str, result: DocumentResult, out: TextIO) -> None:
    """One JSON object per line per file."""
    out.write(json.dumps(document_record(path, result), ensure_ascii=False) + "\n")


METRIC_COLUMNS = ("roc_auc", "accuracy", "precision", "recall", "f1", "fpr", "n")


def metric_cell(value: object) -> str:
    """One metric for a plain-text table: three decimals, '-' when undefined."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
