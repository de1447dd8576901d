"""Reading bytes into text and cutting text into paragraphs, sentences and words.

Every paragraph keeps its first and last line (1-based) and its character span
in the decoded text, so every renderer can point back into the file. Lines
that are not prose (URLs, timestamps, separators, bylines, photo credits,
one- or two-word lines) become paragraphs of their own, marked ``skipped``
with a reason, and are never scored.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from typing import Iterator

__all__ = [
    "DecodeError",
    "Segment",
    "decode_bytes",
    "normalize_typography",
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


def skip_reason(line: str) -> str | None:
    """Why a single line is not prose (a reason code), or None if it is prose."""
    stripped = line.strip()
    if _URL.match(stripped):
        return "url"
    if _TIMESTAMP.match(stripped):
        return "timestamp"
    if _SEPARATOR.match(stripped):
        return "separator"
    if len(WORD_RE.findall(stripped)) <= 2:
        return "too_short"
    if _PHOTO_CREDIT.search(stripped):
        return "photo_credit"
    if _BYLINE.search(stripped):
        return "byline"
    return None


def _lines_with_offsets(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line text) for each line, end excluding the newline."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _one_paragraph_per_line(lines: list[str]) -> bool:
    """True when a block of lines holds one paragraph per line, not hard-wrapped prose."""
    if len(lines) < 2:
        return False
    ended = sum(1 for ln in lines if _SENTENCE_END.search(ln))
    return ended / len(lines) >= 0.6


def _continues(prose: list[tuple[int, tuple[int, int, str]]], line: str) -> bool:
    """True when a short line is the tail of a hard-wrapped sentence ("the month.")."""
    if not prose or _SENTENCE_END.search(prose[-1][1][2]):
        return False
    first = line.lstrip()[:1]
    return first.islower()


def split_paragraphs(text: str) -> list[Segment]:
    """Split text into paragraphs on blank lines, and on single newlines when a
    block puts one paragraph per line. Non-prose lines become skipped segments,
    and so do paragraphs that are not English (``not_english``).
    """
    segments: list[Segment] = []
    block: list[tuple[int, tuple[int, int, str]]] = []

    def flush() -> None:
        if not block:
            return
        prose: list[tuple[int, tuple[int, int, str]]] = []

        def flush_prose() -> None:
            if not prose:
                return
            if _one_paragraph_per_line([ln[1][2] for ln in prose]):
                groups = [[ln] for ln in prose]
            else:
                groups = [list(prose)]
            for group in groups:
                first, last = group[0], group[-1]
                start = first[1][0] + (len(first[1][2]) - len(first[1][2].lstrip()))
                end = last[1][1] - (len(last[1][2]) - len(last[1][2].rstrip()))
                segments.append(
                    Segment(text[start:end], first[0], last[0], start, end)
                )
            prose.clear()

        for item in block:
            lineno, (s, e, raw) = item
            reason = skip_reason(raw)
            if reason == "too_short" and _continues(prose, raw):
                reason = None
            if reason is None:
                prose.append(item)
                continue
            flush_prose()
            lead = len(raw) - len(raw.lstrip())
            tail = len(raw) - len(raw.rstrip())
            segments.append(Segment(text[s + lead:e - tail], lineno, lineno, s + lead, e - tail, reason))
        flush_prose()
        block.clear()

    # Lines are judged on the typography-normalised text (1:1 in length), so a
    # zero-width joiner or a non-breaking space at a line's end is trimmed like
    # a space and curly and straight quotes segment alike; spans index `text`.
    for lineno, item in enumerate(_lines_with_offsets(normalize_typography(text)), start=1):
        if item[2].strip():
            block.append((lineno, item))
        else:
            flush()
    flush()
    from .language import is_english

    return [replace(s, skipped="not_english")
            if s.skipped is None and not is_english(s.text) else s for s in segments]


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
