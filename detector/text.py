"""Reading bytes into text and cutting text into paragraphs, sentences and words.

Every paragraph keeps its first and last line (1-based) and its character span
in the decoded text, so every renderer can point back into the file. Lines
that are not prose (URLs, timestamps, separators, bylines, photo credits,
one- or two-word lines, table rows, code, markup) become paragraphs of their
own, marked ``skipped`` with a reason, and are never scored; so are
paragraphs of code, markup or numbers (:mod:`detector.nonprose`) and
paragraphs not in English. A paragraph longer than
:data:`MAX_PARAGRAPH_CHARS` is cut at sentence ends. Nothing of the input is
left out: every non-blank line lies in exactly one segment.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from detector.nonprose import is_fence, line_reason, paragraph_reason

__all__ = [
    "DecodeError",
    "Segment",
    "decode_bytes",
    "normalize_typography",
    "iter_paragraphs",
    "split_paragraphs",
    "split_sentences",
    "iter_words",
    "read_text",
    "WORD_RE",
]


class DecodeError(ValueError):
    """The bytes are not text in an encoding the detector reads."""


# File signatures of binary formats people point text tools at by mistake.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data (name it .gz, or decompress it)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
)


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'little-endian' or 'big-endian' when the bytes look like UTF-16 text
    without a byte-order mark (every other byte NUL), else None."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
        return "little-endian"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "big-endian"
    return None


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with a BOM; refuse anything else.

    Raises :class:`DecodeError` rather than guessing and producing mojibake:
    naming a binary format it recognises (PNG, gzip, PDF...), UTF-16 without a
    byte-order mark, or the line and byte offset of the first invalid UTF-8
    sequence (with a hint when the bytes look like Latin-1 / Windows-1252).
    """
    kind = _binary_kind(data)
    if kind is not None:
        raise DecodeError(f"this is {kind}, not text")
    skipped = 0
    if data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
        data = data[skipped:]
        encoding = "utf-8"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    else:
        order = _utf16_without_bom(data)
        if order is not None:
            raise DecodeError(f"looks like UTF-16 ({order}) text without a byte-order mark; "
                              "convert the file to UTF-8 first")
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = ""
        if encoding == "utf-8" and b"\x00" not in data:
            try:
                data.decode("cp1252")
                hint = " (it may be Latin-1 or Windows-1252)"
            except UnicodeDecodeError:
                pass
        raise DecodeError(
            f"not valid {encoding.upper()} text: invalid byte at line {line}, offset "
            f"{exc.start + skipped}{hint}; convert the file to UTF-8 first"
        ) from None
    if "\x00" in text:
        raise DecodeError("contains NUL bytes: this looks like binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# One character in, one character out, so spans found on the normalised text
# are valid on the original. Curly quotes, ellipsis and SentencePiece's "▁"
# must not carry the score: typography leaks labels in the WMT data.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2026": ".", "\u2581": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
        "\u200b": " ", "\u200c": " ", "\u200d": " ", "\ufeff": " ",
        "\u200e": " ", "\u200f": " ",
    }
)


def normalize_typography(text: str) -> str:
    """Map curly quotes, dashes, ellipsis, odd spaces and '▁' to plain ASCII, 1:1 in length."""
    return text.translate(_TYPOGRAPHY)


@dataclass(frozen=True)
class Segment:
    """A paragraph of the input: its text, 1-based lines, character span, skip reason."""

    text: str
    line: int
    end_line: int
    start: int
    end: int
    skipped: str | None = None


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
WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:[.,:]\d+)*", re.U)
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
        from detector.language import foreign_script

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
                               paragraph_reason(normalize_typography(piece))))
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
    in_fence = False
    for line in block:
        lineno, _, _, norm = line
        fence = is_fence(norm)
        reason = "code" if in_fence or fence else skip_reason(norm)
        in_fence = in_fence != fence
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
            segments.append(Segment(text[start:end], lineno, lineno, start, end, reason))
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
    their line breaks (a file object, :func:`detector.textfile.iter_text_lines`);
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
    from detector.language import is_english

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


_SENT_SPLIT = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9])"
)
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Lt|Gen|Col|Sgt|Capt|Gov|Sen|Rep|Jr|Sr|No|vs|etc|Inc|Ltd|Co|Corp|U\.S|e\.g|i\.e|[A-Z])\.$"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a paragraph (a light regex splitter)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENT_SPLIT.finditer(text):
        cut = match.start()
        if _ABBREV.search(text[max(start, cut - 6):cut]):
            continue
        piece_end = match.end() - len(match.group(0)) + len(match.group(0).rstrip())
        if text[start:piece_end].strip():
            spans.append((start, piece_end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """Word and number tokens of a text, as regex matches (with spans)."""
    return WORD_RE.finditer(text)


def read_text(path: str) -> str:
    """Read a file (or standard input for '-') and decode it with :func:`decode_bytes`.

    Raises OSError for unreadable paths and DecodeError for undecodable bytes.
    """
    import sys

    if path == "-":
        return decode_bytes(sys.stdin.buffer.read())
    with open(path, "rb") as handle:
        return decode_bytes(handle.read())
