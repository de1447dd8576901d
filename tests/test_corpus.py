"""Corpus inputs and runs: Markdown, HTML, JSON Lines in and out, parallel
workers, the Dask path, and output that survives a killed run."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL, run_on_terminal
from detector.io.inputs import iter_documents
from detector.io.markup import html_to_text, markdown_to_text
from detector.io.output import partial_path

MARKDOWN = (
    "# A title\n\n"
    "The **council** met on [Monday](https://example.org/x) to discuss the *budget*.\n\n"
    "- a list item\n"
    "> a quoted line\n\n"
    "```\nprint('code')\n```\n\n"
    "![a photo](img.png) and `inline code` here\n"
)


def test_markdown_markup_is_blanked_in_place():
    text = markdown_to_text(MARKDOWN)
    assert len(text) == len(MARKDOWN)
    assert text.count("\n") == MARKDOWN.count("\n")
    lines = text.split("\n")
    assert lines[0] == "  A title"
    assert lines[2] == ("The   council   met on  Monday" + " " * len("](https://example.org/x)")
                        + " to discuss the  budget .")
    assert lines[4].strip() == "a list item" and lines[5].strip() == "a quoted line"
    assert "print" not in text and "img.png" not in text and "https" not in text
    assert "a photo" in text and "inline code" in text


def test_html_main_text_without_scripts_or_menus():
    page = ("<html><head><title>x</title><script>var secret = 1;</script></head><body>"
            "<nav>Home | About | Contact</nav><article><h1>Bridge repairs</h1>"
            "<p>The council met on Monday to discuss the budget for the old bridge.</p>"
            "<p>Residents said the plan was late but they welcomed it anyway.</p></article>"
            "<footer>Copyright 2025</footer></body></html>")
    text = html_to_text(page)
    assert "The council met on Monday" in text and "Residents said" in text
    assert "secret" not in text and "Copyright" not in text
    assert "\n\n" in text  # one block per paragraph
    with pytest.raises(ValueError):
        html_to_text("<html><body></body></html>")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, repo_root):
    tmp = tmp_path_factory.mktemp("corpus")
    mangled = (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8")
    clean = (repo_root / SEED_CLEAN_REL).read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "seed-002", "text": mangled}),
        "this line is not JSON",
        json.dumps({"id": "no-text", "body": "the text is under another name"}),
        json.dumps(["an", "array"]),
        json.dumps({"id": 7, "text": clean}),
        json.dumps({"text": "A record with no id and one short paragraph of ordinary prose."}),
    ]
    path = tmp / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus_run(run_cli, corpus, default_model_file):
    """`flag --format jsonl` on the corpus, serial and piped: the run several tests read."""
    return run_cli("flag", "--format", "jsonl", str(corpus))


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_jsonl_in_jsonl_out_one_line_per_record(corpus_run, corpus):
    proc = corpus_run
    assert proc.returncode == 2  # some records could not be scored
    records = _records(proc.stdout)
    assert [r["id"] for r in records] == ["seed-002", "2", "no-text", "4", "7", "6"]
    assert all(r["path"] == str(corpus) for r in records)
    assert records[0]["n_flagged"] == 25 and records[4]["n_flagged"] == 0
    assert "not valid JSON" in records[1]["error"]
    assert "field 'text' missing" in records[2]["error"]
    assert "not a JSON object" in records[3]["error"]
    assert len(proc.stderr.strip().splitlines()) == 3


def _paragraph_scores(record: dict) -> list:
    return [p["score"] for p in record["paragraphs"]]


def test_same_scores_everywhere(run_cli, corpus, corpus_run):
    from detector.score.document import score_document

    serial = _records(corpus_run.stdout)
    parallel = _records(run_cli("flag", "--format", "jsonl", "-j", "2", str(corpus)).stdout)
    assert parallel == serial
    texts = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "id" in obj and "text" in obj:
            texts[str(obj["id"])] = obj["text"]
    for record in serial:
        if record["id"] in texts:
            direct = score_document(texts[record["id"]])
            assert _paragraph_scores(record) == [p.score for p in direct.paragraphs]
            assert record["score"] == direct.score

    from distributed import Client, LocalCluster

    from detector.score.dask import read_jsonl, score_bag

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        bag = read_jsonl(str(corpus), blocksize=None).repartition(npartitions=2)
        dasked = score_bag(bag, path=str(corpus)).compute()
    assert len(dasked) == len(serial)
    for mine, theirs in zip(dasked, serial):
        if "error" in theirs:
            assert "error" in mine
            continue
        assert mine["id"] == theirs["id"] or theirs["id"] == "6"  # no id: line number vs None
        assert _paragraph_scores(mine) == _paragraph_scores(theirs)
        assert mine["score"] == theirs["score"]


def test_markdown_and_html_files(run_cli, tmp_path, default_model_file):
    md = tmp_path / "doc.md"
    md.write_text(MARKDOWN, encoding="utf-8")
    page = tmp_path / "doc.html"
    page.write_text("<html><body><article><p>The council met on Monday to discuss the budget "
                    "for the old bridge, which needs repairs before winter.</p></article>"
                    "</body></html>", encoding="utf-8")
    proc = run_cli("flag", "--format", "json", str(md), str(page))
    assert proc.returncode == 0, proc.stderr  # plain news sentences: clean, well under the threshold
    files = json.loads(proc.stdout)["files"]
    assert [f["path"] for f in files] == [str(md), str(page)]
    md_text = markdown_to_text(MARKDOWN)
    for p in files[0]["paragraphs"]:
        assert md_text[p["start"]:p["end"]].strip()
    assert files[1]["n_scored"] == 1


def test_killed_run_leaves_complete_lines(tmp_path, repo_root, default_model_file):
    text = (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8")
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps({"id": k, "text": text}) + "\n" for k in range(400)),
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "detector", "flag", "--format", "jsonl",
                             "-o", str(out), str(source)], cwd=repo_root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Until the run ends the output goes to .out.jsonl.partial (detector.io.output):
    # a killed run leaves its complete lines there and no out.jsonl at all.
    partial = partial_path(out)
    deadline = time.time() + 240
    while time.time() < deadline and (not partial.exists()
                                      or partial.read_text().count("\n") < 5):
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    lines = partial.read_text(encoding="utf-8").splitlines(keepends=True)
    assert 5 <= len(lines) < 400
    for k, line in enumerate(lines):
        assert line.endswith("\n")
        assert json.loads(line)["id"] == str(k)


def test_iter_documents_streams(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"id": k, "text": "x"}) + "\n" for k in range(1000)),
                    encoding="utf-8")
    documents = iter_documents([str(path)])
    first = next(documents)
    assert first.id == "0" and first.text == "x"
    assert sum(1 for _ in documents) == 999


def test_progress_only_on_a_terminal(corpus, corpus_run):
    on_terminal = run_on_terminal("flag", "--format", "jsonl", str(corpus), stream="stderr")
    assert "documents/s" in on_terminal
    assert "documents/s" not in corpus_run.stderr


def test_a_null_line_is_an_error_not_a_blank(tmp_path):
    """`null` is a JSON value, not a blank line: its record says it is not an
    object, in place, and blank lines are still passed over."""
    from detector.io.inputs import iter_documents
    from detector.errors import DataError
    from detector.io.jsonl import iter_objects

    path = tmp_path / "nulls.jsonl"
    path.write_bytes(b'null\n\n  \n{"text": "The council met on Monday."}\nnull')
    documents = list(iter_documents([str(path)]))
    assert [(d.id, d.error) for d in documents] == [
        ("1", "line 1: not a JSON object"), ("4", None), ("5", "line 5: not a JSON object")]
    with pytest.raises(DataError, match=r"nulls.jsonl:1: expected a JSON object"):
        list(iter_objects(path))
