"""``detector flag --reference`` and ``detector match``.

The seed's JSON with its alignment, the bad references and a reference folder
with unusable files run as subprocesses (a skipped reference is warned about on
the standard error the reference reader was given when it was imported); the
other cases call the same ``main`` in this interpreter (``conftest.run_main``).
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL, run_main

OTHER_ORIGINAL = "data/pairs/mt01_harbour_strike.clean.txt"


def _no_traceback(proc):
    assert "Traceback" not in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def seed_with_reference(run_cli, default_model_file):
    return run_cli("flag", "--reference", SEED_CLEAN_REL, SEED_MANGLED_REL, "--format", "json")


def test_flag_reference_json_carries_the_alignment(seed_with_reference, repo_root):
    proc = seed_with_reference
    _no_traceback(proc)
    assert proc.returncode == 1
    record = json.loads(proc.stdout)["files"][0]
    assert record["source"] == SEED_CLEAN_REL
    original = (repo_root / SEED_CLEAN_REL).read_text(encoding="utf-8")
    copy = (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8")
    aligned = [p for p in record["paragraphs"] if p["alignment"]]
    assert len(aligned) >= 20
    for paragraph in aligned:
        alignment = paragraph["alignment"]
        assert alignment["verdict"] in ("spun", "edited", "copy")
        for source in alignment["sources"]:
            assert source["reference"] == SEED_CLEAN_REL
            assert original[source["start"]:source["end"]].strip()
        for op in alignment["ops"]:
            assert op["op"] in ("equal", "replace", "insert", "delete")
            assert copy[op["start"]:op["end"]] == op["text"]
            assert original[op["source_start"]:op["source_end"]] == op["source_text"]
    assert any(r["code"] == "ref.spun_copy" for r in record["reasons"])


def test_flag_reference_text_output(default_model_file):
    proc = run_main("flag", "--reference", SEED_CLEAN_REL, SEED_MANGLED_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{SEED_MANGLED_REL}:1:1: ref.source ")
    assert f"source: {SEED_CLEAN_REL} paragraph 0 (line 1)" in lines[0]
    assert f"spun copy of {SEED_CLEAN_REL}" in lines[-1]


def test_flag_original_against_itself_is_a_copy(default_model_file):
    proc = run_main("flag", "--reference", SEED_CLEAN_REL, SEED_CLEAN_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 0
    assert f"verbatim copy of {SEED_CLEAN_REL}" in proc.stdout


def _bad_reference(tmp, kind):
    if kind == "empty":
        (tmp / "empty.txt").write_text("", encoding="utf-8")
        return tmp / "empty.txt"
    if kind == "missing":
        return tmp / "missing.txt"
    if kind == "empty dir":
        (tmp / "d").mkdir()
        return tmp / "d"
    (tmp / "bad.txt").write_bytes(b"caf\xe9 au lait " * 20)
    return tmp / "bad.txt"


@pytest.mark.parametrize("kind, message", [
    ("empty", "no prose paragraph"),
    ("missing", "cannot read reference"),
    ("empty dir", "no text files"),
    ("latin-1", "UTF-8"),
])
def test_flag_bad_reference_is_a_clear_error(run_cli, tmp_path, kind, message):
    reference = _bad_reference(tmp_path, kind)
    proc = run_cli("flag", "--reference", str(reference), SEED_MANGLED_REL)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_flag_reference_directory_skips_unusable_files(run_cli, repo_root, tmp_path):
    shutil.copy(repo_root / SEED_CLEAN_REL, tmp_path / "000.txt")
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    proc = run_cli("flag", "--reference", str(tmp_path), SEED_MANGLED_REL)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert "reference skipped" in proc.stderr and "empty.txt" in proc.stderr
    assert f"spun copy of {tmp_path / '000.txt'}" in proc.stdout


def test_flag_reference_needs_a_reference_stage(tiny_model_path):
    proc = run_main("flag", "--model", str(tiny_model_path), "--reference", SEED_CLEAN_REL,
                    SEED_MANGLED_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert "no reference stage" in proc.stderr


def test_match_lists_the_spun_copy(repo_root, tmp_path):
    originals, suspects = tmp_path / "originals", tmp_path / "suspects"
    originals.mkdir()
    suspects.mkdir()
    shutil.copy(repo_root / SEED_CLEAN_REL, originals / "000.txt")
    shutil.copy(repo_root / OTHER_ORIGINAL, originals / "harbour.txt")
    shutil.copy(repo_root / SEED_MANGLED_REL, suspects / "002.txt")
    shutil.copy(repo_root / OTHER_ORIGINAL, suspects / "harbour_copy.txt")
    (suspects / "other.txt").write_text(
        "Der Stadtrat hat am Montag den neuen Haushalt beschlossen. Die Sanierung der alten "
        "Brücke soll im Frühjahr beginnen und zwei Jahre dauern.\n", encoding="utf-8")
    proc = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    "--format", "json", "--all", text=True)
    _no_traceback(proc)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["n_suspects"] == 3 and report["n_copies"] == 1
    by_path = {s["path"]: s for s in report["suspects"]}
    spun = by_path[str(suspects / "002.txt")]
    assert spun["original"] == str(originals / "000.txt") and spun["verdict"] == "ref.spun_copy"
    assert spun["matched"] >= 20 and spun["prose"] == 25
    assert by_path[str(suspects / "harbour_copy.txt")]["verdict"] == "ref.copy"
    assert by_path[str(suspects / "other.txt")]["verdict"] == "ref.no_match"
    text = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    text=True)
    assert text.returncode == 1
    assert text.stdout.splitlines()[0].startswith(f"{suspects / '002.txt'}: ")
    assert text.stdout.splitlines()[-1] == "1 of 3 suspects are spun copies of an original"


def test_reference_in_another_language_is_no_match(tmp_path, default_model_file):
    german = tmp_path / "original.txt"
    german.write_text("Der Stadtrat hat am Montag den neuen Haushalt beschlossen. Die Sanierung "
                      "der alten Brücke soll im Frühjahr beginnen und zwei Jahre dauern.\n",
                      encoding="utf-8")
    proc = run_main("flag", "--reference", str(german), SEED_MANGLED_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 1  # still flagged by the intrinsic model
    assert proc.stdout.splitlines()[-1].endswith("no paragraph matches the reference")
