"""The datatrove filter step (detector.integrations.datatrove): a real
datatrove pipeline (JSON Lines reader, the filter with an exclusion writer,
JSON Lines writer) over seeds 000 (clean) and 002 (a translation round trip)
and a table, run in a fresh interpreter with the network blocked; the step's
options, pickling and imports in this one."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import dill  # datatrove's executors ship steps with multiprocess, that is with dill
import pytest
from benchmarks.datatrove_filter import PIPELINE
from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL
from datatrove.data import Document

from detector import ModelError, load_model, score_document
from detector.integrations.datatrove import DROP_REASON, DetectorFilter, metadata_of
from detector.reason_codes import REASON_CODES, SKIP_REASONS

TABLE = "| city | rain (mm) |\n|---|---|\n| Oslo | 12 |\n| Bergen | 31 |\n"

# The benchmark's pipeline, as a user writes it, in an interpreter whose every Internet
# socket is blocked (datatrove imports huggingface_hub; nothing may reach a
# hub). Local sockets stay open: the executor's multiprocess manager uses one.
GUARDED_PIPELINE = textwrap.dedent(
    """
    import json, socket, sys

    attempts = []

    class NetworkBlocked(OSError):
        pass

    def refuse(name):
        attempts.append(name)
        raise NetworkBlocked(f"network access attempted: {name}")

    local_connect, local_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            refuse("socket.connect")
        return local_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            refuse("socket.connect_ex")
        return local_connect_ex(self, address)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.create_connection = lambda *a, **k: refuse("socket.create_connection")
    socket.getaddrinfo = lambda *a, **k: refuse("socket.getaddrinfo")

    guard = []
    for attempt in (lambda: socket.create_connection(("example.com", 80), timeout=1),
                    lambda: socket.getaddrinfo("example.com", 80),
                    lambda: socket.socket().connect(("127.0.0.1", 9)),
                    lambda: socket.socket().connect_ex(("127.0.0.1", 9))):
        try:
            attempt()
            guard.append(False)
        except NetworkBlocked:
            guard.append(True)
    deliberate = len(attempts)

    """
) + PIPELINE + textwrap.dedent(
    """
    print("PIPELINE-REPORT " + json.dumps({"guard": guard, "attempts": attempts[deliberate:]}))
    """
)


def read_jsonl(folder: Path) -> dict[str, dict]:
    """The records of a writer's output folder, by id."""
    records = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["id"]] = record
    return records


@pytest.fixture(scope="module")
def texts(repo_root: Path) -> dict[str, str]:
    """The corpus: seed 000, seed 002 and a table, by id."""
    return {"000": (repo_root / SEED_CLEAN_REL).read_text(encoding="utf-8"),
            "002": (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8"),
            "table": TABLE}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, repo_root: Path, texts: dict[str, str]) -> dict:
    """Run the pipeline once: what it kept, what it dropped, its stats and
    the network guard's report."""
    out = tmp_path_factory.mktemp("datatrove")
    (out / "input").mkdir()
    with (out / "input" / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for doc_id, text in texts.items():
            handle.write(json.dumps({"id": doc_id, "text": text, "url": f"https://example.org/{doc_id}"})
                         + "\n")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "HUGGINGFACE_"))}
    proc = subprocess.run([sys.executable, "-c", GUARDED_PIPELINE, str(out)], capture_output=True,
                          text=True, cwd=repo_root, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(next(line for line in proc.stdout.splitlines()
                             if line.startswith("PIPELINE-REPORT ")).split(" ", 1)[1])
    stats = json.loads((out / "logs" / "stats.json").read_text(encoding="utf-8"))
    return {"kept": read_jsonl(out / "kept"), "dropped": read_jsonl(out / "dropped"),
            "stats": next(s["stats"] for s in stats if "detector" in s["name"]), **report}


def test_pipeline_keeps_the_clean_seed_and_the_table_and_drops_the_round_trip(pipeline):
    assert sorted(pipeline["kept"]) == ["000", "table"]
    assert sorted(pipeline["dropped"]) == ["002"]
    assert pipeline["dropped"]["002"]["metadata"]["filter_reason"] == DROP_REASON
    assert "filter_reason" not in pipeline["kept"]["000"]["metadata"]


def test_pipeline_never_touches_the_network(pipeline):
    assert pipeline["guard"] == [True, True, True, True]
    assert pipeline["attempts"] == []


def test_documents_pass_through_unchanged_but_for_the_annotation(pipeline, texts):
    records = {**pipeline["kept"], **pipeline["dropped"]}
    for doc_id, text in texts.items():
        assert records[doc_id]["text"] == text
        assert records[doc_id]["metadata"]["url"] == f"https://example.org/{doc_id}"


def test_round_trip_is_flagged_with_25_paragraphs(pipeline, texts):
    annotation = pipeline["dropped"]["002"]["metadata"]["detector"]
    threshold = load_model().threshold
    assert annotation["flagged"] is True and annotation["label"] == "mangled"
    assert annotation["threshold"] == pytest.approx(threshold)
    assert annotation["score"] >= threshold
    assert (annotation["n_paragraphs"], annotation["n_scored"], annotation["n_flagged"]) == (29, 25, 25)
    paragraphs = annotation["paragraphs"]
    assert len(paragraphs) == 29
    assert sum(p["flagged"] for p in paragraphs) == 25
    assert sum(p["skipped"] is not None for p in paragraphs) == 4
    assert all(p["score"] >= threshold and p["codes"] for p in paragraphs if p["flagged"])
    assert {c for p in paragraphs for c in p["codes"]} | set(annotation["codes"]) <= set(REASON_CODES)
    assert {p["skipped"] for p in paragraphs if p["skipped"]} <= set(SKIP_REASONS)
    assert "doc.flagged_share" in annotation["codes"]
    # The offsets are the paragraph's span in the document's text.
    dated = [p for p in paragraphs if "art.mangled_date" in p["codes"]]
    assert dated and any("5. Martha" in texts["002"][p["start"]:p["end"]] for p in dated)


def test_clean_seed_is_kept_with_no_paragraph_flagged(pipeline):
    annotation = pipeline["kept"]["000"]["metadata"]["detector"]
    assert annotation["flagged"] is False and annotation["label"] == "clean"
    assert annotation["score"] < annotation["threshold"]
    assert (annotation["n_paragraphs"], annotation["n_scored"], annotation["n_flagged"]) == (38, 35, 0)
    assert [p["flagged"] for p in annotation["paragraphs"]] == [False] * 38
    assert all(p["score"] < annotation["threshold"] for p in annotation["paragraphs"]
               if p["score"] is not None)


def test_a_document_with_no_prose_is_kept_unscored(pipeline):
    annotation = pipeline["kept"]["table"]["metadata"]["detector"]
    assert (annotation["score"], annotation["flagged"], annotation["label"]) == (None, False, "unscored")
    assert annotation["codes"] == ["doc.no_prose"]
    assert [p["skipped"] for p in annotation["paragraphs"]] == ["table"]


def test_pipeline_stats_count_labels_drops_and_paragraphs(pipeline):
    stats = pipeline["stats"]
    assert (stats["total"], stats["forwarded"], stats["dropped"]) == (3, 2, 1)
    assert stats[f"dropped_{DROP_REASON}"] == 1
    assert (stats["clean"], stats["mangled"], stats["unscored"]) == (1, 1, 1)
    assert stats["paragraphs_scored"]["total"] == 60
    assert stats["paragraphs_flagged"]["total"] == 25


# The step itself, in this interpreter, on one short paragraph.

SHORT = ("The city council met on Monday to discuss the new budget. Members argued "
         "for hours about the cost of repairing the old bridge.")


def test_threshold_label_only_annotate_and_paragraph_options():
    # At threshold 0 every prose document is flagged.
    doc = Document(text=SHORT, id="a")
    assert DetectorFilter(threshold=0.0).filter(doc) == (False, DROP_REASON)
    assert doc.metadata["detector"]["flagged"] is True
    assert doc.metadata["detector"]["threshold"] == 0.0
    doc = Document(text=SHORT, id="a")
    assert DetectorFilter(threshold=0.0, label_only=True).filter(doc) is True
    assert doc.metadata["detector"]["flagged"] is True
    doc = Document(text=SHORT, id="a")
    assert DetectorFilter(threshold=1.0, annotate=False).filter(doc) is True
    assert doc.metadata == {}
    doc = Document(text=SHORT, id="a")
    DetectorFilter(paragraphs=False, metadata_key="spun").filter(doc)
    assert "paragraphs" not in doc.metadata["spun"] and doc.metadata["spun"]["n_scored"] == 1


def test_annotation_is_the_scored_result_in_json():
    result = score_document(SHORT)
    doc = Document(text=SHORT, id="a")
    DetectorFilter().filter(doc)
    assert doc.metadata["detector"] == metadata_of(result)
    assert json.loads(json.dumps(doc.metadata["detector"])) == metadata_of(result)
    assert doc.metadata["detector"]["paragraphs"] == [
        {"start": p.start, "end": p.end, "score": p.score, "flagged": p.flagged,
         "codes": list(dict.fromkeys(r.code for r in p.reasons)), "skipped": p.skipped} for p in result.paragraphs]


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="threshold"):
        DetectorFilter(threshold=1.5)
    with pytest.raises(ValueError, match="label_only"):
        DetectorFilter(label_only=True, annotate=False)


def test_model_is_loaded_on_first_use_not_when_the_step_is_built(tmp_path):
    step = DetectorFilter(model=tmp_path / "missing.skops")  # no error yet
    with pytest.raises(ModelError):
        step.filter(Document(text=SHORT, id="a"))


def test_loaded_model_is_not_pickled_with_the_step():
    step = DetectorFilter(threshold=0.9)
    fresh = len(pickle.dumps(step))
    step.filter(Document(text=SHORT, id="a"))
    assert step.model is load_model()
    for dumps, loads in ((pickle.dumps, pickle.loads), (dill.dumps, dill.loads)):
        shipped = dumps(step)
        assert len(shipped) < fresh + 1000
        copy = loads(shipped)
        assert copy.threshold == 0.9
        doc = Document(text=SHORT, id="a")
        assert copy.filter(doc) is True and doc.metadata["detector"]["threshold"] == 0.9


def test_import_detector_does_not_import_datatrove(repo_root):
    code = ("import sys, detector, detector.integrations; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datatrove', 'huggingface_hub')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=repo_root, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["[]"]


def test_without_datatrove_the_import_error_says_what_to_install(repo_root):
    code = ("import sys; sys.modules['datatrove'] = None\n"
            "try:\n    import detector.integrations.datatrove\n"
            "except ImportError as exc:\n    print('IMPORT-ERROR', exc)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=repo_root, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("IMPORT-ERROR ")
    assert "pip install 'detector[datatrove]'" in proc.stdout
