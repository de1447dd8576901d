"""Every kind of bad input in the README's table gets its documented result,
through score_document and through the CLI: a clear skip reason or a clear
error, never a traceback, and nothing dropped silently. The CLI runs in this
interpreter (conftest.run_main), and as a subprocess for the unreadable files'
exit code 2."""

from __future__ import annotations

import codecs
import gzip
import json
import struct

import pytest

from conftest import run_main
from detector.score.document import score_document
from detector.segment.paragraphs import MAX_PARAGRAPH_CHARS, split_paragraphs
from detector.errors import DecodeError
from detector.io.decode import decode_bytes

PROSE = ("The minister said on Tuesday that the talks with the unions would resume next "
         "week in Paris, café owners said.")
PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + bytes(17)

# name -> (bytes of the file, what the user gets): ("error", words of the message)
# or ("skipped", the skip reasons in order) or ("scored", how many paragraphs scored).
CASES: dict[str, tuple[bytes, tuple]] = {
    "empty": (b"", ("skipped", [])),
    "whitespace": (b"   \n\t\n  \n", ("skipped", [])),
    "one word": (b"Hello\n", ("skipped", ["too_short"])),
    "10000 empty lines": (b"\n" * 10000, ("skipped", [])),
    "png": (PNG, ("error", "this is a PNG image, not text")),
    "gzip named .txt": (gzip.compress(PROSE.encode()), ("error", "gzip-compressed data")),
    "nul bytes": (b"The minister said\x00 the talks would resume.\n",
                  ("error", "contains NUL bytes")),
    "latin-1": (f"{PROSE}\n".encode("latin-1"),
                ("error", "invalid byte at line 1, offset 96 (it may be Latin-1 or "
                          "Windows-1252)")),
    "windows-1252": ("\u201cThe minister\u201d said the talks would resume \u2013 next week.\n"
                     .encode("cp1252"), ("error", "invalid byte at line 1, offset 0")),
    "utf-16 without bom": (f"{PROSE}\n".encode("utf-16-le"),
                           ("error", "UTF-16 (little-endian) text without a byte-order mark")),
    "invalid utf-8 mid-file": ((f"{PROSE}\n" * 3).encode() + b"\xff broken\n" + PROSE.encode(),
                               ("error", "invalid byte at line 4, offset 336")),
    "html as .txt": (b"<!DOCTYPE html>\n<html><head><title>News</title></head>\n<body>\n"
                     b"<p>The minister said on Tuesday that the talks would resume next week."
                     b"</p>\n</body></html>\n", ("skipped", ["markup", "markup"])),
    "markdown as .txt": ((f"# Talks to resume next week\n\n{PROSE}\n\n| a | b | c |\n|---|---|---|"
                          "\n\n```\nx = score(text)\n```\n").encode(),
                         ("scored", 2, ["table", "code"])),
    "code": (b"def score(text, model=None):\n    result = model.predict(text)\n"
             b"    return result\n", ("skipped", ["code"])),
    "table": (b"| Name | Age | City |\n|---|---|---|\n| Anna Smith | 34 | Paris |\n",
              ("skipped", ["table"])),
    "tab-separated table": (b"Name\tAge\tCity\nAnna Smith\t34\tParis\n", ("skipped", ["table"])),
    "numbers": (b"1, 2, 3, 4, 5\n6, 7, 8, 9, 10\n\n3.14 2.71 1.41\n",
                ("skipped", ["numbers", "numbers"])),
    "german": ("Der Minister sagte am Dienstag, dass die Gespräche mit den Gewerkschaften "
               "nächste Woche in Paris wieder aufgenommen werden.\n".encode(),
               ("skipped", ["not_english"])),
    "russian": ("Министр сказал во вторник, что переговоры возобновятся на следующей неделе.\n"
                .encode(), ("skipped", ["not_english"])),
    "chinese": ("部长周二表示，谈判将于下周在巴黎恢复。\n".encode(), ("skipped", ["not_english"])),
    "mixed english and german": (f"{PROSE}\n\nDer Minister sagte am Dienstag, dass die "
                                 "Gespräche nächste Woche wieder aufgenommen werden.\n".encode(),
                                 ("scored", 1, ["not_english"])),
    "emoji, zero-width, rtl, combining": (
        "The minister \U0001F600 said on Tuesday that the talks\u200b would \u200fresume next "
        "week in Paris, cafe\u0301 owners said. \U0001F44D\n".encode(), ("scored", 1, [])),
}


def _expected_segments(expect: tuple) -> tuple[int, list[str]]:
    kind = expect[0]
    if kind == "scored":
        return expect[1], expect[2]
    return 0, expect[1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_score_document(name, tiny_model):
    data, expect = CASES[name]
    if expect[0] == "error":
        with pytest.raises(DecodeError, match=expect[1].replace("(", r"\(").replace(")", r"\)")):
            decode_bytes(data)
        with pytest.raises(TypeError, match="expects str, not bytes"):
            score_document(data, model=tiny_model)  # type: ignore[arg-type]
        return
    result = score_document(decode_bytes(data), model=tiny_model)
    n_scored, skipped = _expected_segments(expect)
    assert result.n_scored == n_scored
    assert [p.skipped for p in result.paragraphs if p.skipped] == skipped
    if n_scored == 0:
        assert result.label == "unscored" and result.score is None


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bad")
    paths = {}
    for number, (name, (data, _)) in enumerate(sorted(CASES.items())):
        path = directory / f"{number:02d}.txt"
        path.write_bytes(data)
        paths[name] = path
    return paths


def test_cli_jsonl_one_record_per_file(default_model_file, bad_files):
    names = sorted(bad_files)
    proc = run_main("flag", "--format", "jsonl", *[str(bad_files[n]) for n in names], text=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2  # some files could not be read
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["path"] for r in records] == [str(bad_files[n]) for n in names]
    for name, record in zip(names, records):
        expect = CASES[name][1]
        if expect[0] == "error":
            assert expect[1] in record["error"], (name, record)
            assert f"{bad_files[name]}: " in proc.stderr
            continue
        n_scored, skipped = _expected_segments(expect)
        assert record["n_scored"] == n_scored, name
        assert [p["skipped"] for p in record["paragraphs"] if p["skipped"]] == skipped, name


def test_cli_text_says_why(default_model_file, bad_files):
    proc = run_main("flag", "--all", str(bad_files["german"]), str(bad_files["code"]),
                    str(bad_files["empty"]), text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        f"{bad_files['german']}:1:1: skipped not_english (not English, not scored)",
        f"{bad_files['german']}: no prose paragraphs to score (1 skipped)",
        f"{bad_files['code']}:1:1: skipped code (source code)",
        f"{bad_files['code']}: no prose paragraphs to score (1 skipped)",
        f"{bad_files['empty']}: no prose paragraphs to score (0 skipped)",
        "total: 0 of 3 documents flagged (0 of 0 prose paragraphs)",
    ]


@pytest.mark.parametrize("name", ["png", "utf-16 without bom", "invalid utf-8 mid-file"])
def test_cli_unreadable_file_is_exit_2_with_message(run_cli, default_model_file, bad_files, name):
    proc = run_cli("flag", str(bad_files[name]))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"detector: error: {bad_files[name]}: ")
    assert CASES[name][1][1] in proc.stderr
    assert "Traceback" not in proc.stderr


def test_same_words_same_score_whatever_the_typography(tiny_model):
    straight = ("\"The minister's aide said the talks wouldn't resume,\" she said -- and "
                "left.")
    curly = ("\u201cThe minister\u2019s aide said the talks wouldn\u2019t resume,\u201d she "
             "said \u2013\u2013 and left.")
    invisible = straight.replace(" the ", " the\u200b ").replace("she", "\u200fshe")
    scores = {score_document(t, model=tiny_model).paragraphs[0].score
              for t in (straight, curly, invisible)}
    assert len(scores) == 1


def test_100000_short_paragraphs(default_model_file, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("\n\n".join(["Yes.", "Thank you."] * 50_000) + "\n")
    segments = split_paragraphs(path.read_text())
    assert len(segments) == 100_000 and {s.skipped for s in segments} == {"too_short"}
    proc = run_main("flag", str(path), text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{path}: no prose paragraphs to score (100000 skipped)\n"


def test_20_mb_paragraph_without_newline_is_cut_and_covered():
    sentence = "The minister said the talks would resume on Tuesday in Paris, officials said. "
    text = sentence * (20_000_000 // len(sentence))
    segments = split_paragraphs(text)
    assert all(len(s.text) <= MAX_PARAGRAPH_CHARS for s in segments)
    assert segments[0].start == 0 and segments[-1].end == len(text.rstrip())
    assert all(not text[a.end:b.start].strip() for a, b in zip(segments, segments[1:]))
    assert {(s.line, s.end_line) for s in segments} == {(1, 1)}


def test_cli_long_paragraph_without_newline(default_model_file, tmp_path, monkeypatch):
    # The 20 MB line is cut as above; here the command scores a line of 60
    # pieces (20 MB would be 4,000 pieces, the same code path), read line by
    # line as a file over STREAM_BYTES is.
    import detector.io.large_files as large_files

    sentence = "The minister said the talks would resume on Tuesday in Paris, officials said. "
    path = tmp_path / "one_line.txt"
    path.write_text(sentence * (60 * MAX_PARAGRAPH_CHARS // len(sentence)))
    monkeypatch.setattr(large_files, "STREAM_BYTES", 100_000)
    assert path.stat().st_size > large_files.STREAM_BYTES
    proc = run_main("flag", "--format", "jsonl", str(path), text=True)
    # One sentence repeated, cut mid-sentence into pieces: every piece reads
    # as mangled, so the run exits 1.
    assert proc.returncode == 1, proc.stderr
    record = json.loads(proc.stdout)
    assert record["n_scored"] == record["n_paragraphs"] >= 60
    assert record["n_flagged"] == record["n_scored"]
    assert all(p["line"] == 1 and p["end"] - p["start"] <= MAX_PARAGRAPH_CHARS
               for p in record["paragraphs"])
    assert record["paragraphs"][-1]["end"] == path.stat().st_size - 1  # the final space


def test_utf8_bom_and_crlf_are_read(tiny_model):
    text = decode_bytes(codecs.BOM_UTF8 + f"{PROSE}\r\n\r\n{PROSE}\r\n".encode())
    assert score_document(text, model=tiny_model).n_scored == 2
