"""The `detector` command.

Tests of the seed output use the shipped default model but never assert its
scores: only that the text output, the JSON output and the exit code agree.
Error-path and evaluate-variant tests use the tiny model for speed.

A subprocess (``run_cli``) runs the seed's text and JSON output, standard
input, --version, a missing file among real ones, evaluate with the default
model, and evaluate --plot without matplotlib: exit codes as the shell sees
them. The other variants call the same ``main`` in this interpreter
(``conftest.run_main``).
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import re
import subprocess
import sys

import pytest

from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL, run_main
from detector.io.decode import read_text
from detector.segment.paragraphs import split_paragraphs

# path:line:column: CODE score reasons, as ruff writes a diagnostic
FLAGGED_LINE = re.compile(r"^seeds/002_2c1e469cce9ae44f\.txt:(\d+):(\d+): ([a-z]+\.[a-z_]+) "
                          r"([01]\.\d\d) \S")
SUMMARY = re.compile(r"^seeds/002_2c1e469cce9ae44f\.txt: (\d+) of (\d+) prose paragraphs flagged")
PARAGRAPH_KEYS = {"index", "line", "column", "end_line", "start", "end", "score", "flagged", "skipped", "reasons",
                  "alignment"}
METRIC_COLUMNS = ["roc_auc", "accuracy", "precision", "recall", "f1", "fpr", "n"]


def _no_traceback(proc):
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout


@pytest.fixture(scope="module")
def default_flag(run_cli, default_model_file):
    """`flag` on seed 002 with the default model, as text and as JSON."""
    text = run_cli("flag", SEED_MANGLED_REL)
    as_json = run_cli("flag", SEED_MANGLED_REL, "--format", "json")
    return text, as_json


@pytest.fixture
def tiny_args(tiny_model_path):
    return ["--model", str(tiny_model_path)]


# ---------------------------------------------------------------------------
# flag, default model
# ---------------------------------------------------------------------------


def test_flag_seed_text_matches_json(default_flag):
    text, as_json = default_flag
    _no_traceback(text)
    _no_traceback(as_json)
    assert text.returncode == 1, text.stderr  # seed 002: every prose paragraph flagged
    data = json.loads(as_json.stdout)
    paragraphs = data["files"][0]["paragraphs"]
    flagged = [p for p in paragraphs if p["flagged"]]
    lines = text.stdout.splitlines()
    assert lines, text.stderr
    summary = SUMMARY.match(lines[-1])
    assert summary, lines[-1]
    assert int(summary.group(2)) == 25 == sum(p["score"] is not None for p in paragraphs)
    assert int(summary.group(1)) == len(flagged)
    shown = []
    for line in lines[:-1]:
        match = FLAGGED_LINE.match(line)
        assert match, line
        shown.append(int(match.group(1)))
    assert shown == [p["line"] for p in flagged]
    for line, paragraph in zip(lines[:-1], flagged):
        match = FLAGGED_LINE.match(line)
        assert match.group(4) == f"{paragraph['score']:.2f}"
        first = paragraph["reasons"][0]
        assert match.group(3) == first["code"]
        where = (first["line"], first["column"]) if first["start"] is not None else \
            (paragraph["line"], paragraph["column"])
        assert (int(match.group(1)), int(match.group(2))) == where
    # exit code 1 iff something is flagged, in both formats
    assert text.returncode == (1 if flagged else 0)
    assert as_json.returncode == text.returncode
    assert text.stderr == ""


def test_flag_json_shape(default_flag):
    _, as_json = default_flag
    data = json.loads(as_json.stdout)
    assert len(data["files"]) == 1
    record = data["files"][0]
    assert record["path"] == SEED_MANGLED_REL
    assert record["label"] in ("clean", "mangled")
    assert 0.0 <= record["threshold"] <= 1.0
    paragraphs = record["paragraphs"]
    assert len(paragraphs) == 29
    for k, paragraph in enumerate(paragraphs):
        assert set(paragraph) == PARAGRAPH_KEYS
        assert paragraph["index"] == k
        assert paragraph["line"] == paragraph["end_line"] == k + 1
        if paragraph["skipped"]:
            assert paragraph["score"] is None and paragraph["flagged"] is False
        else:
            assert 0.0 <= paragraph["score"] <= 1.0
            assert paragraph["flagged"] == (paragraph["score"] >= record["threshold"]) or abs(
                paragraph["score"] - record["threshold"]
            ) <= 5e-5
    assert [p["skipped"] for p in paragraphs[25:]] == ["separator", "byline", "url", "timestamp"]


def test_flag_json_spans_point_into_file(default_flag, repo_root):
    _, as_json = default_flag
    text = read_text(str(repo_root / SEED_MANGLED_REL))
    for paragraph, segment in zip(json.loads(as_json.stdout)["files"][0]["paragraphs"], split_paragraphs(text)):
        assert (paragraph["start"], paragraph["end"]) == (segment.start, segment.end)
        for reason in paragraph["reasons"]:
            if reason["start"] is not None:
                assert paragraph["start"] <= reason["start"] < reason["end"] <= paragraph["end"]


def test_flag_threshold_zero_every_prose_line(default_model_file, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = run_main("flag", SEED_MANGLED_REL, str(empty), "--threshold", "0", text=True)
    _no_traceback(proc)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 28
    assert [int(FLAGGED_LINE.match(line).group(1)) for line in lines[:-3]] == list(range(1, 26))
    assert SUMMARY.match(lines[-3]).groups() == ("25", "25")
    assert lines[-2].startswith(f"{empty}: no prose paragraphs")
    assert lines[-1] == "total: 1 of 2 documents flagged (25 of 25 prose paragraphs)"


def test_flag_threshold_one(default_model_file):
    as_json = run_main("flag", SEED_MANGLED_REL, "--threshold", "1", "--format", "json",
                       text=True)
    _no_traceback(as_json)
    record = json.loads(as_json.stdout)["files"][0]
    assert record["threshold"] == 1.0
    scored = [p for p in record["paragraphs"] if p["score"] is not None]
    assert len(scored) == 25
    # No paragraph of seed 002 scores 1, so at threshold 1 nothing is flagged
    # and the exit code says clean.
    assert all(p["score"] < 1.0 and not p["flagged"] for p in scored)
    assert record["flagged"] is False
    assert as_json.returncode == 0, as_json.stderr


_REPEATED = ("The council met on Tuesday to discuss the budget for next year, and members "
             "agreed that the city, the city and its suburbs, needed more money for roads and "
             "schools.\n\nThe mayor said the plan would be published next month after a public "
             "consultation.\n")


def test_flag_all_shows_the_reasons_of_clean_paragraphs(run_cli, tmp_path):
    # A reason is shown for a flagged paragraph, and for the others only with
    # --all: there a clean paragraph's line carries its reasons, at the first
    # one's position, in text and in the HTML report (grey, no marks).
    path = tmp_path / "council.txt"
    path.write_text(_REPEATED, encoding="utf-8")
    plain = run_cli("flag", path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[0].startswith(f"{path}: 0 of 2 prose paragraphs flagged")
    shown = run_cli("flag", "--all", path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert re.fullmatch(rf"{re.escape(str(path))}:1:89: clean 0\.\d\d art\.duplicated_phrase "
                        r"phrase repeated back to back: 'the city'", lines[0]), lines[0]
    assert re.fullmatch(rf"{re.escape(str(path))}:3:1: clean 0\.\d\d", lines[1]), lines[1]
    report = tmp_path / "council.html"
    html = run_cli("flag", "--all", "--format", "html", "-o", report, path)
    assert html.returncode == 0, html.stderr
    page = report.read_text(encoding="utf-8")
    assert re.search(r'class="side quiet">0\.\d\d<ul class="reasons"><li><code>'
                     r"art\.duplicated_phrase</code>", page)
    assert "<mark title=" not in page  # the legend's sample mark aside
    without = tmp_path / "plain.html"
    assert run_cli("flag", "--format", "html", "-o", without, path).returncode == 0
    assert "art.duplicated_phrase" not in without.read_text(encoding="utf-8")


def test_flag_all_lists_every_paragraph(default_model_file):
    proc = run_main("flag", "--all", SEED_MANGLED_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 1  # seed 002 is flagged
    lines = proc.stdout.splitlines()
    assert len(lines) == 30
    numbers = [int(re.match(r"^seeds/002_2c1e469cce9ae44f\.txt:(\d+):\d+: ", line).group(1))
               for line in lines[:-1]]
    assert numbers == list(range(1, 30))
    assert lines[27] == f"{SEED_MANGLED_REL}:28:1: skipped url (a web address)"
    assert lines[25].endswith("skipped separator (a separator line)")
    assert lines[28].endswith("skipped timestamp (a date or time stamp)")
    for line in lines[:25]:
        assert re.match(r"^seeds/002_2c1e469cce9ae44f\.txt:\d+:\d+: ([a-z]+\.[a-z_]+ [01]\.\d\d \S|"
                        r"clean [01]\.\d\d$)", line), line
    assert SUMMARY.match(lines[-1])


def test_flag_stdin(run_cli, default_flag, repo_root):
    text = (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8")
    from_stdin = run_cli("flag", "-", "--format", "json", input=text)
    from_file = default_flag[1]
    _no_traceback(from_stdin)
    assert from_stdin.returncode == from_file.returncode
    a = json.loads(from_stdin.stdout)["files"][0]
    b = json.loads(from_file.stdout)["files"][0]
    assert a.pop("path") == "<stdin>"
    b.pop("path")
    assert a == b


def test_flag_jsonl_one_object_per_file(default_model_file):
    proc = run_main("flag", SEED_MANGLED_REL, SEED_CLEAN_REL, "--format", "jsonl", text=True)
    _no_traceback(proc)
    assert proc.returncode == 1  # 002 flagged, 000 clean: one flagged file sets 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [r["path"] for r in records] == [SEED_MANGLED_REL, SEED_CLEAN_REL]
    assert len(records[1]["paragraphs"]) == 38
    assert [r["n_flagged"] for r in records] == [25, 0]


def test_version(run_cli):
    import detector

    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"detector {detector.__version__}"


# ---------------------------------------------------------------------------
# flag, errors (tiny model)
# ---------------------------------------------------------------------------


def test_missing_file_and_real_file(run_cli, tiny_args):
    proc = run_cli("flag", *tiny_args, "no/such/file.txt", SEED_CLEAN_REL)
    _no_traceback(proc)
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == 1, proc.stderr
    assert "no/such/file.txt" in errors[0]
    assert proc.stdout.splitlines()[-1].startswith(f"{SEED_CLEAN_REL}: ")


def test_latin1_binary_and_directory(tiny_args, tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"Un caf\xe9 au lait, s'il vous pla\xeet, with some more words.\n")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\x00\x01\x02hello\x00")
    directory = tmp_path / "adir"
    directory.mkdir()
    proc = run_main("flag", *tiny_args, str(latin1), str(binary), str(directory), text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == 3, proc.stderr
    assert str(latin1) in errors[0]
    assert "UTF-8" in errors[0] and "offset 6" in errors[0]
    assert str(binary) in errors[1] and "NUL" in errors[1]
    assert str(directory) in errors[2]
    assert proc.stdout == ""


@pytest.mark.parametrize("value", ["2", "high"])
def test_bad_threshold_argument(tiny_args, value):
    proc = run_main("flag", *tiny_args, "--threshold", value, SEED_CLEAN_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert "threshold" in proc.stderr


def test_model_that_is_a_pickle(tiny_model_path, tmp_path):
    path = tmp_path / "evil.skops"
    marker = tmp_path / "pwned"
    path.write_bytes(pickle.dumps(_Touch(str(marker))))
    for command in (["flag", SEED_CLEAN_REL], ["evaluate", str(_write_jsonl(tmp_path, CLEAN_ONLY))]):
        proc = run_main(*command, "--model", str(path), text=True)
        _no_traceback(proc)
        assert proc.returncode == 2
        errors = proc.stderr.splitlines()
        assert len(errors) == 1, proc.stderr
        assert str(path) in errors[0]
        assert not marker.exists()


def test_model_missing(tmp_path):
    proc = run_main("flag", SEED_CLEAN_REL, "--model", str(tmp_path / "absent.skops"),
                    text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1


class _Touch:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


# ---------------------------------------------------------------------------
# evaluate
# ---------------------------------------------------------------------------


def _prose(repo_root, rel, n):
    text = read_text(str(repo_root / rel))
    return [s.text for s in split_paragraphs(text) if s.skipped is None][:n]


@pytest.fixture(scope="module")
def labelled(repo_root):
    clean = _prose(repo_root, SEED_CLEAN_REL, 6)
    mangled = _prose(repo_root, SEED_MANGLED_REL, 6)
    records = []
    for k, (a, b) in enumerate(zip(clean, mangled)):
        group = "first" if k < 3 else "second"
        records.append({"text": a, "label": "clean", "pair": group})
        records.append({"text": b, "label": "mangled", "pair": group})
    return records


CLEAN_ONLY = [
    {"text": "The city council met on Monday to discuss the new budget for next year.", "label": "clean"},
    {"text": "Heavy rain caused flooding across the north of the country at the weekend.", "label": "clean"},
]


def _write_jsonl(tmp_path, records, name="data.jsonl", gz=False):
    path = tmp_path / (name + (".gz" if gz else ""))
    body = "".join(json.dumps(r) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def _header_and_rows(stdout):
    lines = stdout.splitlines()
    header = lines[0].split()
    rows = {}
    for line in lines[1:]:
        if line.startswith("threshold "):
            continue
        cells = line.split()
        rows[cells[0]] = cells[1:]
    return header, rows, lines


def test_evaluate_text_default_model_gz(run_cli, default_model_file, tmp_path, labelled):
    proc = run_cli("evaluate", str(_write_jsonl(tmp_path, labelled, gz=True)))
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    header, rows, lines = _header_and_rows(proc.stdout)
    assert header == METRIC_COLUMNS
    assert list(rows) == ["all"]
    assert len(rows["all"]) == len(METRIC_COLUMNS)
    assert rows["all"][-1] == "12"
    assert re.match(r"^threshold \d\.\d{3}; 0 records without prose to score left out$", lines[-1])


def test_evaluate_json(tiny_args, tmp_path, labelled):
    plain = run_main("evaluate", *tiny_args, str(_write_jsonl(tmp_path, labelled)), "--format", "json",
                     text=True)
    _no_traceback(plain)
    assert plain.returncode == 0, plain.stderr
    report = json.loads(plain.stdout)
    for key in METRIC_COLUMNS:
        assert key in report
    assert report["n"] == 12
    assert report["n_mangled"] == 6 and report["n_clean"] == 6
    assert 0.0 <= report["roc_auc"] <= 1.0
    assert 0.0 <= report["fpr"] <= 1.0
    assert "groups" not in report


def test_evaluate_only_clean(tiny_args, tmp_path):
    path = _write_jsonl(tmp_path, CLEAN_ONLY)
    proc = run_main("evaluate", *tiny_args, str(path), "--format", "json", text=True)
    _no_traceback(proc)
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    assert report["roc_auc"] is None
    assert isinstance(report["fpr"], float) and 0.0 <= report["fpr"] <= 1.0
    assert report["recall"] is None
    assert report["n"] == 2


def test_evaluate_group_by(tiny_args, tmp_path, labelled):
    path = _write_jsonl(tmp_path, labelled)
    proc = run_main("evaluate", *tiny_args, str(path), "--group-by", "pair", text=True)
    _no_traceback(proc)
    assert proc.returncode == 0
    header, rows, _ = _header_and_rows(proc.stdout)
    assert header == METRIC_COLUMNS
    assert list(rows) == ["all", "first", "second"]
    assert [r[-1] for r in rows.values()] == ["12", "6", "6"]


def test_evaluate_bad_label(tiny_args, tmp_path, labelled):
    records = labelled[:2] + [{"text": "Some text that is spam.", "label": "spam"}] + labelled[2:]
    path = _write_jsonl(tmp_path, records)
    proc = run_main("evaluate", *tiny_args, str(path), text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == 1
    assert f"{path}:3" in errors[0]
    assert "spam" in errors[0]
    assert proc.stdout == ""


@pytest.mark.parametrize("label", [["clean"], {"value": "clean"}], ids=["list", "object"])
def test_evaluate_unhashable_label(tiny_args, tmp_path, labelled, label):
    records = labelled[:1] + [{"text": "Some text with an odd label.", "label": label}]
    path = _write_jsonl(tmp_path, records)
    proc = run_main("evaluate", *tiny_args, str(path), text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1
    assert f"{path}:2" in proc.stderr


def test_evaluate_bad_json_line(tiny_args, tmp_path, labelled):
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(labelled[0]) + "\n{oops\n", encoding="utf-8")
    proc = run_main("evaluate", *tiny_args, str(path), text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert f"{path}:2" in proc.stderr


def test_evaluate_missing_file(tiny_args, tmp_path):
    proc = run_main("evaluate", *tiny_args, str(tmp_path / "absent.jsonl"), text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert "absent.jsonl" in proc.stderr


def test_evaluate_renamed_fields(tiny_args, tmp_path, labelled):
    renamed = [{"body": r["text"], "y": r["label"]} for r in labelled]
    path = _write_jsonl(tmp_path, renamed, name="renamed.jsonl")
    proc = run_main(
        "evaluate", *tiny_args, str(path), "--text-field", "body", "--label-field", "y", "--format", "json"
    , text=True)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n"] == 12
    # without the renaming the same file is an error naming the field
    plain = run_main("evaluate", *tiny_args, str(path), text=True)
    assert plain.returncode == 2
    assert "text" in plain.stderr and f"{path}:1" in plain.stderr


def test_evaluate_compare_two_models(tiny_args, tiny_model_path, default_model_file,
                                     tmp_path, labelled):
    data = _write_jsonl(tmp_path, labelled)
    proc = run_main("evaluate", str(data), *tiny_args, "--compare", str(default_model_file),
                   "--format", "json", text=True)
    assert proc.returncode == 0, proc.stderr
    models = json.loads(proc.stdout)["models"]
    assert [m["model"] for m in models] == [str(tiny_model_path), str(default_model_file)]
    assert all(m["n"] == 12 for m in models)
    assert models[0]["threshold"] != models[1]["threshold"]
    text = run_main("evaluate", str(data), *tiny_args, "--compare", str(default_model_file),
                    text=True)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split()[:2] == ["model", "roc_auc"]
    assert [line.split()[1] for line in lines[1:3]] == [str(tiny_model_path), str(default_model_file)]
    assert lines[-2].startswith(f"{tiny_model_path}: threshold ")


@pytest.fixture(scope="module")
def trained_on_labelled(tmp_path_factory, labelled):
    """A model trained by ``detector.train`` on the labelled records' file: its
    metadata records that file's SHA-256 and its paragraphs' digests."""
    from threadpoolctl import threadpool_limits

    from detector.fit.trainer import train

    tmp = tmp_path_factory.mktemp("trained")
    data = _write_jsonl(tmp, labelled, name="training.jsonl")
    model = tmp / "trained.skops"
    with threadpool_limits(limits=1, user_api="openmp"):
        train([data], output=model, seed=0)
    return data, model


def test_evaluate_warns_on_the_training_file(trained_on_labelled):
    data, model = trained_on_labelled
    proc = run_main("evaluate", "--model", str(model), str(data), text=True)
    _no_traceback(proc)
    assert proc.returncode == 0
    assert proc.stderr == (
        f"detector: warning: {data} overlaps the training data of model {model}: it is the "
        f"same file (same SHA-256) as its training file {data}; 12 of 12 records have prose "
        "paragraphs it was trained on (12 of 12 paragraphs). Metrics on training data "
        "overstate how the model does on new text.\n")
    assert proc.stdout.splitlines()[0].split() == METRIC_COLUMNS  # the metrics still follow
    as_json = run_main("evaluate", "--model", str(model), str(data), "--format", "json",
                       text=True)
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout)["training_overlap"] == {
        "same_files": [str(data)], "records": 12, "paragraphs": 12, "n_records": 12,
        "n_paragraphs": 12, "checked": ["file", "paragraphs"]}


def test_evaluate_warns_with_the_model_file_moved_alone(trained_on_labelled, tmp_path):
    # The training hashes are in the model file's own metadata: nothing beside it is read.
    import shutil

    data, model = trained_on_labelled
    assert sorted(p.name for p in model.parent.iterdir()) == ["trained.skops", "training.jsonl"]
    moved = tmp_path / "moved.skops"
    shutil.copy(model, moved)
    proc = run_main("evaluate", "--model", str(moved), str(data), text=True)
    _no_traceback(proc)
    assert proc.returncode == 0
    assert f"overlaps the training data of model {moved}: it is the same file" in proc.stderr


def test_evaluate_warns_on_training_records_in_another_file(trained_on_labelled, labelled,
                                                             tmp_path):
    """Other bytes (a reordered subset, plus a new record): found by the
    paragraphs' digests, not by the file's hash."""
    _, model = trained_on_labelled
    records = labelled[::-1][:4] + [{"text": "The harbour workers went on strike on Monday "
                                             "after the talks about pay broke down.",
                                     "label": "clean"}]
    data = _write_jsonl(tmp_path, records, name="mixed.jsonl")
    proc = run_main("evaluate", "--model", str(model), str(data), text=True)
    _no_traceback(proc)
    assert proc.returncode == 0
    assert proc.stderr == (
        f"detector: warning: {data} overlaps the training data of model {model}: 4 of 5 "
        "records have prose paragraphs it was trained on (4 of 5 paragraphs). Metrics on "
        "training data overstate how the model does on new text.\n")


def test_evaluate_no_warning_on_new_data(trained_on_labelled, tiny_args, tmp_path):
    _, model = trained_on_labelled
    data = _write_jsonl(tmp_path, CLEAN_ONLY)
    proc = run_main("evaluate", "--model", str(model), str(data), "--format", "json", text=True)
    _no_traceback(proc)
    assert proc.returncode == 0 and proc.stderr == ""
    overlap = json.loads(proc.stdout)["training_overlap"]
    assert overlap["same_files"] == [] and overlap["records"] == 0
    assert overlap["checked"] == ["file", "paragraphs"]
    # a model whose metadata records no training data cannot be checked, and says so
    tiny = run_main("evaluate", *tiny_args, str(data), "--format", "json", text=True)
    assert tiny.returncode == 0 and tiny.stderr == ""
    assert json.loads(tiny.stdout)["training_overlap"]["checked"] == []


def _near(pixels, colour: str, tolerance: int = 12):
    """A mask of the pixels within ``tolerance`` of the ``#rrggbb`` colour."""
    import numpy as np

    rgb = np.array([int(colour[k:k + 2], 16) for k in (1, 3, 5)])
    return (np.abs(pixels.astype(int) - rgb) <= tolerance).all(axis=2)


def _panels(png):
    """The RGB pixels of a plot's three panels, left to right."""
    import numpy as np
    from PIL import Image  # Pillow comes with matplotlib, a test extra

    with Image.open(png) as image:
        # Three panels of 5 x 5 inches at 100 dpi, with curves drawn in
        # colour: a blank or grey-only canvas has at most a few colours.
        assert image.size == (1500, 500)
        assert image.convert("RGB").getcolors(16) is None, "no curves drawn"
        pixels = np.asarray(image.convert("RGB"))
    return pixels[:, :500], pixels[:, 500:1000], pixels[:, 1000:]


def test_evaluate_plot(tiny_args, default_model_file, tmp_path, labelled):
    import numpy as np

    from detector.report.plots import CLEAN_COLOUR, MANGLED_COLOUR, THRESHOLD_COLOUR

    data = _write_jsonl(tmp_path, labelled)
    out = tmp_path / "curves.png"
    proc = run_main("evaluate", str(data), *tiny_args, "--compare", str(default_model_file),
                   "--plot", str(out), text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    roc, _, histogram = _panels(out)
    # clean and mangled in two colours, both drawn
    assert _near(histogram, CLEAN_COLOUR).sum() > 200
    assert _near(histogram, MANGLED_COLOUR).sum() > 200
    # the threshold: a thick line in its own colour, taller than any text
    line = _near(histogram, THRESHOLD_COLOUR)
    column = np.lib.stride_tricks.sliding_window_view(line, 150, axis=0).all(axis=2)
    assert column.sum(axis=1).max() >= 2, "no thick threshold line"
    # and a large marker on each ROC curve (two models; the legend shows two more)
    assert _near(roc, THRESHOLD_COLOUR).sum() > 300
    assert not _near(roc, MANGLED_COLOUR).any()  # the label colours are the histogram's


def test_evaluate_plot_has_a_curve_per_group(tiny_args, tmp_path, labelled):
    from detector.report.plots import THRESHOLD_COLOUR

    data = _write_jsonl(tmp_path, labelled)
    out = tmp_path / "groups.png"
    proc = run_main("evaluate", str(data), *tiny_args, "--group-by", "pair", "--plot", str(out),
                    text=True)
    assert proc.returncode == 0, proc.stderr
    roc, _, _ = _panels(out)
    plain = tmp_path / "plain.png"
    assert run_main("evaluate", str(data), *tiny_args, "--plot", str(plain)).returncode == 0
    plain_roc, _, _ = _panels(plain)
    # groups first and second get tab10's first two colours; without --group-by
    # the one overall curve has the first, and nothing has the second
    first, second = "#1f77b4", "#ff7f0e"
    assert _near(roc, first).sum() > 50 and _near(roc, second).sum() > 50
    assert _near(plain_roc, first).sum() > 50 and not _near(plain_roc, second).any()
    assert _near(roc, THRESHOLD_COLOUR).sum() > 100


def test_evaluation_figure_titles_and_curves(tmp_path):
    import numpy as np

    from detector.report.plots import MAX_GROUPS, evaluation_figure

    labels = np.array([0, 1] * 6)
    scores = np.array([0.1, 0.9, 0.2, 0.4, 0.3, 0.8, 0.6, 0.7, 0.2, 0.95, np.nan, 0.5])
    groups = np.array(["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c"], dtype=object)
    figure = evaluation_figure(labels, [("model.skops", scores, 0.5)], groups, "held-out.jsonl")
    try:
        roc, pr, histogram = figure.axes
        assert figure.get_suptitle() == "held-out.jsonl: 11 records scored (5 clean, 6 mangled)"
        assert re.fullmatch(r"ROC: AUC 0\.\d{3}", roc.get_title())
        assert re.fullmatch(r"precision-recall: average precision 0\.\d{3}", pr.get_title())
        curves = [line.get_label() for line in roc.get_lines() if not line.get_label().startswith("_")]
        assert [c.split(":")[0] for c in curves] == ["a", "b", "c", "all", "threshold 0.50"]
        assert curves[3].endswith("(n=11)") and curves[0].endswith("(n=4)")
        assert curves[2] == "c: AUC 1.000 (n=3)"
        labels_shown = histogram.get_legend_handles_labels()[1]
        assert labels_shown == ["clean (n=5)", "mangled (n=6)", "threshold 0.50"]
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)
    many = np.array([f"g{k // 2}" for k in range(len(labels))], dtype=object)  # 6 groups
    labels = np.tile(labels, 2)
    scores = np.tile(scores, 2)
    many = np.concatenate([many, np.array([f"h{k}" for k in range(len(many))], dtype=object)])
    figure = evaluation_figure(labels, [("m", scores, 0.5)], many, "d")
    try:
        shown = figure.axes[0].get_legend_handles_labels()[1]
        assert shown[-1] == f"{6 + 12 - MAX_GROUPS} smaller groups not drawn"
        assert len([label for label in shown if label.startswith(("g", "h"))]) == MAX_GROUPS
    finally:
        plt.close(figure)


def test_evaluate_plot_without_matplotlib(repo_root, tiny_args, tmp_path, labelled):
    # A module that fails to import stands in for a missing matplotlib.
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "matplotlib.py").write_text("raise ImportError('no matplotlib here')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shadow), str(repo_root)])}
    proc = subprocess.run(
        [sys.executable, "-m", "detector", "evaluate", str(_write_jsonl(tmp_path, labelled)),
         *tiny_args, "--plot", str(tmp_path / "x.png")],
        capture_output=True, text=True, env=env, cwd=repo_root, timeout=300,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "detector: error: --plot needs matplotlib: pip install 'detector[plot]'"
    assert not (tmp_path / "x.png").exists()
