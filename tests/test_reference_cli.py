"""``detector flag --reference`` and ``detector match``.

The seed's JSON with its alignment, the bad references and a reference folder
with unusable files run as subprocesses (a skipped reference is warned about on
the standard error the reference reader was given when it was imported); the
other cases call the same ``main`` in this interpreter (``conftest.run_main``).
"""

from __future__ import annotations

import json
import re
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
    assert report["n_suspects"] == 3 and report["n_copies"] == 2
    assert report["verdicts"] == {"ref.spun_copy": 1, "ref.copy": 1, "ref.edited_copy": 0,
                                  "ref.partial_match": 0, "ref.no_match": 1}
    by_path = {s["path"]: s for s in report["suspects"]}
    spun = by_path[str(suspects / "002.txt")]
    assert spun["original"] == str(originals / "000.txt") and spun["verdict"] == "ref.spun_copy"
    assert spun["matched"] >= 20 and spun["prose"] == 25 and spun["copy"] is True
    assert 0 < spun["threshold"] < 1
    verbatim = by_path[str(suspects / "harbour_copy.txt")]
    assert verbatim["verdict"] == "ref.copy" and verbatim["copy"] is True
    other = by_path[str(suspects / "other.txt")]
    assert other["verdict"] == "ref.no_match" and other["copy"] is False
    text = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    text=True)
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    # without --all: the spun and the verbatim copy, each with its verdict
    assert len(lines) == 3
    assert lines[0].startswith(f"{suspects / '002.txt'}: spun copy of {originals / '000.txt'} (")
    assert lines[1].startswith(
        f"{suspects / 'harbour_copy.txt'}: verbatim copy of {originals / 'harbour.txt'} (")
    assert re.search(r"; document score \d\.\d\d \(mangled, threshold \d\.\d\d\)$", lines[0])
    assert re.search(r"; document score \d\.\d\d \(clean, threshold \d\.\d\d\)$", lines[1])
    assert lines[-1] == ("2 of 3 suspects copy an original: 1 spun copy, 1 verbatim copy; "
                         "1 does not: 1 no match (--all lists them)")
    every = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                     "--all", text=True).stdout.splitlines()
    assert every[2] == f"{suspects / 'other.txt'}: no paragraph matches the reference; " \
                       "no prose paragraph scored"  # German: nothing to score
    assert every[-1] == ("2 of 3 suspects copy an original: 1 spun copy, 1 verbatim copy; "
                         "1 does not: 1 no match")


def _match_dirs(repo_root, tmp_path, suspects: dict[str, str]):
    """An originals folder with the harbour text, a suspects folder with ``suspects``."""
    originals, folder = tmp_path / "originals", tmp_path / "suspects"
    originals.mkdir()
    folder.mkdir()
    shutil.copy(repo_root / OTHER_ORIGINAL, originals / "harbour.txt")
    for name, text in suspects.items():
        (folder / name).write_text(text, encoding="utf-8")
    return originals, folder


def test_match_a_verbatim_copy_alone_is_found(repo_root, tmp_path, default_model_file):
    """The plainest plagiarism: listed without --all, and the exit code says found."""
    original = (repo_root / OTHER_ORIGINAL).read_text(encoding="utf-8")
    originals, suspects = _match_dirs(repo_root, tmp_path, {"copy.txt": original})
    proc = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    text=True)
    _no_traceback(proc)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{suspects / 'copy.txt'}: verbatim copy of "
                               f"{originals / 'harbour.txt'} (5 of 5 prose paragraphs matched); "
                               "document score ")
    assert lines[-1] == "1 of 1 suspect copies an original: 1 verbatim copy"


def test_match_a_close_copy_is_listed_with_its_verdict(repo_root, tmp_path, default_model_file):
    original = (repo_root / OTHER_ORIGINAL).read_text(encoding="utf-8")
    edited = original.replace("3.5 per cent", "3.5 percent")
    assert edited != original
    originals, suspects = _match_dirs(repo_root, tmp_path, {"edited.txt": edited})
    proc = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    "--format", "jsonl", text=True)
    _no_traceback(proc)
    assert proc.returncode == 1
    (record,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert record["verdict"] == "ref.edited_copy" and record["copy"] is True
    text = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    text=True)
    assert text.returncode == 1
    assert text.stdout.splitlines()[0].startswith(f"{suspects / 'edited.txt'}: close copy of ")
    assert text.stdout.splitlines()[-1] == "1 of 1 suspect copies an original: 1 close copy"


def test_match_unrelated_file_says_what_its_score_is(repo_root, tmp_path, default_model_file):
    unrelated = (repo_root / "data/pairs/mt03_glacier_study.clean.txt").read_text(encoding="utf-8")
    originals, suspects = _match_dirs(repo_root, tmp_path, {"unrelated.txt": unrelated})
    proc = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    text=True)
    _no_traceback(proc)
    assert proc.returncode == 0
    assert proc.stdout == "0 of 1 suspect copies an original; 1 does not: 1 no match " \
                          "(--all lists them)\n"
    every = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                     "--all", text=True)
    assert every.returncode == 0
    line = every.stdout.splitlines()[0]
    assert re.fullmatch(
        re.escape(f"{suspects / 'unrelated.txt'}: no paragraph matches the reference; ")
        + r"document score \d\.\d\d from its text alone \((clean|mangled), "
          r"threshold \d\.\d\d\)", line), line


def test_match_output_file(repo_root, tmp_path, default_model_file):
    original = (repo_root / OTHER_ORIGINAL).read_text(encoding="utf-8")
    originals, suspects = _match_dirs(repo_root, tmp_path, {"copy.txt": original})
    target = tmp_path / "matches.json"
    proc = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    "--format", "json", "-o", str(target), text=True)
    _no_traceback(proc)
    assert proc.returncode == 1 and proc.stdout == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    assert [s["verdict"] for s in report["suspects"]] == ["ref.copy"]
    proc = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    "-o", str(tmp_path), text=True)
    assert proc.returncode == 2 and "is a directory" in proc.stderr


def test_match_error_wins_over_a_found_copy(repo_root, tmp_path, default_model_file):
    original = (repo_root / OTHER_ORIGINAL).read_text(encoding="utf-8")
    originals, suspects = _match_dirs(repo_root, tmp_path, {"copy.txt": original})
    (suspects / "latin1.txt").write_bytes(b"caf\xe9 au lait " * 20)
    proc = run_main("match", "--originals", str(originals), "--suspects", str(suspects),
                    text=True)
    _no_traceback(proc)
    assert proc.returncode == 2
    assert "latin1.txt" in proc.stderr
    assert proc.stdout.splitlines()[-1] == "1 of 1 suspect copies an original: 1 verbatim copy"


def test_reference_in_another_language_is_no_match(tmp_path, default_model_file):
    german = tmp_path / "original.txt"
    german.write_text("Der Stadtrat hat am Montag den neuen Haushalt beschlossen. Die Sanierung "
                      "der alten Brücke soll im Frühjahr beginnen und zwei Jahre dauern.\n",
                      encoding="utf-8")
    proc = run_main("flag", "--reference", str(german), SEED_MANGLED_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 1  # still flagged by the intrinsic model
    assert proc.stdout.splitlines()[-1].endswith("no paragraph matches the reference")
