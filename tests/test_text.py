"""Decoding, paragraph segmentation (with skip reasons), sentences, read_text."""

from __future__ import annotations

import codecs
import io
import re
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from detector.errors import DecodeError
from detector.io.decode import decode_bytes, read_text
from detector.segment.typography import normalize_typography
from detector.segment.paragraphs import split_paragraphs
from detector.segment.tokens import split_sentences
from fuzz_properties import check_segments

PHOTO_CREDIT_END = "(Sarah Meyssonnier/Pool via AP)"


# ---------------------------------------------------------------------------
# decode_bytes
# ---------------------------------------------------------------------------

SAMPLE = "Café “au lait” – naïve ☕\nsecond line"


def test_decode_utf8():
    assert decode_bytes(SAMPLE.encode("utf-8")) == SAMPLE


def test_decode_utf8_bom_is_dropped():
    decoded = decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert decoded == SAMPLE
    assert not decoded.startswith("\ufeff")


@pytest.mark.parametrize(
    "bom, codec",
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf16-le", "utf16-be"],
)
def test_decode_utf16_with_bom(bom, codec):
    decoded = decode_bytes(bom + SAMPLE.encode(codec))
    assert decoded == SAMPLE
    assert "\ufeff" not in decoded


def test_decode_latin1_raises_with_offset():
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"caf\xe9 au lait")
    message = str(info.value)
    assert re.search(r"\boffset 3\b", message), message
    assert isinstance(info.value, ValueError)


def test_decode_latin1_later_offset():
    data = b"plain ascii text, then caf\xe9"
    offset = data.index(b"\xe9")
    with pytest.raises(DecodeError, match=rf"\boffset {offset}\b"):
        decode_bytes(data)


def test_decode_offset_counts_the_utf8_bom():
    # The offset must point into the bytes the user has: the BOM is 3 bytes of them.
    data = codecs.BOM_UTF8 + b"caf\xe9 au lait"
    offset = data.index(b"\xe9")  # 6
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert re.search(rf"\boffset {offset}\b", str(info.value)), str(info.value)


@pytest.mark.parametrize(
    "data",
    [b"abc\x00def", "abc\x00def".encode("utf-16"), b"\x00\x00\x00\x00"],
    ids=["utf8-nul", "utf16-nul", "only-nul"],
)
def test_decode_nul_bytes_raise(data):
    with pytest.raises(DecodeError, match="NUL"):
        decode_bytes(data)


def test_decode_utf16_without_bom_is_refused():
    # Without a BOM, UTF-16 is full of NUL bytes: refused, not decoded as garbage.
    with pytest.raises(DecodeError):
        decode_bytes("hello world".encode("utf-16-le"))


def test_decode_normalises_newlines():
    assert decode_bytes(b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


@settings(max_examples=200, deadline=None)
@example("\ufeffBOM-like start", "utf-16")
@example("\ufeffBOM-like start", "utf-8")
@given(st.text(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]))
def test_decode_round_trip_property(text, encoding):
    if encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    if encoding == "utf-8" and text.startswith("\ufeff"):
        expected = expected[1:]  # a leading U+FEFF is read as the BOM
    if "\x00" in text:
        with pytest.raises(DecodeError):
            decode_bytes(data)
    else:
        assert decode_bytes(data) == expected


def test_normalize_typography_keeps_length():
    text = "“Quote” ‘x’ — – … ▁\u00a0\u200b«»"
    out = normalize_typography(text)
    assert len(out) == len(text)
    assert out == "\"Quote\" 'x' - - .    \"\""


# ---------------------------------------------------------------------------
# split_paragraphs: invariants on the seeds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["seed_clean", "seed_mangled"])
def test_seed_segments_point_back_into_the_text(which, request):
    text = read_text(str(request.getfixturevalue(which)))
    segments = split_paragraphs(text)
    assert segments
    check_segments(text, segments)


def test_seed_002_one_segment_per_line(seed_mangled):
    text = read_text(str(seed_mangled))
    lines = text.split("\n")
    segments = split_paragraphs(text)
    assert [s.line for s in segments] == list(range(1, 30))
    assert all(s.line == s.end_line for s in segments)
    for segment in segments:
        assert segment.text == lines[segment.line - 1].strip()
    by_line = {s.line: s for s in segments}
    assert by_line[26].skipped == "separator"
    assert by_line[27].skipped == "byline"
    assert by_line[28].skipped == "url"
    assert by_line[29].skipped == "timestamp"
    for line in range(1, 26):
        assert by_line[line].skipped is None, (line, by_line[line].skipped)


def test_seed_000_photo_credits_skipped(seed_clean):
    text = read_text(str(seed_clean))
    segments = split_paragraphs(text)
    credits = [s for s in segments if s.text.endswith(PHOTO_CREDIT_END)]
    assert len(credits) == 3
    assert {s.line for s in credits} == {11, 23, 37}
    assert all(s.skipped == "photo_credit" for s in credits)
    # Every other paragraph of the human article is prose.
    assert all(s.skipped is None for s in segments if s not in credits)
    # Blank-line paragraphs: one per odd line, 38 in all.
    assert [s.line for s in segments] == list(range(1, 76, 2))


# ---------------------------------------------------------------------------
# split_paragraphs: small inputs
# ---------------------------------------------------------------------------


def test_blank_line_paragraphs():
    text = (
        "The first paragraph has a single sentence in it.\n"
        "\n"
        "   \n"
        "The second paragraph starts here and goes on.\n"
        "\n\n\n"
        "  The third paragraph is indented by two spaces.  \n"
    )
    segments = split_paragraphs(text)
    check_segments(text, segments)
    assert [(s.line, s.end_line) for s in segments] == [(1, 1), (4, 4), (8, 8)]
    assert segments[2].text == "The third paragraph is indented by two spaces."
    assert all(s.skipped is None for s in segments)


WRAPPED = (
    "The committee met on Tuesday evening to discuss the budget for the coming\n"
    "year and agreed after a long debate that the spending plan should be\n"
    "revised before the end of the month, according to two people who were\n"
    "present at the meeting and asked not to be named because they were not\n"
    "authorised to speak."
)


def test_hard_wrapped_paragraph_is_one_paragraph():
    text = "A short first paragraph stands on its own line here.\n\n" + WRAPPED + "\n\nThe end of the story is near.\n"
    segments = split_paragraphs(text)
    check_segments(text, segments)
    assert len(segments) == 3
    wrapped = segments[1]
    assert (wrapped.line, wrapped.end_line) == (3, 7)
    assert wrapped.text == WRAPPED
    assert wrapped.skipped is None
    assert (segments[2].line, segments[2].end_line) == (9, 9)


def test_hard_wrapped_paragraph_with_short_last_line_stays_whole():
    # The last line of a hard-wrapped paragraph is often only a word or two;
    # it is the end of the paragraph, not a separate too-short line.
    wrapped = (
        "The committee met on Tuesday to discuss the budget for the coming year and\n"
        "agreed that the spending plan should be revised before the end of\n"
        "the month."
    )
    text = wrapped + "\n\nNext comes another paragraph that is a normal one.\n"
    segments = split_paragraphs(text)
    check_segments(text, segments)
    assert [(s.line, s.end_line, s.skipped) for s in segments] == [(1, 3, None), (5, 5, None)]
    assert segments[0].text == wrapped


def test_hard_wrapped_line_starting_with_by_stays_in_paragraph():
    # "by President Macron, who ..." continues the sentence of the line above;
    # it is not a byline.
    wrapped = (
        "The plan for a reassurance force was announced on Tuesday evening\n"
        "by President Macron, who said that it would be ready within weeks\n"
        "and that several countries had already offered troops for it."
    )
    segments = split_paragraphs(wrapped)
    check_segments(wrapped, segments)
    assert [(s.line, s.end_line, s.skipped) for s in segments] == [(1, 3, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "By Sunday, more than 100 people had died in the floods, officials said.",
        "By January, the army had lost most of the ground it gained in the autumn.",
    ],
)
def test_prose_starting_with_by_is_not_a_byline(sentence):
    text = f"{sentence}\n\nThe rain finally stopped on Monday morning.\n"
    segments = split_paragraphs(text)
    assert [(s.text, s.skipped) for s in segments] == [
        (sentence, None),
        ("The rain finally stopped on Monday morning.", None),
    ]


@pytest.mark.parametrize("line", ["Hello", "Photos", "Read more", "World news", "2024", "12 34"])
def test_one_or_two_word_lines_are_too_short(line):
    text = f"A real paragraph of prose comes first in this file.\n\n{line}\n\nAnd another real paragraph follows it here.\n"
    segments = split_paragraphs(text)
    check_segments(text, segments)
    assert [s.skipped for s in segments] == [None, "too_short", None]
    assert segments[1].text == line
    assert segments[1].line == 3


def test_three_words_are_not_too_short():
    segments = split_paragraphs("He said nothing.")
    assert segments[0].skipped is None


@pytest.mark.parametrize(
    "line, reason",
    [
        ("https://example.com/some/page?x=1", "url"),
        ("www.example.org", "url"),
        ("2025-03-11 13:18:00", "timestamp"),
        ("Published: 2024-01-02", "timestamp"),
        ("* * *".replace(" ", ""), "separator"),
        ("-----", "separator"),
        ("By Jane Smith", "byline"),
        ("John Doe in London contributed to this report.", "byline"),
        ("A soldier walks past the ruins of a house (AP Photo/John Smith)", "photo_credit"),
    ],
)
def test_skip_reasons(line, reason):
    text = f"Some prose paragraph comes first in the document.\n\n{line}\n"
    segments = split_paragraphs(text)
    assert segments[1].skipped == reason
    assert segments[1].text == line


def test_crlf_input():
    lf = "First paragraph with several words in it.\n\nSecond one, also with words.\nhttps://example.com/x\n"
    crlf = lf.replace("\n", "\r\n")
    raw_segments = split_paragraphs(crlf)
    check_segments(crlf, raw_segments)
    decoded = decode_bytes(crlf.encode("utf-8"))
    assert decoded == lf
    lf_segments = split_paragraphs(lf)
    assert [(s.text, s.line, s.end_line, s.skipped) for s in raw_segments] == [
        (s.text, s.line, s.end_line, s.skipped) for s in lf_segments
    ]
    assert all("\r" not in s.text for s in raw_segments)
    assert [s.skipped for s in lf_segments] == [None, None, "url"]


def test_empty_and_blank_text():
    assert split_paragraphs("") == []
    assert split_paragraphs("\n\n   \n\t\n") == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n\r\t-_:/\u00a0\u2028A1"))))
def test_split_paragraphs_spans_property_small_alphabet(text):
    check_segments(text, split_paragraphs(text))


# ---------------------------------------------------------------------------
# split_sentences
# ---------------------------------------------------------------------------


def _sentences(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_sentences_keep_mr_and_us_together():
    text = "Mr. Smith visited the U.S. Army base on Monday. He left on Tuesday. Then Dr. Jones came."
    assert _sentences(text) == [
        "Mr. Smith visited the U.S. Army base on Monday.",
        "He left on Tuesday.",
        "Then Dr. Jones came.",
    ]


def test_sentences_quotes_and_questions():
    text = "“Who will go there?” he asked. Nobody knew! The talks ended."
    assert _sentences(text) == ["“Who will go there?” he asked.", "Nobody knew!", "The talks ended."]


def test_sentences_spans_are_ordered_and_stripped():
    text = "One sentence here.  Another one follows!   And a third?  "
    spans = split_sentences(text)
    assert len(spans) == 3
    for (a, b), (c, d) in zip(spans, spans[1:]):
        assert a < b <= c < d
    for a, b in spans:
        assert text[a:b] == text[a:b].strip()


def test_sentences_of_empty_text():
    assert split_sentences("") == []


# ---------------------------------------------------------------------------
# read_text
# ---------------------------------------------------------------------------


def test_read_text_file(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Hello “world”\r\nagain".encode("utf-8"))
    assert read_text(str(path)) == "Hello “world”\nagain"


def test_read_text_latin1_file_raises(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"caf\xe9 au lait")
    with pytest.raises(DecodeError):
        read_text(str(path))


def test_read_text_missing_file(tmp_path):
    with pytest.raises(OSError):
        read_text(str(tmp_path / "missing.txt"))


def test_read_text_stdin(monkeypatch):
    data = "From standard input, “quoted”.\n".encode("utf-16")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert read_text("-") == "From standard input, “quoted”.\n"


_TYPOGRAPHIC = st.sampled_from(list("\u2018\u2019\u201c\u201d\u2026\u2581\u00a0\u200d\u2013\u2014\u00ab\u00bb"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="ab .!?\n-_", max_size=12), _TYPOGRAPHIC), max_size=40))
@example(pieces=["a?a?a", "\u2018", "a?aab"])  # a left quote between letters joined no word
def test_typography_never_changes_segmentation(pieces):
    # Curly vs straight quotes, '…', '▁' or a zero-width joiner must not move a
    # paragraph boundary or a skip decision: they would otherwise leak the label.
    text = "".join(pieces)
    layout = [(s.line, s.end_line, s.start, s.end, s.skipped) for s in split_paragraphs(text)]
    normalised = split_paragraphs(normalize_typography(text))
    assert layout == [(s.line, s.end_line, s.start, s.end, s.skipped) for s in normalised]


# --------------------------------------------------------------------- not English

NOT_ENGLISH = {
    "de": "Der Stadtrat hat am Montag den neuen Haushalt beschlossen. Die Sanierung der alten "
          "Brücke soll im Frühjahr beginnen und zwei Jahre dauern.",
    "fr": "Le conseil municipal a adopté lundi le nouveau budget. La rénovation du vieux pont "
          "doit commencer au printemps et durer deux ans.",
    "es": "El ayuntamiento aprobó el lunes el nuevo presupuesto. La reparación del viejo puente "
          "comenzará en primavera y durará dos años.",
    "ru": "Городской совет в понедельник утвердил новый бюджет. Ремонт старого моста начнётся "
          "весной и продлится два года.",
    "zh": "市议会周一批准了新的预算。旧桥的维修工作将于春季开始，持续两年。",
}


@pytest.mark.parametrize("language", sorted(NOT_ENGLISH))
def test_paragraph_in_another_language_is_skipped(language):
    english = ("The council met on Monday to discuss the budget for the old bridge, "
               "which needs repairs before the winter storms arrive.")
    segments = split_paragraphs(english + "\n\n" + NOT_ENGLISH[language] + "\n")
    assert [s.skipped for s in segments] == [None, "not_english"]


def test_english_with_many_names_is_english():
    text = ("Ukrainian President Volodymyr Zelenskyy met Sébastien Lecornu, Thierry Burkhard "
            "and Ruslan Khomchak in Kyiv on Tuesday, officials said.")
    assert [s.skipped for s in split_paragraphs(text)] == [None]


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "this is a PNG image, not text"),
    (__import__("gzip").compress(b"The council met on Monday. " * 10), "gzip-compressed data"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    ("The council met on Monday to discuss the budget.\n".encode("utf-16-le"),
     "UTF-16 (little-endian) text without a byte-order mark"),
    ("The council met on Monday to discuss the budget.\n".encode("utf-16-be"),
     "UTF-16 (big-endian) text without a byte-order mark"),
    (b"first line\nsecond line\nthe caf\xe9 is open\n", "invalid byte at line 3, offset 30"),
    ("He said \u201cno\u201d.\n".encode("cp1252"), "it may be Latin-1 or Windows-1252"),
])
def test_decode_errors_say_what_the_bytes_are(data, message):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert message in str(info.value)


def test_utf16_with_bom_still_decodes():
    text = "The council met on Monday.\n"
    assert decode_bytes(text.encode("utf-16")) == text
