"""``detector model info``: a model file's metadata, readably or as JSON, and
one error line for a file that is no model."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import run_main
from model_files import metadata_of, two_file_copy, with_metadata


def _lines(run) -> dict[str, str]:
    """The ``name  value`` lines of the text output, by name."""
    out = {}
    for line in run.stdout.splitlines():
        if line and not line.startswith(" ") and "  " in line:
            name, _, value = line.partition("  ")
            out[name] = value.strip()
    return out


def test_info_on_the_shipped_model(default_model_file):
    run = run_main("model", "info", text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    metadata = metadata_of(default_model_file)
    lines = _lines(run)
    assert lines["model file"] == str(default_model_file)
    assert lines["format"].startswith(f"{metadata['format']}: ")
    assert lines["threshold"] == f"{metadata['threshold']:.3f}"
    assert lines["members"] == (f"round-trip (threshold {metadata['roundtrip']['threshold']:.3f}), "
                                f"spin (threshold {metadata['spin']['threshold']:.3f})")
    assert lines["reference"] == f"present (threshold {metadata['reference']['threshold']:.3f})"
    assert lines["scoring"] == "from the arrays, without scikit-learn"
    assert "detector-arrays.npz" in lines["contents"]
    assert "detector-reference.skops" in lines["contents"]
    assert f"scikit-learn {metadata['versions']['scikit-learn']}" in lines["saved with"]
    # the training data by source, and the cross-validated metrics
    training = metadata["training"]
    text = run.stdout
    for source, counts in training["paragraphs_by_source"].items():
        row = [source, str(counts.get("clean", "-")), str(counts.get("mangled", "-"))]
        assert any(line.split() == row for line in text.splitlines()), source
    assert f"cross-validation: {training['cv']['method']}" in text
    final = next(line.split() for line in text.splitlines() if line.split()[:1] == ["final"])
    assert final[1] == f"{training['cv']['final']['roc_auc']:.3f}"
    assert "round-trip member cross-validation: " in text
    assert "spin member cross-validation: " in text


def test_info_json_on_the_shipped_model_is_its_metadata(default_model_file):
    run = run_main("model", "info", str(default_model_file), "--format", "json", text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == metadata_of(default_model_file)


def test_info_on_a_tiny_one_file_model(tiny_model_path, tiny_model):
    from detector import __version__

    run = run_main("model", "info", str(tiny_model_path), text=True)
    assert run.returncode == 0, run.stderr
    lines = _lines(run)
    assert lines["format"] == "5: one file, the metadata inside"
    assert lines["saved with"].startswith(f"detector {__version__}, scikit-learn ")
    assert lines["threshold"] == f"{tiny_model.threshold:.3f}"
    assert lines["features"] == f"{len(tiny_model.feature_names)} columns from every family"
    assert lines["members"] == "none"
    assert lines["reference"] == "absent"
    assert lines["contents"].endswith("detector-arrays.npz, detector-metadata.json")
    training = tiny_model.metadata["training"]
    assert (f"  paragraphs {training['n_paragraphs']} ({training['n_clean']} clean, "
            f"{training['n_mangled']} mangled) in {training['n_groups']} groups") in run.stdout
    assert ["synthetic", str(training["n_clean"]), str(training["n_mangled"])] in \
        [line.split() for line in run.stdout.splitlines()]
    assert "cross-validation: 3-fold cross-validation grouped by pair" in run.stdout


def test_info_json_on_a_tiny_model(tiny_model_path):
    run = run_main("model", "info", "--format", "json", str(tiny_model_path), text=True)
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout)
    assert shown == metadata_of(tiny_model_path)
    assert shown["format"] == 5 and shown["purpose"] == "tests"


def test_info_on_an_older_two_file_model(tiny_model_path, tmp_path):
    path = two_file_copy(tiny_model_path, tmp_path / "old.skops")
    run = run_main("model", "info", str(path), text=True)
    assert run.returncode == 0, run.stderr
    lines = _lines(run)
    assert lines["format"] == "4: the metadata beside it, in old.json"
    assert lines["saved with"].startswith("scikit-learn ")  # format 4 recorded no detector version
    assert "detector-metadata.json" not in lines["contents"]
    json_run = run_main("model", "info", str(path), "--format", "json", text=True)
    assert json.loads(json_run.stdout) == json.loads((tmp_path / "old.json").read_text())


def test_info_names_strings_from_the_file_printably(tiny_model_path, tmp_path):
    metadata = metadata_of(tiny_model_path)
    metadata["versions"]["detector"] = "1.0\x1b[31m\nforged line"
    path = with_metadata(tiny_model_path, tmp_path / "odd.skops", metadata)
    run = run_main("model", "info", str(path), text=True)
    assert run.returncode == 0, run.stderr
    assert "\x1b" not in run.stdout and "\nforged line" not in run.stdout
    assert "detector 1.0\\x1b[31m\\nforged line" in run.stdout


def _random_bytes(tmp_path, tiny_model_path):
    path = tmp_path / "noise.skops"
    path.write_bytes(os.urandom(4096))
    return path, "not a skops model file"


def _truncated(tmp_path, tiny_model_path):
    path = tmp_path / "cut.skops"
    path.write_bytes(tiny_model_path.read_bytes()[:50_000])
    return path, "not a skops model file"


def _absent(tmp_path, tiny_model_path):
    return tmp_path / "absent.skops", "absent.skops: no such model file"


def _directory(tmp_path, tiny_model_path):
    return tmp_path, "is a directory, not a model file"


def _bad_metadata(tmp_path, tiny_model_path):
    path = with_metadata(tiny_model_path, tmp_path / "bad.skops", {"format": 5})
    return path, "invalid metadata: 'threshold' is missing; 'feature_names' is missing"


def _older_without_metadata(tmp_path, tiny_model_path):
    path = two_file_copy(tiny_model_path, tmp_path / "lonely.skops")
    path.with_suffix(".json").unlink()
    return path, "has no metadata inside, and the metadata file an older model keeps beside it, " \
                 "lonely.json, is missing"


@pytest.mark.parametrize("make", [_random_bytes, _truncated, _absent, _directory, _bad_metadata,
                                  _older_without_metadata])
@pytest.mark.parametrize("output", ["text", "json"])
def test_info_on_a_bad_file_is_one_error_line(tmp_path, tiny_model_path, make, output):
    path, message = make(tmp_path, tiny_model_path)
    run = run_main("model", "info", str(path), "--format", output, text=True)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("detector: error: ")
    assert message in run.stderr


def test_info_on_a_model_this_version_cannot_load_shows_it_and_says_why(tiny_model_path,
                                                                       tmp_path):
    # Its metadata reads, so it is shown (which versions built it is what
    # one wants to know then); that it cannot be used is the error.
    metadata = metadata_of(tiny_model_path)
    metadata["feature_names"] = metadata["feature_names"][:-1] + ["style.gone"]
    path = with_metadata(tiny_model_path, tmp_path / "other.skops", metadata)
    run = run_main("model", "info", str(path), text=True)
    assert run.returncode == 2
    assert _lines(run)["format"] == "5: one file, the metadata inside"
    assert run.stderr.count("\n") == 1
    assert "feature names do not match" in run.stderr


def test_info_on_a_copy_moved_alone(tiny_model_path, tmp_path):
    alone = tmp_path / "moved.skops"
    shutil.copy(tiny_model_path, alone)
    assert run_main("model", "info", str(alone), text=True).returncode == 0


def test_model_help_and_mistakes():
    help_run = run_main("model", "info", "--help", text=True)
    assert help_run.returncode == 0
    assert "exit codes: 0 done" in " ".join(help_run.stdout.split())
    assert "default: the shipped model" in help_run.stdout
    missing = run_main("model", text=True)
    assert missing.returncode == 2 and "required: ACTION" in missing.stderr
    typo = run_main("model", "inf", text=True)
    assert typo.returncode == 2 and "did you mean 'info'?" in typo.stderr
    option = run_main("model", "info", "--formt", "json", text=True)
    assert option.returncode == 2 and "--formt (did you mean --format?)" in option.stderr
