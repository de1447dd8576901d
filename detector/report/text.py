"""Linter-style text, JSON and JSON Lines from the result objects."""

from __future__ import annotations

from typing import Iterable, TextIO

from detector.io.escape import json_dumps, printable
from detector.reason_codes import describe_skip
from detector.results import DocumentResult, ParagraphResult

__all__ = ["FORMATS", "render_json", "render_text", "summary_line"]


FORMATS = ("text", "json", "jsonl", "sarif", "html")


def _reason_text(paragraph: ParagraphResult, limit: int = 3) -> str:
    return printable("; ".join(r.message for r in paragraph.reasons[:limit]))


_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def _paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{_RESET}" if colour else text


def paragraph_line(path: str, paragraph: ParagraphResult, colour: bool = False) -> str:
    """``path:line: 0.93 mangled  reason; reason`` (or clean / skipped); with
    ``colour``, ANSI colours for a terminal."""
    where = _paint(f"{printable(path)}:{paragraph.line}:", _BOLD, colour)
    if paragraph.score is None:
        why = f"{paragraph.skipped}: {describe_skip(paragraph.skipped or '')}"
        return f"{where} " + _paint(f"-    skipped ({why})", _DIM, colour)
    label = (_paint("mangled", _RED, colour) if paragraph.flagged
             else _paint("clean", _GREEN, colour))
    reasons = _reason_text(paragraph) if paragraph.flagged else ""
    line = f"{where} {paragraph.score:.2f} {label}"
    return f"{line}  {reasons}" if reasons else line


def summary_line(path: str, result: DocumentResult) -> str:
    """One line per file: how many prose paragraphs were flagged and the verdict."""
    path = printable(path)
    scored = result.n_scored
    skipped = result.n_paragraphs - scored
    if result.score is None:
        return f"{path}: no prose paragraphs to score ({skipped} skipped)"
    line = (
        f"{path}: {result.n_flagged} of {scored} prose paragraphs flagged, "
        f"{skipped} skipped; document score {result.score:.2f} ({result.label}, "
        f"threshold {result.threshold:.2f})"
    )
    verdict = result.reference_verdict
    return f"{line}; {printable(verdict.message)}" if verdict else line


def render_text(path: str, result: DocumentResult, out: TextIO, show_all: bool = False,
                colour: bool = False) -> None:
    """Linter-style lines for the flagged paragraphs (all with ``show_all``), then a summary."""
    render_text_stream(path, [*result.paragraphs, result], out, show_all, colour)


def render_text_stream(path: str, items: Iterable[ParagraphResult | DocumentResult],
                       out: TextIO, show_all: bool = False,
                       colour: bool = False) -> DocumentResult:
    """:func:`render_text` for a streamed document
    (:func:`detector.score.document.iter_document`): a line per paragraph as it
    comes, the summary line at the end; returns the summary."""
    for item in items:
        if isinstance(item, DocumentResult):
            out.write(summary_line(path, item) + "\n")
            return item
        if show_all or item.flagged:
            out.write(paragraph_line(path, item, colour) + "\n")
    raise ValueError("the stream of results ended without the document summary")


def render_json(records: Iterable[dict], out: TextIO) -> None:
    """One JSON document with the list of per-document records (see
    :func:`detector.score.batch.output_record`)."""
    out.write(json_dumps({"files": list(records)}, indent=2) + "\n")
