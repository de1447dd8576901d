"""Retraining on the user's own labelled data: every input form, every bad
input, atomic output, and the round trip train -> save -> load -> score."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

from conftest import run_main
from model_files import metadata_of
from detector.model.persistence import load_model
from detector.score.document import score_document
from detector.errors import DataError
from detector.fit.pairs import align_paragraphs, read_training_data

CLEAN = "The council met on Monday to discuss the budget.\n\nMembers argued for hours about the bridge."
MANGLED = "The Council met on the Monday for discuss budget .\n\nMembers argued for Hours about of the bridge."


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _labels(data) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    return [(d.group, d.labels[0], len(d.labels)) for d in data.documents]


# ---------------------------------------------------------------------------
# Input forms
# ---------------------------------------------------------------------------


def test_pair_of_files(tmp_path):
    clean, mangled = _write(tmp_path / "a.txt", CLEAN), _write(tmp_path / "b.txt", MANGLED)
    data = read_training_data(pairs=[(clean, mangled)])
    assert _labels(data) == [(f"pair:{clean}", 0, 2), (f"pair:{clean}", 1, 2)]
    assert data.alignments[0].source == (0, 1)
    summary = data.summary()
    assert [f["path"] for f in summary["files"]] == [str(clean), str(mangled)]
    assert all(len(f["sha256"]) == 64 for f in summary["files"])


def test_directory_of_named_pairs(tmp_path):
    for name in ("one", "two"):
        _write(tmp_path / f"{name}.clean.txt", CLEAN.replace("Monday", name))
        _write(tmp_path / f"{name}.mangled.txt", MANGLED.replace("Monday", name))
    _write(tmp_path / "notes.md", "ignored")
    data = read_training_data([tmp_path])
    groups = sorted({g for g, _, _ in _labels(data)})
    assert len(groups) == 2
    assert sorted(label for _, label, _ in _labels(data)) == [0, 0, 1, 1]


def test_jsonl_pairs_and_labelled_texts_gzipped(tmp_path):
    path = tmp_path / "data.jsonl.gz"
    rows = [
        {"clean": CLEAN, "mangled": MANGLED, "group": "g1"},
        {"text": CLEAN.replace("Monday", "Friday"), "label": "clean", "group": "g2"},
        {"text": MANGLED.replace("Monday", "Friday"), "label": "mangled", "group": "g2"},
        {"text": "A lone clean text, without any group given by its author.", "label": "clean"},
    ]
    path.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in rows).encode("utf-8")))
    data = read_training_data([path])
    assert _labels(data) == [("g1", 0, 2), ("g1", 1, 2), ("g2", 0, 2), ("g2", 1, 2),
                             (f"{path}:4", 0, 1)]
    assert data.summary()["files"][0]["records"] == 4


def test_mixed_forms_in_one_call(tmp_path):
    jsonl = _write(tmp_path / "x.jsonl", json.dumps({"clean": CLEAN, "mangled": MANGLED}) + "\n")
    pair = (_write(tmp_path / "c.txt", CLEAN + " More."), _write(tmp_path / "m.txt", MANGLED + " More."))
    data = read_training_data([jsonl], pairs=[pair])
    assert len(data.documents) == 4 and len({d.group for d in data.documents}) == 2
    # metrics are reported per input, not per line
    assert [d.source for d in data.documents] == ["--pair", "--pair", str(jsonl), str(jsonl)]


def test_duplicates_are_counted_once_and_reported(tmp_path):
    row = json.dumps({"clean": CLEAN, "mangled": MANGLED})
    path = _write(tmp_path / "dup.jsonl", row + "\n" + row + "\n")
    data = read_training_data([path])
    assert len(data.documents) == 2
    assert data.duplicates == (f"{path}:2 (clean, as {path}:1)", f"{path}:2 (mangled, as {path}:1)")
    assert data.summary()["duplicates_dropped"] == 2


def test_skipped_lines_are_not_training_paragraphs(tmp_path):
    clean = "By Jane Doe\n\n" + CLEAN + "\n\nhttps://example.com/story"
    data = read_training_data([_write(tmp_path / "d.jsonl", json.dumps(
        {"clean": clean, "mangled": MANGLED}) + "\n")])
    assert data.documents[0].paragraphs == tuple(CLEAN.split("\n\n"))


def test_alignment_finds_reordered_paragraphs_and_gives_up_on_new_ones():
    clean = ["Paris hosted talks on Tuesday with 30 countries.", "Macron said the plan was ready."]
    mangled = ["Macron told the plan is ready.", "Talks in Paris on Tuesday with 30 countries.",
               "Completely unrelated filler sentence here."]
    sources, similarity = align_paragraphs(clean, mangled)
    assert sources == (1, 0, None)
    assert similarity[2] < 0.1 <= similarity[0]


# ---------------------------------------------------------------------------
# Bad input: a clear error naming the file (and line)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"clean": CLEAN}, "field 'mangled' missing"),
        ({"text": CLEAN}, "field 'label' must be"),
        ({"text": CLEAN, "label": "spun"}, "field 'label' must be"),
        ({"label": "clean"}, "field 'text' missing"),
        ({"clean": "   ", "mangled": MANGLED}, "empty text"),
        ({"clean": CLEAN, "mangled": CLEAN + "\n"}, "identical"),
    ],
)
def test_bad_jsonl_record_names_file_and_line(tmp_path, row, message):
    good = json.dumps({"clean": CLEAN + " Good.", "mangled": MANGLED + " Good."})
    path = _write(tmp_path / "bad.jsonl", good + "\n\n" + json.dumps(row) + "\n")
    with pytest.raises(DataError, match=message) as info:
        read_training_data([path])
    assert f"{path}:3" in str(info.value)


def test_not_utf8(tmp_path):
    clean = tmp_path / "c.txt"
    clean.write_bytes("Caf\xe9 au lait, said the man at the counter.".encode("latin-1"))
    with pytest.raises(DataError, match="not valid UTF-8") as info:
        read_training_data(pairs=[(clean, _write(tmp_path / "m.txt", MANGLED))])
    assert str(clean) in str(info.value)
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "caf\xe9", "label": "clean"}\n')
    with pytest.raises(DataError, match="not UTF-8"):
        read_training_data([path])


def test_one_label_only(tmp_path):
    path = _write(tmp_path / "clean.jsonl", json.dumps({"text": CLEAN, "label": "clean"}) + "\n")
    with pytest.raises(DataError, match="only clean texts"):
        read_training_data([path])


def test_directory_with_unmatched_file(tmp_path):
    _write(tmp_path / "a.clean.txt", CLEAN)
    _write(tmp_path / "a.mangled.txt", MANGLED)
    lone = _write(tmp_path / "b.clean.txt", CLEAN + " Again.")
    with pytest.raises(DataError, match="no matching b.mangled.txt") as info:
        read_training_data([tmp_path])
    assert str(lone) in str(info.value)


def test_identical_pair_files(tmp_path):
    a, b = _write(tmp_path / "a.txt", CLEAN), _write(tmp_path / "b.txt", CLEAN)
    with pytest.raises(DataError, match="identical"):
        read_training_data(pairs=[(a, b)])


def test_plain_text_path_is_refused_with_a_hint(tmp_path):
    with pytest.raises(DataError, match="--pair"):
        read_training_data([_write(tmp_path / "a.txt", CLEAN)])


# ---------------------------------------------------------------------------
# Training: report, atomic output, round trip
# ---------------------------------------------------------------------------


def test_train_round_trip(tiny_pairs_jsonl, tmp_path):
    from detector.fit.trainer import format_report, train

    out = tmp_path / "model.skops"
    with threadpool_limits(limits=1, user_api="openmp"):
        fitted = train([tiny_pairs_jsonl], output=out, seed=0)
    loaded = load_model(out)
    report = format_report(loaded)
    assert "5-fold cross-validation grouped by pair" in report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.skops"]
    meta = metadata_of(out)
    assert meta == loaded.metadata
    data = meta["training"]["data"]
    assert data["counts"]["clean"]["groups"] == data["counts"]["mangled"]["groups"] == 6
    assert data["files"][0]["sha256"] and len(data["alignments"]) == 6
    # one digest per distinct training paragraph (6 pairs of 3-paragraph texts)
    assert len(data["paragraph_digests"]) == len(set(data["paragraph_digests"])) == 36
    text = tiny_pairs_jsonl.read_text(encoding="utf-8").splitlines()[0]
    mangled = json.loads(text)["mangled"]
    assert score_document(mangled, model=loaded).to_dict() == \
        score_document(mangled, model=fitted).to_dict()


def test_failed_training_leaves_existing_model_untouched(tiny_model_path, tmp_path, monkeypatch):
    from detector.fit import trainer

    out = tmp_path / "model.skops"
    out.write_bytes(tiny_model_path.read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = _write(tmp_path / "bad.jsonl", json.dumps({"text": CLEAN, "label": "clean"}) + "\n")
    with pytest.raises(DataError):
        trainer.train([bad], output=out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(trainer, "fit_detector", interrupted)
    good = _write(tmp_path / "good.jsonl", json.dumps({"clean": CLEAN, "mangled": MANGLED}) + "\n")
    with pytest.raises(KeyboardInterrupt):
        trainer.train([good], output=out)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in before}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "bad.jsonl", "good.jsonl"])


def test_cli_train_on_the_seed_pair(run_cli, seed_clean, seed_mangled, tmp_path):
    out = tmp_path / "seed.skops"
    result = run_cli("train", "--pair", seed_clean, seed_mangled, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "cross-validation: not possible" in result.stdout
    assert "got 1" in result.stdout
    # the one file written, named once, last
    assert result.stdout.splitlines()[-1] == f"wrote {out}"
    assert [p.name for p in tmp_path.iterdir()] == ["seed.skops"]
    meta = metadata_of(out)
    assert meta["training"]["cv"]["method"] is None
    flagged = run_main("flag", "--model", out, "--format", "json", seed_mangled, seed_clean,
                       text=True)
    assert flagged.returncode == 1, flagged.stderr
    files = {Path(f["path"]).name: f for f in json.loads(flagged.stdout)["files"]}
    prose = [p for p in files[seed_mangled.name]["paragraphs"] if not p["skipped"]]
    assert sum(p["flagged"] for p in prose) >= 0.9 * len(prose)
    assert not any(p["flagged"] for p in files[seed_clean.name]["paragraphs"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give training data"),
        (("missing.jsonl",), "missing.jsonl: no such file"),
        (("--features", "ngram,colour", "x.jsonl"), "unknown feature families ['colour']"),
        (("--features", "chars", "x.jsonl"), "'chars' needs at least one other feature family"),
    ],
)
def test_cli_train_errors(tmp_path, args, message):
    out = tmp_path / "never.skops"
    result = run_main("train", *args, "-o", out, text=True)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_document_weights_reach_every_stage(tiny_documents):
    import dataclasses

    import numpy as np

    from detector.fit.detector_fitting import fit_detector

    from detector.fit.training_matrix import featurize

    data = featurize(tiny_documents)
    heavy = dataclasses.replace(data, weights=np.where(data.y == 1, 5.0, 1.0))
    with threadpool_limits(limits=1, user_api="openmp"):
        plain = fit_detector(data, seed=0, n_splits=3)
        weighted = fit_detector(heavy, seed=0, n_splits=3)
    texts = list(data.texts[:4])
    assert not np.allclose(plain.chars.predict_proba(texts), weighted.chars.predict_proba(texts))
    assert not np.allclose(plain.paragraph.predict_proba(data.X[:4]),
                           weighted.paragraph.predict_proba(data.X[:4]))
    assert not np.allclose(plain.context.coef_, weighted.context.coef_)


def test_renamed_jsonl_fields_group_related_records(tmp_path):
    from detector.fit.pairs import JsonlFields

    rows = [
        {"body": CLEAN, "y": "clean", "pair_id": "p1"},
        {"body": MANGLED, "y": "mangled", "pair_id": "p1"},
        {"body": CLEAN + " Later.", "y": "clean"},
    ]
    path = _write(tmp_path / "wmt.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    data = read_training_data([path], fields=JsonlFields("body", "y", "pair_id"))
    assert _labels(data) == [("p1", 0, 2), ("p1", 1, 2), (f"{path}:3", 0, 2)]


def test_report_lists_duplicates_and_progress_draws_only_on_a_terminal(tmp_path, monkeypatch):
    import io
    import sys

    from detector.fit.progress import progress_bar

    row = json.dumps({"clean": CLEAN, "mangled": MANGLED})
    path = _write(tmp_path / "dup.jsonl", row + "\n" + row + "\n")
    summary = read_training_data([path]).summary()
    assert summary["duplicates"] == [f"{path}:2 (clean, as {path}:1)", f"{path}:2 (mangled, as {path}:1)"]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_bar("features") is None
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    update = progress_bar("features")
    assert update is not None
    update(1, 4)
    update(4, 4)
    assert "features [#######" in terminal.getvalue() and terminal.getvalue().endswith("4/4\n")


# ---------------------------------------------------------------------------
# Found in review: more bad input, refused early and in one line
# ---------------------------------------------------------------------------


def test_identical_prose_despite_line_endings_and_skipped_lines(tmp_path):
    for other in (CLEAN.replace("\n", "\r\n"), CLEAN + "\n\n\n", "By Jane Doe\n\n" + CLEAN):
        path = _write(tmp_path / "x.jsonl", json.dumps({"clean": CLEAN, "mangled": other}) + "\n")
        with pytest.raises(DataError, match=f"{path}:1: the clean and mangled texts are identical"):
            read_training_data([path])


def test_same_text_with_both_labels_is_left_out_and_listed(tmp_path):
    other = CLEAN.replace("bridge", "tunnel")
    rows = [{"clean": CLEAN, "mangled": MANGLED}, {"text": CLEAN, "label": "mangled"},
            {"text": CLEAN, "label": "clean"}, {"clean": other, "mangled": MANGLED + " Again."}]
    path = _write(tmp_path / "x.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    data = read_training_data([path])
    assert data.conflicts == (f"{path}:2 (mangled; clean at {path}:1)",
                              f"{path}:3 (clean; clean at {path}:1)")
    texts = {"\n\n".join(d.paragraphs) for d in data.documents}
    assert CLEAN not in texts and other in texts
    assert [d.labels[0] for d in data.documents] == [1, 0, 1]
    assert data.summary()["conflicts_dropped"] == 2


def test_nothing_left_when_every_text_has_both_labels(tmp_path):
    rows = [{"text": CLEAN, "label": "clean"}, {"text": CLEAN, "label": "mangled"}]
    path = _write(tmp_path / "x.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    with pytest.raises(DataError, match="no training data left: every text is given with both labels"):
        read_training_data([path])


def test_duplicate_side_keeps_the_first_group(tmp_path):
    rows = [{"clean": CLEAN, "mangled": MANGLED},
            {"clean": CLEAN, "mangled": MANGLED.replace("bridge", "Bridge of it")}]
    path = _write(tmp_path / "x.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    data = read_training_data([path])
    assert {d.group for d in data.documents} == {f"{path}:1"}
    assert len(data.alignments) == 2 and data.duplicates == (f"{path}:2 (clean, as {path}:1)",)


def test_corrupt_gzip_and_bad_utf8_line_are_named(tmp_path):
    good = gzip.compress(("\n".join([json.dumps({"clean": CLEAN, "mangled": MANGLED})] * 50)).encode())
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(good[:20] + bytes(b ^ 0x55 for b in good[20:60]) + good[60:])
    with pytest.raises(DataError, match="cannot read"):
        read_training_data([broken])
    late = tmp_path / "late.jsonl"
    late.write_bytes(json.dumps({"clean": CLEAN, "mangled": MANGLED}).encode() + b"\n"
                     + b'{"text": "caf\xff", "label": "clean"}\n')
    with pytest.raises(DataError, match=f"{late}:2: not UTF-8"):
        read_training_data([late])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("data.jsonl", "-o", "{tmp}/model.json"), "cannot end in .json"),
        (("data.jsonl", "-o", "data.jsonl"), "would overwrite the input"),
        (("data.jsonl", "-o", "{tmp}"), "is a directory"),
        (("data.jsonl", "--seed", "-1", "-o", "{tmp}/m.skops"), "seed must be between"),
        (("data.jsonl", "--jobs", "0", "-o", "{tmp}/m.skops"), "jobs must be"),
    ],
)
def test_cli_train_refuses_bad_options_before_training(tmp_path, args, message):
    data = _write(tmp_path / "data.jsonl", json.dumps({"clean": CLEAN, "mangled": MANGLED}) + "\n")
    before = data.read_bytes()
    full = [a.replace("{tmp}", str(tmp_path)) for a in args]
    full = [str(tmp_path / a) if a.startswith("data.") else a for a in full]
    result = run_main("train", *full, text=True)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert data.read_bytes() == before


def test_folds_with_one_label_are_left_out_and_said(tmp_path):
    from detector.fit.trainer import format_report, train

    # five groups, one mangled text: the fold holding it cannot be measured
    texts = [CLEAN.replace("Monday", day) for day in ("Monday", "Tuesday", "Friday", "Sunday")]
    rows = [{"text": t, "label": "clean", "group": f"g{k}"} for k, t in enumerate(texts)]
    rows.append({"text": MANGLED, "label": "mangled", "group": "g9"})
    path = _write(tmp_path / "skew.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    with threadpool_limits(limits=1, user_api="openmp"):
        model = train([path], seed=0)
    cv = model.metadata["training"]["cv"]
    assert cv["method"] is None
    assert "no fold could be fitted and measured with both labels" in cv["why_missing"]
    assert "threshold 0.5 (a fallback" in format_report(model)


def test_unknown_base_is_refused(tmp_path):
    from detector.fit.trainer import train

    path = _write(tmp_path / "x.jsonl", json.dumps({"clean": CLEAN, "mangled": MANGLED}) + "\n")
    with pytest.raises(DataError, match="unknown base 'nope'; choose from default"):
        train([path], base="nope")


def test_bases_come_from_entry_points():
    # The package finds the 'default' base through the checkout's entry point,
    # never by importing training/ itself.
    from detector.fit.trainer import available_bases
    from training.bases import default_documents

    assert available_bases()["default"].load() is default_documents


def test_console_script_lists_the_bases(tmp_path):
    # As a user runs it: the installed console script, from a folder outside
    # the checkout, so nothing but the installed entry points can name a base.
    import shutil
    import subprocess

    script = shutil.which("detector")
    assert script is not None, "the detector console script is not installed"
    path = _write(tmp_path / "x.jsonl", json.dumps({"clean": CLEAN, "mangled": MANGLED}) + "\n")
    proc = subprocess.run([script, "train", str(path), "--base", "nope", "-o",
                           str(tmp_path / "m.skops")], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.startswith("detector: error: unknown base 'nope'; choose from default")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "m.skops").exists()


class _FakeBase:
    """An entry point whose loading, or whose build, fails as a missing extra would."""

    def __init__(self, load_error: Exception | None = None, build_error: Exception | None = None):
        self.load_error, self.build_error = load_error, build_error

    def load(self):
        if self.load_error is not None:
            raise self.load_error

        def build(seed: int):
            raise self.build_error

        return build


@pytest.mark.parametrize("base, message", [
    (_FakeBase(load_error=ImportError("No module named 'training'")),
     "the 'x' base cannot be loaded (No module named 'training'); install the training extras"),
    (_FakeBase(build_error=ImportError("No module named 'nltk'")),
     "the 'x' base needs a missing package (No module named 'nltk')"),
    (_FakeBase(build_error=RuntimeError("the training corpora come from gensim's test data")),
     "cannot rebuild the 'x' training data: the training corpora come from gensim's test data"),
])
def test_a_base_that_cannot_load_or_build_is_one_data_error(tmp_path, monkeypatch, base, message):
    import detector.fit.trainer as trainer

    monkeypatch.setattr(trainer, "available_bases", lambda: {"x": base})
    path = _write(tmp_path / "x.jsonl", json.dumps({"clean": CLEAN, "mangled": MANGLED}) + "\n")
    with pytest.raises(DataError) as caught:
        trainer.train([path], base="x", output=tmp_path / "m.skops")
    assert str(caught.value).startswith(message)
    assert not (tmp_path / "m.skops").exists()


def test_context_only_rows_train_the_context_stage_alone(tiny_documents):
    """Rows marked context-only never reach the paragraph stages (they fit as
    without them), are counted in the report, and change the context stage."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    from detector.fit.detector_fitting import fit_detector
    from detector.fit.training_matrix import featurize

    data = featurize(tiny_documents)
    extra = np.zeros(len(data.y), dtype=bool)
    extra[data.doc_index == data.doc_index[data.y == 0][-1]] = True  # one clean document
    with threadpool_limits(limits=1, user_api="openmp"):
        with_extra = fit_detector(data, seed=0, n_splits=3, context_only=extra)
        without = fit_detector(data.take(~extra), seed=0, n_splits=3)
    assert np.array_equal(with_extra.paragraph.predict_proba(data.X),
                          without.paragraph.predict_proba(data.X))
    report = with_extra.metadata["training"]
    assert report["context_only"]["n_paragraphs"] == int(extra.sum())
    assert report["n_paragraphs"] == int((~extra).sum())
    zf, zc = with_extra.stage1_logits(data.X, list(data.texts))
    from detector.model.context import context_matrix

    C = context_matrix(zf, zc, data.document_rows, data.doc_index)
    assert not np.array_equal(with_extra.context.predict_proba(C), without.context.predict_proba(C))


def test_context_native_rows_weigh_as_much_as_the_main_clean_rows():
    import numpy as np

    from detector.fit.training_matrix import TrainingMatrix
    from training.fit import balance_context_native, context_native_rows
    from training.recipe import roundtrip_rows

    sources = np.array(["wiki:human", "wiki:simulated", "wmt2021:de-en", "wmt2021:de-en",
                        "orig23:human", "orig23:human", "orig23:roundtrip"], dtype=object)
    y = np.array([0, 1, 0, 1, 0, 0, 1])
    n = len(y)
    data = TrainingMatrix(np.zeros((n, 1)), np.array(["t"] * n, dtype=object), np.zeros((n, 2)),
                          y, np.arange(n).astype(object), np.arange(n), sources,
                          np.array([1.0, 1.0, 2.0, 2.0, 1.0, 1.0, 1.0]))
    main, _ = roundtrip_rows(sources, y)
    context = context_native_rows(sources, main)
    assert context.tolist() == [False, False, False, False, True, True, False]
    balanced = balance_context_native(data, main, context)
    assert balanced.weights[context].sum() == data.weights[main & (y == 0)].sum() == 3.0
    assert balanced.weights[~context].tolist() == data.weights[~context].tolist()


def test_report_names_the_texts_left_out():
    from types import SimpleNamespace

    from detector.fit.trainer import format_report

    row = {"documents": 1, "paragraphs": 2, "groups": 1}
    data = {"counts": {"clean": row, "mangled": row}, "duplicates_dropped": 7,
            "duplicates": ["a", "b", "c", "d", "e", "f"], "conflicts_dropped": 2,
            "conflicts": ["x", "y"]}
    lines = format_report(SimpleNamespace(metadata={"training": {"data": data, "cv": {}}},
                                          threshold=0.5)).splitlines()
    assert "  duplicated texts counted once: 7 (a, b, c, d, e and 2 more)" in lines
    assert "  texts given with both labels, every copy left out: 2 (x, y)" in lines
