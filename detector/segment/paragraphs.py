"""Cutting text into paragraphs (segments) with their lines and spans, and classifying lines that are not prose."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from detector.io.markup import closes_fence, opening_fence
from detector.segment.nonprose import line_reason, paragraph_reason
from detector.segment.tokens import WORD_RE
from detector.segment.typography import normalize_typography

__all__ = ["Segment", "iter_paragraphs", "split_paragraphs"]


@dataclass(frozen=True)
class Segment:
    """A paragraph of the input: its text, 1-based lines, character span, skip
    reason, and the 1-based column of its first character."""

    text: str
    line: int
    end_line: int
    start: int
    end: int
    skipped: str | None = None
    column: int = 1

    def locate(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset of the document
        inside this paragraph."""
        relative = min(max(offset - self.start, 0), len(self.text))
        newline = self.text.rfind("\n", 0, relative)
        if newline < 0:
            return self.line, self.column + relative
        return self.line + self.text.count("\n", 0, relative), relative - newline


_URL = re.compile(r"^\s*(?:<)?(?:https?://|www\.)\S+\s*(?:>)?\s*$", re.I)


_TIMESTAMP = re.compile(
    r"^\s*(?:(?:date|updated|published|posted)\s*:?\s*)?"
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*$",
    re.I,
)


_SEPARATOR = re.compile(r"^\s*[-_=*~#+.\u2013\u2014\u2022]{3,}\s*$")


_AGENCY = r"(?:AP|Reuters|AFP|Getty Images|Pool|EPA|PA)"


_PHOTO_CREDIT = re.compile(
    r"\((?:[^()]{0,80}/)?[^()]{0,40}\b" + _AGENCY + r"(?: Photo)?\)\s*$"
    r"|\(" + _AGENCY + r"\s+(?:Photo|Images?)\s*/[^()]{1,60}\)\s*$"
    r"|^\s*(?:photo|image|picture)\s*(?:credit)?\s*:",
    re.I,
)


# "By Jane Smith" or "By Jane Smith, Associated Press": the names are
# capitalised and any tail after the comma is a short title, not a sentence
# ("By Sunday, more than 100 people had died ..." is prose).
_BYLINE = re.compile(
    r"^\s*(?:By|BY)\s+[A-Z][\w.'-]*(?:\s+(?:and\s+)?[A-Z][\w.'-]*){0,4}"
    r"\s*(?:[,|]\s*[\w.'&-]+(?:\s+[\w.'&-]+){0,4}\s*)?$"
    r"|contributed to this (?:report|story|article)\.?\s*$",
)


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")


# Skipped lines of these kinds that follow each other form one segment.
_MERGED_SKIPS = ("code", "table", "markup")


def skip_reason(line: str) -> str | None:
    """Why a single line is not prose (a reason code), or None if it is prose."""
    stripped = line.strip()
    if _URL.match(stripped):
        return "url"
    if _TIMESTAMP.match(stripped):
        return "timestamp"
    if _SEPARATOR.match(stripped):
        return "separator"
    kind = line_reason(stripped)
    if kind is not None:
        return kind
    if len(WORD_RE.findall(stripped)) <= 2:
        from detector.segment.language import foreign_script

        return "not_english" if foreign_script(stripped) else "too_short"
    if _PHOTO_CREDIT.search(stripped):
        return "photo_credit"
    if _BYLINE.search(stripped):
        return "byline"
    return None


_Line = tuple[int, int, int, str]  # line number, start, end (newline excluded), normalised text


def _text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (split on newlines, without them), lazily: a
    100 MB text is never copied whole."""
    pos = 0
    while (end := text.find("\n", pos)) >= 0:
        yield text[pos:end]
        pos = end + 1
    yield text[pos:]


def _one_paragraph_per_line(lines: list[str]) -> bool:
    """True when a block of lines holds one paragraph per line, not hard-wrapped prose."""
    if len(lines) < 2:
        return False
    ended = sum(1 for ln in lines if _SENTENCE_END.search(ln))
    return ended / len(lines) >= 0.6


def _continues(prose: list[_Line], line: str) -> bool:
    """True when a short line is the tail of a hard-wrapped sentence ("the month.")."""
    if not prose or _SENTENCE_END.search(prose[-1][3]):
        return False
    first = line.lstrip()[:1]
    return first.islower()


def _column(text: str, offset: int) -> int:
    """The 1-based column of a character offset of ``text``."""
    return offset - text.rfind("\n", 0, offset)


def _trimmed(line: _Line) -> tuple[int, int]:
    """The span of a line without its leading and trailing white space."""
    _, start, end, norm = line
    return start + len(norm) - len(norm.lstrip()), end - (len(norm) - len(norm.rstrip()))


def _prose_segments(text: str, prose: list[_Line]) -> list[Segment]:
    """The paragraphs of a run of prose lines: one per line when the run puts
    one paragraph per line, else one; each checked for code, markup, numbers."""
    if _one_paragraph_per_line([line[3] for line in prose]):
        groups = [[line] for line in prose]
    else:
        groups = [prose]
    out = []
    for group in groups:
        start, end = _trimmed(group[0])[0], _trimmed(group[-1])[1]
        line = group[0][0]
        for piece_start, piece_end in _pieces(text, start, end):
            line += text.count("\n", start, piece_start)
            end_line = line + text.count("\n", piece_start, piece_end)
            piece = text[piece_start:piece_end]
            out.append(Segment(piece, line, end_line, piece_start, piece_end,
                               paragraph_reason(normalize_typography(piece)),
                               _column(text, piece_start)))
            start = piece_start
    return out


# A paragraph longer than this (the longest in the training corpora has 3,501
# characters) is cut at sentence ends into pieces of at most this length, each
# scored on its own: a book or a web page with no newlines in it.
MAX_PARAGRAPH_CHARS = 5000


_PIECE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of at most :data:`MAX_PARAGRAPH_CHARS` covering ``text[start:end]``:
    cut after the last sentence end in the second half of the limit, else at
    the last white space, else at the limit; white space between pieces is
    left out. White space is judged on the typography-normalised text, as
    lines are (a zero-width space is a space)."""
    if end - start <= MAX_PARAGRAPH_CHARS:
        yield start, end
        return
    norm = normalize_typography(text[start:end])
    pos, size = 0, len(norm)
    while size - pos > MAX_PARAGRAPH_CHARS:
        limit = pos + MAX_PARAGRAPH_CHARS
        cut = 0
        for match in _PIECE_END.finditer(norm, pos + MAX_PARAGRAPH_CHARS // 2, limit + 1):
            cut = match.end()
        if not cut:
            space = max(norm.rfind(" ", pos, limit), norm.rfind("\n", pos, limit))
            cut = space + 1 if space > pos else limit
        yield start + pos, start + pos + len(norm[pos:cut].rstrip())
        pos = cut
        while pos < size and norm[pos].isspace():
            pos += 1
    if pos < size:
        yield start + pos, end


def _block_segments(text: str, block: list[_Line]) -> list[Segment]:
    """The segments of one block of non-blank lines: prose runs become
    paragraphs, other lines skipped segments; consecutive lines of one table
    or code block form one segment, and lines between two code fences of the
    block (or after an unclosed one) are code."""
    segments: list[Segment] = []
    prose: list[_Line] = []
    merged = False
    opening: str | None = None
    for line in block:
        lineno, _, _, norm = line
        if opening is not None:
            reason: str | None = "code"
            if closes_fence(norm, opening):
                opening = None
        else:
            opening = opening_fence(norm, bare_tildes=False)
            reason = "code" if opening is not None else skip_reason(norm)
        if reason == "too_short" and _continues(prose, norm):
            reason = None
        if reason is None:
            prose.append(line)
            continue
        if prose:
            segments.extend(_prose_segments(text, prose))
            prose = []
        start, end = _trimmed(line)
        last = segments[-1] if segments else None
        follows = last is not None and last.end_line == lineno - 1
        if reason == "too_short" and follows and last.skipped == "code":  # type: ignore[union-attr]
            reason = "code"  # a closing brace, "else:", "end"
        if follows and reason in _MERGED_SKIPS and last.skipped == reason:  # type: ignore[union-attr]
            # the text is cut once at the end: copying it per line is quadratic
            segments[-1] = replace(last, end_line=lineno, end=end)  # type: ignore[arg-type]
            merged = True
        else:
            segments.append(Segment(text[start:end], lineno, lineno, start, end, reason,
                                    _column(text, start)))
    if prose:
        segments.extend(_prose_segments(text, prose))
    if merged:
        segments = [s if len(s.text) == s.end - s.start else replace(s, text=text[s.start:s.end])
                    for s in segments]
    return segments


def _as_lines(items: Iterable[str]) -> Iterator[str]:
    """Lines without their line breaks, whether or not the items carry them
    (a file object, ``readlines()``) and whatever breaks they hold inside."""
    for item in items:
        if item.endswith("\n"):
            item = item[:-2] if item.endswith("\r\n") else item[:-1]
        if "\n" in item or "\r" in item:
            yield from item.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        else:
            yield item


_SURROGATE = re.compile("[\ud800-\udfff]")


def iter_paragraphs(text: str | Iterable[str]) -> Iterator[Segment]:
    """The segments of :func:`split_paragraphs`, one block of lines at a time,
    so a long text is segmented (and can be scored) without holding every
    paragraph. ``text`` is a str, or the lines of a text, with or without
    their line breaks (a file object, :func:`detector.io.large_files.iter_text_lines`);
    spans count characters as if the lines were joined by single newlines."""
    lines = _text_lines(text) if isinstance(text, str) else _as_lines(text)
    # Lines are judged on the typography-normalised text (1:1 in length), so a
    # zero-width joiner or a non-breaking space at a line's end is trimmed like
    # a space and curly and straight quotes segment alike; spans index `text`.
    block: list[_Line] = []
    raw_block: list[str] = []
    base = pos = 0
    for lineno, raw in enumerate(lines, start=1):
        if _SURROGATE.search(raw):
            # A lone surrogate (a str built in Python, never decoded bytes)
            # cannot be encoded; U+FFFD keeps every offset.
            raw = _SURROGATE.sub("\ufffd", raw)
        norm = normalize_typography(raw)
        if norm.strip():
            if not block:
                base = pos
            start = pos - base
            block.append((lineno, start, start + len(raw), norm))
            raw_block.append(raw)
        elif block:
            yield from _english_segments("\n".join(raw_block), block, base)
            block, raw_block = [], []
        pos += len(raw) + 1
    if block:
        yield from _english_segments("\n".join(raw_block), block, base)


def _english_segments(text: str, block: list[_Line], base: int) -> Iterator[Segment]:
    """The segments of one block (``text`` its lines, ``base`` its offset in
    the document), paragraphs not in English marked ``not_english``."""
    from detector.segment.language import is_english

    for segment in _block_segments(text, block):
        skipped = segment.skipped
        if skipped is None and not is_english(segment.text):
            skipped = "not_english"
        yield replace(segment, start=segment.start + base, end=segment.end + base,
                      skipped=skipped)


def split_paragraphs(text: str) -> list[Segment]:
    """Split text into paragraphs on blank lines, and on single newlines when a
    block puts one paragraph per line. Non-prose lines become skipped segments
    (:data:`detector.reason_codes.SKIP_REASONS`), and so do paragraphs that
    are code, tables, markup, numbers, or not English (``not_english``).
    """
    return list(iter_paragraphs(text))
