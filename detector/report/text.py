"""Linter-style text, JSON and JSON Lines from the result objects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, TextIO

from detector.io.escape import json_dumps, printable
from detector.reason_codes import describe_skip
from detector.report.wording import plural
from detector.results import DocumentResult, ParagraphResult

__all__ = ["FORMATS", "TextOptions", "paragraph_line", "render_json", "render_statistics",
           "render_text", "source_excerpt", "summary_line"]


FORMATS = ("text", "json", "jsonl", "sarif", "html")


@dataclass(frozen=True)
class TextOptions:
    """What the text format adds: the source line under each paragraph line
    (``--show-source``), or, with ``counts``, nothing but a tally of reason
    codes (``--statistics``; the counter is the run's own)."""

    show_source: bool = False
    counts: Counter | None = None


# How many reasons a text line spells out; the rest are counted.
SHOWN_REASONS = 3


def _reason_text(paragraph: ParagraphResult, limit: int = SHOWN_REASONS) -> str:
    """The reasons in words; the document context only when nothing else
    explains the flag (the summary line counts those paragraphs once)."""
    reasons = [r for r in paragraph.reasons if not r.code.startswith("ctx.")] or \
        list(paragraph.reasons)
    text = "; ".join(r.message for r in reasons[:limit])
    more = len(reasons) - limit
    return printable(text + (f" (+{more} more)" if more > 0 else ""))


def _position(paragraph: ParagraphResult) -> tuple[int, int]:
    """Where a paragraph's line points: its first reason's span, or its start."""
    first = paragraph.reasons[0] if paragraph.reasons else None
    if first is not None and first.line is not None and first.column is not None:
        return first.line, first.column
    return paragraph.line, paragraph.column


_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def _paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{_RESET}" if colour else text


def paragraph_line(path: str, paragraph: ParagraphResult, colour: bool = False) -> str:
    """``path:line:column: CODE 0.93 reason; reason`` for a flagged paragraph,
    as ruff writes a diagnostic: the code and position of its first reason;
    ``path:line:column: clean 0.12`` or ``... skipped CODE (why)`` for the
    others, a clean one followed by its reasons when it has any
    (``clean 0.16 CODE reason``; only ``--all`` shows clean paragraphs). With
    ``colour``, ANSI colours for a terminal."""
    line, column = _position(paragraph) if paragraph.score is not None else (paragraph.line,
                                                                          paragraph.column)
    where = _paint(f"{printable(path)}:{line}:{column}:", _BOLD, colour)
    if paragraph.score is None:
        code = paragraph.skipped or ""
        return f"{where} " + _paint(f"skipped {code} ({describe_skip(code)})", _DIM, colour)
    if not paragraph.flagged:
        clean = f"{where} " + _paint(f"clean {paragraph.score:.2f}", _GREEN, colour)
        if not paragraph.reasons:
            return clean
        return f"{clean} {paragraph.reasons[0].code} {_reason_text(paragraph)}"
    code = paragraph.reasons[0].code if paragraph.reasons else "model.style"
    return (f"{where} {_paint(code, _RED, colour)} {paragraph.score:.2f} "
            f"{_reason_text(paragraph)}")


def source_excerpt(text: str, paragraph: ParagraphResult, width: int = 100) -> list[str]:
    """The line a paragraph's text line points at, cut to about ``width``
    characters around it, with carets under its first reason's span
    (``--show-source``)."""
    line, column = _position(paragraph)
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return []
    source = lines[line - 1]
    first = paragraph.reasons[0] if paragraph.reasons else None
    length = 0
    if first is not None and first.start is not None and first.end is not None and first.line == line:
        length = max(1, min(first.end - first.start, len(source) - column + 1))
    begin = max(0, min(column - 1 - width // 3, len(source) - width))
    shown = source[begin:begin + width]
    prefix = "..." if begin else ""
    suffix = "..." if begin + width < len(source) else ""
    gutter = " " * len(str(line))
    out = [f"{gutter} |", f"{line} | {prefix}{printable(shown)}{suffix}"]
    if length:
        out.append(f"{gutter} | " + " " * (len(prefix) + column - 1 - begin) + "^" * min(length, width))
    return out


def summary_line(path: str, result: DocumentResult) -> str:
    """One line per file: how many prose paragraphs were flagged and the verdict."""
    path = printable(path)
    scored = result.n_scored
    skipped = result.n_paragraphs - scored
    if result.score is None:
        return f"{path}: no prose paragraphs to score ({skipped} skipped)"
    line = (
        f"{path}: {result.n_flagged} of {plural(scored, 'prose paragraph')} flagged, "
        f"{skipped} skipped; document score {result.score:.2f} ({result.label}, "
        f"threshold {result.threshold:.2f})"
    )
    context = next((r for r in result.reasons if r.code == "ctx.document"), None)
    if context is not None:
        line += f"; {printable(context.message)}"
    verdict = result.reference_verdict
    return f"{line}; {printable(verdict.message)}" if verdict else line


def render_text(path: str, result: DocumentResult, out: TextIO, show_all: bool = False,
                colour: bool = False, summary: bool = True, source: str | None = None,
                options: TextOptions | None = None) -> None:
    """Linter-style lines for the flagged paragraphs (all with ``show_all``),
    then a summary line (unless ``summary`` is False); with ``source`` (the
    document's text) and ``options.show_source``, each line's excerpt."""
    render_text_stream(path, [*result.paragraphs, result], out, show_all, colour, summary,
                       source, options)


def render_text_stream(path: str, items: Iterable[ParagraphResult | DocumentResult],
                       out: TextIO, show_all: bool = False,
                       colour: bool = False, summary: bool = True, source: str | None = None,
                       options: TextOptions | None = None) -> DocumentResult:
    """:func:`render_text` for a streamed document
    (:func:`detector.score.document.iter_document`): a line per paragraph as it
    comes, the summary line at the end; returns the summary. With
    ``options.counts``, the reason codes of flagged paragraphs are counted
    there instead of written."""
    counts = options.counts if options is not None else None
    for item in items:
        if isinstance(item, DocumentResult):
            if summary:
                out.write(summary_line(path, item) + "\n")
            return item
        if counts is not None:
            if item.flagged:
                counts.update(r.code for r in item.reasons)
            continue
        if show_all or item.flagged:
            out.write(paragraph_line(path, item, colour) + "\n")
            if source is not None and item.score is not None:
                for line in source_excerpt(source, item):
                    out.write(line + "\n")
    raise ValueError("the stream of results ended without the document summary")


def render_statistics(counts: Counter, out: TextIO) -> None:
    """``--statistics``: how often each reason code explains a flagged
    paragraph, most frequent first, with what the code means."""
    from detector.reason_codes import describe

    width = max((len(code) for code in counts), default=0)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>6}  {code:<{width}}  {describe(code)}\n")


def render_json(records: Iterable[dict], out: TextIO) -> None:
    """One JSON document with the list of per-document records (see
    :func:`detector.score.batch.output_record`)."""
    out.write(json_dumps({"files": list(records)}, indent=2) + "\n")
