"""Large text files read line by line give exactly what decode_bytes gives:
the same text, the same offsets, the same errors."""

from __future__ import annotations

import codecs
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detector.io.large_files as textfile
from detector.cli.run import main
from detector.io.inputs import iter_documents
from detector.errors import DecodeError
from detector.io.decode import decode_bytes
from detector.segment.paragraphs import iter_paragraphs, split_paragraphs
from detector.io.large_files import iter_text_lines, streamable

PIECES = st.sampled_from(["a", "é", "—", "\n", "\r", "\r\n", "\n\n", " ", "\t", "😀", "x.", "\x00",
                          "\ufeff", "The talks resume. "])
TEXTS = st.lists(PIECES, max_size=40).map("".join)
BYTES = st.one_of(
    st.binary(max_size=200),
    st.tuples(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\x89PNG\r\n\x1a\n",
                               b"\x1f\x8b"]), TEXTS, st.sampled_from(["utf-8", "latin-1",
                                                                       "utf-16-le"]))
    .map(lambda t: t[0] + t[1].encode(t[2], errors="replace")),
)


def _outcome(call):
    try:
        return "ok", call()
    except DecodeError as exc:
        return "error", str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=BYTES)
def test_streamed_lines_equal_decoded_text(tmp_path, monkeypatch, data):
    monkeypatch.setattr(textfile, "CHUNK_BYTES", 7)  # many chunks even for short files
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    whole = _outcome(lambda: decode_bytes(data))
    check = _outcome(lambda: streamable(path))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        assert check == ("ok", False)  # UTF-16 with a byte-order mark is read whole
    elif whole[0] == "error":
        assert check == whole
    else:
        assert check == ("ok", True)
        assert "\n".join(iter_text_lines(path)) == whole[1]
        assert list(iter_paragraphs(iter_text_lines(path))) == split_paragraphs(whole[1])


def test_large_file_is_streamed_and_scored_the_same(tmp_path, monkeypatch, capsys,
                                                    default_model_file, seed_mangled):
    monkeypatch.setattr(textfile, "STREAM_BYTES", 100)
    [document] = iter_documents([str(seed_mangled)])
    assert document.text is None and document.stream_path == str(seed_mangled)
    assert main(["flag", "--format", "jsonl", str(seed_mangled)]) == 1
    streamed = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(textfile, "STREAM_BYTES", 10**9)
    assert main(["flag", "--format", "jsonl", str(seed_mangled)]) == 1
    assert json.loads(capsys.readouterr().out) == streamed
    assert streamed["n_flagged"] == 25


def test_large_bad_file_is_refused_with_the_same_message(tmp_path, monkeypatch):
    monkeypatch.setattr(textfile, "STREAM_BYTES", 10)
    path = tmp_path / "bad.txt"
    path.write_bytes(b"The talks resume.\n" * 3 + b"caf\xe9\n")
    [document] = iter_documents([str(path)])
    assert document.error == ("not valid UTF-8 text: invalid byte at line 4, offset 57 (it may "
                              "be Latin-1 or Windows-1252); convert the file to UTF-8 first")


@pytest.mark.parametrize("data", [b"", b"\n", b"a", b"a\r", b"a\r\r\n", codecs.BOM_UTF8 + b"x\n"])
def test_line_breaks_and_bom(tmp_path, data):
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert streamable(path)
    assert "\n".join(iter_text_lines(path)) == decode_bytes(data)
