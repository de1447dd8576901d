"""Fuzz strategies and property checks shared by the test suite and the fuzz script.

``tests/test_fuzz.py`` runs every property in :data:`PROPERTIES` with a small
example budget; ``python -m benchmarks.fuzz`` runs the same properties, with
the same strategies and checks, with a large one. A check is a plain function
that raises (``AssertionError`` or whatever the code under test raised) when
the property does not hold for its inputs; :func:`run_property` wraps it in
Hypothesis and counts how many examples it was called with.

What "the paragraphs cover the input" means here: the segmenter judges lines
on :func:`detector.segment.typography.normalize_typography` of the text (one character for
one), cuts lines on ``"\\n"`` and trims each paragraph with ``str.strip``. So
the characters it may leave outside every paragraph are exactly those that
are whitespace after that normalisation: ``"\\n"``, ``str.isspace``
characters (spaces, tabs, ``"\\r"``, NBSP, U+2028...), and the zero-width
and direction marks and SentencePiece's '▁' that it maps to a space
(U+200B-U+200F, U+FEFF, U+2581). Every other character (letters, emoji,
combining marks, U+2060 word joiner, U+202E...) must lie inside exactly one
paragraph.

This module is test code: it lives under ``tests/`` and is never shipped.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import math
import os
import re
import tempfile
import textwrap
import time
import zlib
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import hypothesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from detector.results import DocumentResult, ParagraphResult
from detector.score.document import score_document
from detector.io.inputs import InputDocument, iter_documents
from detector.report.text import FORMATS
from detector.errors import DecodeError
from detector.segment.paragraphs import Segment, split_paragraphs
from detector.io.decode import decode_bytes
from detector.segment.typography import normalize_typography

__all__ = [
    "PROPERTIES",
    "Property",
    "PropertyRun",
    "any_bytes",
    "any_text",
    "check_cli",
    "check_cli_text_labels",
    "check_decode",
    "check_reader",
    "check_result",
    "check_scoring",
    "check_segmentation",
    "check_segments",
    "documents",
    "input_files",
    "long_documents",
    "paragraph_structures",
    "run_property",
    "surrogate_text",
    "thresholds",
    "unicode_text",
]

# ---------------------------------------------------------------------------
# Strategies: text
# ---------------------------------------------------------------------------

#: Arbitrary Unicode text: every code point but the lone surrogates (which are
#: not Unicode scalar values and cannot come out of a decoder).
unicode_text: SearchStrategy[str] = st.text()


thresholds: SearchStrategy[float | None] = st.sampled_from([None, 0.0, 0.25, 0.5, 1.0])

ENGLISH_WORDS = tuple(
    (
        "the a an of to in on for with by at from said says will would could has have had was "
        "were is are not and but or after before about more than this that they he she it we "
        "council minister officials police people government city year week Monday Tuesday "
        "February budget bridge talks plan report news world president country army war peace "
        "water school don't it's they're Mr. Mrs. Dr. U.S. NATO Paris Kyiv Kiev Zelenskyy "
        "Lecornu Lecorno Martha Arrival 5 12 1,000 2025 3.5 1,000km Ukraine's the the"
    ).split()
)
PUNCTUATION = tuple(", . ! ? ; : ( ) \" ' - — – … “ ” ‘ ’ « » ___".split())
NON_ENGLISH_WORDS = tuple(
    (
        "Stadtrat Brücke beschlossen Haushalt conseil municipal rénovation printemps "
        "ayuntamiento presupuesto Городской совет бюджет 市议会 预算 مجلس الميزانية המועצה "
        "Ελλάδα दिल्ली"
    ).split()
)
ODD_TOKENS = (
    "☕", "👍🏽", "👨\u200d👩\u200d👧", "\u200b", "\u200c", "\u200d", "\ufeff", "\u200e",
    "\u200f", "\u202e", "\u2066", "\u2069", "e\u0301", "\u0301", "a\u0308\u0308", "ǅ", "²",
    "ﬁ", "Ｔｈｅ", "\u00a0", "\u2009", "\u3000", "▁", "\u00ad", "\u2060", "𝔗𝔥𝔢", "\x0c",
    "\u2028", "\u0085", "\t",
)
SENTENCE_ENDS = (".", "!", "?", "", ".”", " .", "...", "…", ".)", "?’")
REAL_SENTENCES = (
    "The city council met on Monday to discuss the new budget for next year.",
    "The mayor Said she does not expect a final vote before the before the summer .",
    "“Who will go there?” he asked.",
    "Officials said on Tuesday that the talks in Paris would resume in February.",
    "By Sunday, more than 100 people had died in the floods, officials said.",
    "In the friday, the Officials Said .",
    "Mr. Smith visited the U.S. Army base on Monday.",
)
NOISE = (
    "https://example.com/some/page?x=1", "www.example.org", "<https://x.y/z>",
    "---", "* * *", "***", "=====", "~~~", "• • •", "___",
    "By Jane Smith", "By JANE SMITH, Associated Press",
    "John Doe in London contributed to this report.",
    "2025-03-11", "Published: 2024-01-02 13:18", "2025-03-11T13:18:00Z", "12", "1,000",
    "3.14159", "42 17", "Hello", "Read more",
    "(AP Photo/John Smith)", "Photo: Getty Images",
    "A soldier walks past the ruins of a house (Sarah Meyssonnier/Pool via AP)",
    "# Heading", "## A heading with several words in it", "- a list item with several words",
    "1. the first item of a numbered list", "> a quoted line of text goes here",
    "```", "```python\ndef f(x):\n    return x + 1\n```", "def f(x):", "    return x + 1",
    "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |", '<div class="x">text</div>',
    '{"key": [1, 2], "text": "the council met"}', "x = y * 2;", "$ pip install detector",
    "![an image](http://x/y.png)", "[a link](http://x) to the news",
    "👍🏽👍🏽👍🏽", "\u200b\u200b", "\u202eevil text written backwards here", "ǅ² ﬁ",
    "Der Stadtrat hat am Montag den neuen Haushalt beschlossen.",
    "Городской совет в понедельник утвердил новый бюджет.",
    "市议会周一批准了新的预算。",
)
#: What goes between two paragraphs, and before the first and after the last.
SEPARATORS = ("\n", "\n\n", "\r\n", "\r\n\r\n", "\n \n", "\n\n\n", "\n\t\n", "\r",
              "\n\u00a0\n", "\n\u200b\n", " \n\n ", "\n\u2028\n")
EDGES = ("", "", " ", "\n", "\n\n", "\t", "\ufeff", "\r\n", "  \n", "\u200b", "\n \n ")

_english_sentence = st.tuples(
    st.lists(st.sampled_from(ENGLISH_WORDS + PUNCTUATION), min_size=3, max_size=25),
    st.sampled_from(SENTENCE_ENDS),
).map(lambda t: " ".join(t[0]) + t[1])
_mixed_sentence = st.tuples(
    st.lists(st.sampled_from(ENGLISH_WORDS + PUNCTUATION + NON_ENGLISH_WORDS + ODD_TOKENS),
             min_size=1, max_size=25),
    st.sampled_from((" ", "  ", "\u00a0", " \u200b", "\t")),
    st.sampled_from(SENTENCE_ENDS),
).map(lambda t: t[1].join(t[0]) + t[2])
_sentence = st.one_of(_english_sentence, _mixed_sentence, st.sampled_from(REAL_SENTENCES))


@st.composite
def _prose(draw: st.DrawFn) -> str:
    """One to four sentences, on one line or hard-wrapped."""
    text = " ".join(draw(st.lists(_sentence, min_size=1, max_size=4)))
    width = draw(st.sampled_from((None, None, 30, 72)))
    if width is None:
        return text
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


_noise = st.one_of(
    st.sampled_from(NOISE),
    st.integers().map(str),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
)
_paragraph = st.one_of(_prose(), _noise, st.text(max_size=80))


@st.composite
def paragraph_structures(draw: st.DrawFn, max_paragraphs: int = 8) -> str:
    """A document: paragraphs of prose (sentences of English, non-English, emoji,
    zero-width, RTL, combining and typographic tokens, sometimes hard-wrapped),
    noise lines (URLs, separators, bylines, timestamps, numbers, Markdown, code,
    tables, other languages) and arbitrary text, joined by random separators
    ("\\n", "\\n\\n", "\\r\\n", "\\n \\n"...), with leading and trailing whitespace."""
    paragraphs = draw(st.lists(_paragraph, max_size=max_paragraphs))
    parts = [draw(st.sampled_from(EDGES))]
    for k, paragraph in enumerate(paragraphs):
        if k:
            parts.append(draw(st.sampled_from(SEPARATORS)))
        parts.append(paragraph)
    parts.append(draw(st.sampled_from(EDGES)))
    return "".join(parts)


_old_words = st.lists(
    st.sampled_from(
        (
            "the a of said on Tuesday officials Paris Kiev Kyiv Lecornu Lecorno in February "
            "Arrival will 5. Martha NATO , . ! ? “ ” \" ( ) - — … don't it's Mr. U.S. 2025-03-11 "
            "https://example.com ___ By Jane Smith (AP) 1,000km Ukraine's the the ǅ ² é"
        ).split()
    ),
    max_size=25,
).map(" ".join)

#: Paragraph structures, and the simpler lists of word-salad paragraphs joined
#: by one separator that the scoring tests have always used.
documents: SearchStrategy[str] = st.one_of(
    paragraph_structures(),
    st.tuples(st.lists(st.one_of(_old_words, st.text(max_size=80)), max_size=6),
              st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"])).map(lambda t: t[1].join(t[0])),
)

#: Arbitrary Unicode text or a paragraph structure.
any_text: SearchStrategy[str] = st.one_of(unicode_text, documents)



@st.composite
def _with_surrogates(draw: st.DrawFn) -> str:
    """A paragraph structure with one to three lone surrogates put in it."""
    text = draw(documents)
    for char in draw(st.lists(st.characters(categories=["Cs"]), min_size=1, max_size=3)):
        pos = draw(st.integers(0, len(text)))
        text = text[:pos] + char + text[pos:]
    return text


#: Text that may hold lone surrogates: a Python ``str`` the API can be given (for
#: instance text read with ``errors="surrogateescape"``), though no decoded file can.
surrogate_text: SearchStrategy[str] = st.one_of(
    st.text(st.characters(exclude_categories=())), _with_surrogates())

#: Very long documents: a paragraph structure repeated 20 to 200 times, or
#: one paragraph of thousands of characters without a blank line (a book or a
#: web page with no newlines), its sentences or words joined by a space, a
#: newline, or a character that is (or is taken as) white space, or by none.
long_documents: SearchStrategy[str] = st.one_of(
    st.tuples(
        paragraph_structures(max_paragraphs=4).filter(str.strip), st.integers(20, 200),
        st.sampled_from(("\n\n", "\n", "\r\n\r\n")),
    ).map(lambda t: t[2].join([t[0]] * t[1])),
    st.tuples(
        st.lists(st.one_of(_sentence, st.sampled_from(ENGLISH_WORDS + ODD_TOKENS)),
                 min_size=1, max_size=6),
        st.integers(30, 800),
        st.sampled_from((" ", "  ", "\n", "\r\n", "\u00a0", " \u200b", "\u200b", "\ufeff ",
                         "\u3000", "\t", "")),
    ).map(lambda t: t[2].join(t[0] * t[1])),
)

# ---------------------------------------------------------------------------
# Strategies: bytes and input files
# ---------------------------------------------------------------------------

SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\x1f\x8b", b"\xff\xd8\xff", b"GIF8", b"%PDF-",
              b"PK\x03\x04", b"\x7fELF")
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
        codecs.BOM_UTF32_BE)
TEXT_ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                  "cp1252", "latin-1", "shift_jis")

_encoded = st.tuples(any_text, st.sampled_from(TEXT_ENCODINGS)).map(
    lambda t: t[0].encode(t[1], errors="replace"))


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    """Encoded text cut short (often mid-character), with bytes spliced in, or a bit flipped."""
    data = draw(_encoded)
    pos = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(("truncate", "insert", "flip")))
    if how == "truncate":
        return data[:pos]
    if how == "insert" or pos == len(data):
        return data[:pos] + draw(st.binary(min_size=1, max_size=4)) + data[pos:]
    flipped = data[pos] ^ draw(st.sampled_from((0x80, 0x40, 0xFF)))
    return data[:pos] + bytes([flipped]) + data[pos + 1:]


#: Arbitrary bytes: random, starting with a BOM or a file signature (PNG, gzip,
#: PDF...), text in UTF-8/16/32 with and without BOM and in legacy encodings,
#: mangled (truncated mid-character, spliced, bit-flipped) and gzip-compressed text.
any_bytes: SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=512),
    st.tuples(st.sampled_from(SIGNATURES + BOMS), st.one_of(st.binary(max_size=64), _encoded))
    .map(lambda t: t[0] + t[1]),
    _encoded,
    _mutated(),
    _encoded.map(lambda d: gzip.compress(d, mtime=0)),
)


@st.composite
def _html_pages(draw: st.DrawFn) -> str:
    """An HTML page whose body holds paragraphs in assorted tags, escaped or raw."""
    blocks = []
    for paragraph in draw(st.lists(_paragraph, max_size=6)):
        tag = draw(st.sampled_from(("p", "p", "div", "h1", "li", "pre", "script", "td")))
        body = paragraph if draw(st.booleans()) else _html_escape(paragraph)
        blocks.append(f"<{tag}>{body}</{tag}>")
    head = draw(st.sampled_from(("<!DOCTYPE html><html><head><title>T</title></head><body>",
                                 "<html><body><article>", "")))
    return head + "\n".join(blocks) + draw(st.sampled_from(("</body></html>", "", "<footer>x")))


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                               max_size=3),
    max_leaves=8,
)
_records = st.one_of(
    st.fixed_dictionaries({"text": any_text},
                          optional={"id": st.one_of(st.text(max_size=8), st.integers(),
                                                    st.booleans(), st.none())}),
    st.dictionaries(st.sampled_from(("text", "id", "label")), _json_values, max_size=3),
)
_jsonl_lines = st.one_of(
    st.tuples(_records, st.booleans()).map(lambda t: json.dumps(t[0], ensure_ascii=t[1])),
    _json_values.map(json.dumps),
    st.text(max_size=40),
    st.sampled_from(("", "   ", "\t")),
)
# Well-formed records of paragraph structures, or any mix of lines.
_good_jsonl_lines = st.tuples(documents, st.text(max_size=8)).map(
    lambda t: json.dumps({"id": t[1], "text": t[0]}))
_jsonl_bytes = st.tuples(
    st.sampled_from((b"", b"", codecs.BOM_UTF8)),
    st.one_of(st.lists(_good_jsonl_lines, max_size=4), st.lists(_jsonl_lines, max_size=6)),
    st.sampled_from(("\n", "\r\n")),
).map(lambda t: t[0] + t[2].join(t[1]).encode("utf-8"))


@st.composite
def _truncated_gzip(draw: st.DrawFn) -> bytes:
    data = gzip.compress(draw(_jsonl_bytes), mtime=0)
    return data[:draw(st.integers(0, max(0, len(data) - 1)))]


#: Paragraph structures in an encoding the reader reads (UTF-8 with or without
#: BOM, UTF-16 with BOM), so that the files that get scored are not only rare.
_readable_bytes = st.tuples(documents, st.sampled_from(("utf-8", "utf-8-sig", "utf-16"))).map(
    lambda t: t[0].encode(t[1]))

INPUT_SUFFIXES = (".txt", ".md", ".html", ".jsonl", ".jsonl.gz")
_FILE_CONTENTS: dict[str, SearchStrategy[bytes]] = {
    ".txt": st.one_of(any_bytes, _readable_bytes),
    ".md": st.one_of(any_bytes, _readable_bytes, any_text.map(lambda t: t.encode("utf-8"))),
    ".html": st.one_of(any_bytes, _html_pages().map(lambda t: t.encode("utf-8"))),
    ".jsonl": st.one_of(any_bytes, _jsonl_bytes),
    ".jsonl.gz": st.one_of(any_bytes, _jsonl_bytes.map(lambda d: gzip.compress(d, mtime=0)),
                           _truncated_gzip()),
}
_good_jsonl = st.lists(_good_jsonl_lines, min_size=1, max_size=4).map(
    lambda lines: "\n".join(lines).encode("utf-8"))
_html_articles = st.lists(_prose(), min_size=1, max_size=6).map(
    lambda ps: "<html><body><article>" + "".join(f"<p>{_html_escape(p)}</p>" for p in ps)
    + "</article></body></html>")
#: Files that read without error (mostly), so that scoring is reached often.
_READABLE_CONTENTS: dict[str, SearchStrategy[bytes]] = {
    ".txt": _readable_bytes,
    ".md": _readable_bytes,
    ".html": _html_articles.map(lambda t: t.encode("utf-8")),
    ".jsonl": _good_jsonl,
    ".jsonl.gz": _good_jsonl.map(lambda d: gzip.compress(d, mtime=0)),
}

#: One input file: ``(suffix, bytes)``; half the time bytes that fit the suffix
#: and read, half the time anything (arbitrary, mis-encoded, truncated...).
input_files: SearchStrategy[tuple[str, bytes]] = st.tuples(
    st.sampled_from(INPUT_SUFFIXES), st.booleans(),
).flatmap(lambda t: (_READABLE_CONTENTS if t[1] else _FILE_CONTENTS)[t[0]].map(
    lambda data: (t[0], data)))

# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def check_decode(data: bytes) -> None:
    """``decode_bytes`` returns text (newlines normalised, no NUL) or raises
    :class:`DecodeError` with a message; nothing else."""
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        assert str(exc), "a DecodeError without a message"
        return
    assert isinstance(text, str)
    assert "\r" not in text and "\x00" not in text
    assert decode_bytes(data) == text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _as_segmented(text: str) -> str:
    """``text`` as the segmenter reads it: a lone surrogate (possible only in a
    ``str`` built in Python, never in decoded bytes) as U+FFFD, one for one,
    so spans still index ``text``."""
    return _SURROGATE.sub("\ufffd", text)


def _blank(text: str) -> bool:
    """True when the segmenter may leave all of ``text`` outside its paragraphs."""
    return not normalize_typography(text).strip()


def check_segments(text: str, segments: Sequence[Segment]) -> None:
    """Segments are ordered, do not overlap, point back into ``text`` (their
    text is ``text[start:end]``, trimmed, their lines agree with the span), and
    cover every character of ``text`` that is not blank (see the module docstring)."""
    text = _as_segmented(text)
    previous_end_line = 0
    previous_end = 0
    for segment in segments:
        assert text[segment.start:segment.end] == segment.text
        assert segment.text, segment
        assert segment.text == segment.text.strip()
        assert not _blank(segment.text[0]) and not _blank(segment.text[-1]), segment
        assert segment.line <= segment.end_line
        # >=, not >: the pieces an over-long paragraph is cut into share lines
        assert segment.line >= previous_end_line
        assert segment.start >= previous_end
        # line numbers agree with the character span
        assert text.count("\n", 0, segment.start) + 1 == segment.line
        assert text.count("\n", 0, segment.end) + 1 == segment.end_line
        assert segment.skipped is None or (isinstance(segment.skipped, str) and segment.skipped)
        gap = text[previous_end:segment.start]
        assert _blank(gap), f"not blank, yet in no paragraph: {gap!r} before {segment}"
        previous_end_line = segment.end_line
        previous_end = segment.end
    tail = text[previous_end:]
    assert _blank(tail), f"not blank, yet in no paragraph: {tail!r} at the end"


def check_segmentation(text: str) -> None:
    """``split_paragraphs`` obeys :func:`check_segments` and is deterministic."""
    segments = split_paragraphs(text)
    check_segments(text, segments)
    assert split_paragraphs(text) == segments


def check_result(text: str, result: DocumentResult,
                 segments: Sequence[Segment] | None = None) -> None:
    """A scoring result is consistent: paragraphs in order inside ``text``, each
    scored (a probability in [0, 1]) or skipped with a reason, never both; the
    document score in [0, 1] or None when nothing was scored; every reason's
    span inside its paragraph; flags agree with the threshold; ``to_dict()``
    is strict JSON. With ``segments``, the paragraphs are exactly those
    segments: nothing dropped, merged or moved."""
    assert isinstance(result, DocumentResult)
    cut = result.threshold
    assert 0.0 <= cut <= 1.0
    previous_end = 0
    for k, p in enumerate(result.paragraphs):
        assert isinstance(p, ParagraphResult)
        assert p.index == k
        assert previous_end <= p.start < p.end <= len(text)
        assert p.line <= p.end_line
        previous_end = p.end
        if p.score is None:
            assert p.skipped is not None and not p.flagged and p.reasons == ()
            continue
        assert p.skipped is None
        assert 0.0 <= p.score <= 1.0 and not math.isnan(p.score)
        # flags use the unrounded score; the reported one is rounded to 4 places
        assert p.flagged == (p.score >= cut) or abs(p.score - cut) <= 5e-5, (p, cut)
        if p.flagged:
            assert len(p.reasons) >= 1
        for reason in p.reasons:
            assert reason.code and reason.message
            if reason.start is not None:
                assert p.start <= reason.start < reason.end <= p.end, (reason, p)
    scored = [p for p in result.paragraphs if p.score is not None]
    if result.score is None:
        assert not scored and not result.flagged and result.label == "unscored"
    else:
        assert scored, "a document score without a scored paragraph"
        assert 0.0 <= result.score <= 1.0 and not math.isnan(result.score)
        assert result.label == ("mangled" if result.flagged else "clean")
    if segments is not None:
        assert [(p.start, p.end, p.line, p.end_line, p.skipped) for p in result.paragraphs] == [
            (s.start, s.end, s.line, s.end_line, s.skipped) for s in segments]
    data = result.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def check_scoring(text: str, threshold: float | None, model: Any = None) -> None:
    """``score_document`` does not raise on any ``str``, its result obeys
    :func:`check_result` against the segmentation of ``text`` (which obeys
    :func:`check_segments`), and scoring twice gives the same result."""
    segments = split_paragraphs(text)
    check_segments(text, segments)
    first = score_document(text, model=model, threshold=threshold)
    check_result(text, first, segments)
    if threshold is not None:
        assert first.threshold == threshold
    second = score_document(text, model=model, threshold=threshold)
    assert first.to_dict() == second.to_dict()


def _write_inputs(files: Sequence[tuple[str, bytes]], directory: str) -> list[str]:
    """Write each ``(suffix, bytes)`` to ``directory``; return the paths."""
    paths = []
    for k, (suffix, data) in enumerate(files):
        path = os.path.join(directory, f"input{k}{suffix}")
        with open(path, "wb") as handle:
            handle.write(data)
        paths.append(path)
    return paths


def _count_jsonl_lines(data: bytes) -> int:
    """How many documents a JSON Lines file of these bytes holds: its non-blank
    lines (a byte order mark opening the file is not content)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    return sum(1 for line in data.split(b"\n") if line.strip())


def _check_documents(path: str, suffix: str, data: bytes, docs: list[InputDocument]) -> None:
    """The documents ``iter_documents`` made of one file agree with its bytes."""
    for doc in docs:
        assert isinstance(doc, InputDocument)
        assert doc.path == path
        assert (doc.text is None) != (doc.error is None), doc
        if doc.error is not None:
            assert isinstance(doc.error, str) and doc.error
        else:
            check_segments(doc.text, split_paragraphs(doc.text))
    if suffix in (".jsonl", ".jsonl.gz"):
        raw = data
        if suffix == ".jsonl.gz" and not data:  # a 0-byte .gz is not gzip: one error
            assert len(docs) == 1 and docs[0].error is not None and docs[0].id is None, docs
            return
        if suffix == ".jsonl.gz":
            try:
                raw = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                assert docs and docs[-1].error is not None and docs[-1].id is None, docs
                return
        assert len(docs) == _count_jsonl_lines(raw), (len(docs), _count_jsonl_lines(raw))
        assert all(doc.id is not None for doc in docs)
        return
    assert len(docs) == 1, docs
    doc = docs[0]
    assert doc.id is None
    try:
        decoded = decode_bytes(data)
    except DecodeError:
        assert doc.error is not None
        return
    if suffix == ".txt":
        assert doc.text == decoded
    elif suffix == ".md":
        # Markdown is blanked out one character for one: offsets still point into the file.
        assert doc.text is not None and len(doc.text) == len(decoded)
        assert all(a == b or a == " " for a, b in zip(doc.text, decoded))
    else:
        assert doc.text is None or doc.text.strip()


def check_reader(file: tuple[str, bytes]) -> None:
    """``iter_documents`` on a file of these bytes, named for its suffix, never
    raises and yields documents each with exactly one of text and error: one
    for a whole file (its text the decoded bytes, or Markdown blanked one
    character for one), one per non-blank line of JSON Lines (a read error of
    a compressed file as a last document); each text segments cleanly."""
    suffix, data = file
    with tempfile.TemporaryDirectory() as directory:
        (path,) = _write_inputs([file], directory)
        docs = list(iter_documents([path]))
    _check_documents(path, suffix, data, docs)


def _flagged(record: dict[str, Any]) -> bool:
    return any(p["flagged"] for p in record.get("paragraphs", ()))


def _run_flag(paths: Sequence[str], *options: str) -> tuple[int, str, str]:
    """Run ``detector flag PATHS OPTIONS`` in this process: the exit code it
    returns, its standard output and its standard error. Exiting (argparse,
    ``sys.exit``) instead of returning is an AssertionError."""
    from detector.cli.run import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["flag", *paths, *options])
        except SystemExit as exc:
            raise AssertionError(f"main() exited with SystemExit({exc.code!r})") from None
    return code, out.getvalue(), err.getvalue()


def check_cli(files: list[tuple[str, bytes]], fmt: str) -> None:
    """``detector flag FILES --format FMT``, run in this process on files of
    these bytes, never raises (nor exits), returns 0, 1 or 2, and says so
    consistently: 2 exactly when an input could not be read (each named on
    standard error), otherwise 1 exactly when a paragraph is flagged; the
    JSON, JSON Lines and SARIF outputs parse, with one record per input
    document (an unreadable one with its error) in JSON and JSON Lines."""
    with tempfile.TemporaryDirectory() as directory:
        paths = _write_inputs(files, directory)
        expected = list(iter_documents(paths))
        code, output, errors = _run_flag(paths, "--format", fmt)
    assert code in (0, 1, 2), code
    unreadable = [d for d in expected if d.error is not None]
    # A document that was read but could not be scored means score_document raised.
    assert "could not be scored" not in errors, errors
    assert (code == 2) == bool(unreadable), (code, errors)
    for doc in unreadable:
        assert f"{doc.label}: {doc.error}" in errors
    if fmt in ("json", "jsonl"):
        if fmt == "json":
            records = json.loads(output)["files"]
        else:  # lines end at "\n" only: a JSON string may hold a raw U+0085 or U+2028
            records = [json.loads(line) for line in output.split("\n")[:-1]]
        # one record per input document, in its place: an unreadable one as {path, id, error}
        assert len(records) == len(expected)
        for record, doc in zip(records, expected):
            assert (record["path"], record["id"]) == (doc.path, doc.id)
            assert ("error" in record) == (doc.error is not None)
        if not unreadable:
            assert code == (1 if any(_flagged(r) for r in records) else 0)
    elif fmt == "sarif":
        run = json.loads(output)["runs"][0]
        assert len(run["artifacts"]) == len(expected) - len(unreadable)
        if not unreadable:
            assert code == (1 if run["results"] else 0)
    elif fmt == "html":
        assert output.startswith("<!DOCTYPE html>") and output.rstrip().endswith("</html>")


def check_cli_text_labels(files: list[tuple[str, bytes]]) -> None:
    """``detector flag FILES --all`` (text) writes each readable document's
    label escaped (:func:`detector.io.escape.printable`: a newline, carriage
    return or ESC in an id as ``\\n``, ``\\r``, ``\\x1b``) at the start of
    its summary line, so that no id can forge or split a line."""
    from detector.io.escape import printable

    with tempfile.TemporaryDirectory() as directory:
        paths = _write_inputs(files, directory)
        readable = [doc for doc in iter_documents(paths) if doc.error is None]
        _, output, _ = _run_flag(paths, "--all")
    lines = output.split("\n")
    for doc in readable:
        assert any(line.startswith(f"{printable(doc.label)}: ") for line in lines), \
            (doc.label, output)
    _assert_no_controls(output)


def _assert_no_controls(output: str) -> None:
    """Text output holds no control character but its line ends, and no lone
    surrogate."""
    bad = [c for c in output if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f
           or 0xD800 <= ord(c) <= 0xDFFF or c in "\u2028\u2029"]
    assert not bad, (bad, output)


#: Any text for an id: control characters, separators, lone surrogates.
any_ids = st.text(st.characters(blacklist_categories=()), max_size=12)
#: File names from any text or bytes (no "/" nor NUL, which no name holds).
_name_chars = st.characters(blacklist_categories=(), blacklist_characters="/\x00")
any_names = st.one_of(
    st.text(_name_chars, min_size=1, max_size=12),
    st.binary(min_size=1, max_size=12).map(lambda b: os.fsdecode(
        b.replace(b"/", b"_").replace(b"\x00", b"_"))),
).filter(lambda n: n not in (".", ".."))

_PROSE_LINE = "The council met on Monday to discuss the new budget for the old bridge."


def check_cli_names(ident: str, name: str, fmt: str) -> None:
    """A JSON Lines id and a file name drawn from any text or bytes never stop
    ``detector flag --all --format FMT``: text output shows them escaped on
    their own lines; JSON, JSON Lines and SARIF parse and give back the id and
    the path exactly (lone surrogates as JSON escapes); HTML is complete."""
    from detector.io.escape import printable

    with tempfile.TemporaryDirectory() as directory:
        text_name = name if name.lower().endswith(".txt") else name + ".txt"
        text_path = os.path.join(directory, text_name)
        jsonl_path = os.path.join(directory, "ids.jsonl")
        try:
            with open(os.fsencode(text_path), "wb") as handle:
                handle.write(_PROSE_LINE.encode("utf-8"))
        except (OSError, UnicodeError):  # a name no file system holds (a lone \ud800)
            return
        with open(jsonl_path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"id": ident, "text": _PROSE_LINE}) + "\n")
        code, output, errors = _run_flag([text_path, jsonl_path], "--all", "--format", fmt)
    assert code == 0, (code, errors)  # _PROSE_LINE is clean to the default model
    if fmt == "text":
        _assert_no_controls(output)
        lines = output.split("\n")
        for label in (text_path, f"{jsonl_path}[{ident}]"):
            assert any(line.startswith(f"{printable(label)}: ") for line in lines), output
    elif fmt in ("json", "jsonl"):
        records = (json.loads(output)["files"] if fmt == "json"
                   else [json.loads(line) for line in output.split("\n")[:-1]])
        assert [(r["path"], r["id"]) for r in records] == [(text_path, None),
                                                           (jsonl_path, ident)]
    elif fmt == "sarif":
        run = json.loads(output)["runs"][0]
        assert [a["location"]["uri"] for a in run["artifacts"]] == [
            text_path, f"{jsonl_path}[{ident}]"]
    else:
        assert output.startswith("<!DOCTYPE html>") and output.rstrip().endswith("</html>")
        output.encode("utf-8")  # no lone surrogate


# ---------------------------------------------------------------------------
# The properties, and running one under Hypothesis
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Property:
    """A check and the strategies of its arguments. ``needs_model``: the check
    takes a ``model`` (the tests pass the tiny model, the fuzz script the
    default one); ``share``: its share of an example budget (slow ones run
    fewer); ``examples``: arguments always tried first (inputs that once
    failed, kept as regressions)."""

    name: str
    check: Callable[..., None]
    strategies: Mapping[str, SearchStrategy[Any]]
    needs_model: bool = False
    share: float = 1.0
    examples: tuple[Mapping[str, Any], ...] = ()

    def budget(self, examples: int) -> int:
        """This property's number of examples out of a budget of ``examples``."""
        return max(1, round(examples * self.share))


PROPERTIES: tuple[Property, ...] = (
    Property("reader: decode_bytes", check_decode, {"data": any_bytes}),
    Property("reader: iter_documents", check_reader, {"file": input_files}, share=0.5),
    Property("segmentation: unicode text", check_segmentation, {"text": unicode_text}),
    Property("segmentation: paragraph structures", check_segmentation, {"text": documents}),
    Property("segmentation: lone surrogates", check_segmentation, {"text": surrogate_text}),
    Property("segmentation: long documents", check_segmentation, {"text": long_documents},
             share=0.25, examples=({"text": "x. \u200b" * 1300},)),
    Property("scoring: unicode text", check_scoring,
             {"text": unicode_text, "threshold": thresholds}, needs_model=True),
    Property("scoring: paragraph structures", check_scoring,
             {"text": documents, "threshold": thresholds}, needs_model=True),
    Property("scoring: long documents", check_scoring,
             {"text": long_documents, "threshold": thresholds}, needs_model=True, share=0.05,
             examples=({"text": "x. \u200b" * 1300, "threshold": None},)),
    Property("scoring: lone surrogates", check_scoring,
             {"text": surrogate_text, "threshold": thresholds}, needs_model=True, share=0.1,
             examples=({"text": "\ud800the the the.", "threshold": None},)),
    Property("cli: flag", check_cli,
             {"files": st.lists(input_files, min_size=1, max_size=2),
              "fmt": st.sampled_from(FORMATS)}, share=0.1),
    Property("cli: text output keeps labels", check_cli_text_labels,
             {"files": st.lists(input_files, min_size=1, max_size=2)}, share=0.1,
             examples=({"files": [(".jsonl", b'{"id": "a\\rb", "text": ""}')]},)),
    Property("cli: ids and file names from any text", check_cli_names,
             {"ident": any_ids, "name": any_names, "fmt": st.sampled_from(FORMATS)}, share=0.1,
             examples=({"ident": "a\nb\x1b[31m\ud800", "name": "\udcff\n.txt",
                        "fmt": "text"},
                       {"ident": "\ud800", "name": "\udcff", "fmt": "jsonl"})),
)


@dataclass
class PropertyRun:
    """What running a property did: how many examples the check was called
    with (shrinking included when it failed), the time, the failure, and
    which call failed first."""

    name: str
    examples: int
    seconds: float
    error: BaseException | None = None
    falsifying: dict[str, Any] | None = None
    first_failure: int | None = None

    @property
    def passed(self) -> bool:
        """True when no example failed."""
        return self.error is None


def run_property(prop: Property, max_examples: int, *, seed: int | None = None,
                 model: Any = None) -> PropertyRun:
    """Run ``prop`` under Hypothesis with up to ``max_examples`` examples (fewer
    when the strategy space is small); ``seed`` fixes the examples; ``model``
    goes to checks that need one; ``prop.examples`` are tried first.

    Returns the count of examples the check was called with, the time and the
    failure (the exception carries Hypothesis's falsifying example in its
    ``__notes__``; ``falsifying`` holds the arguments of the last failing
    call, which is the shrunk example)."""
    outcome = PropertyRun(prop.name, 0, 0.0)
    extra = {"model": model} if prop.needs_model else {}

    def run(**kwargs: Any) -> None:
        outcome.examples += 1
        try:
            prop.check(**kwargs, **extra)
        except BaseException:
            outcome.falsifying = kwargs
            if outcome.first_failure is None:
                outcome.first_failure = outcome.examples
            raise

    run.__name__ = prop.check.__name__
    test = given(**prop.strategies)(run)
    for known in reversed(prop.examples):
        test = example(**known)(test)
    test = settings(max_examples=max_examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=False)(test)
    if seed is not None:
        test = hypothesis.seed(seed)(test)
    started = time.perf_counter()
    try:
        test()
    except Exception as exc:  # the property failed; the caller reports or re-raises
        outcome.error = exc
    outcome.seconds = time.perf_counter() - started
    return outcome
