"""Format-4 model files: the stages load from their arrays, checked, without scikit-learn."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from detector.errors import ModelError
from detector.model.array_file import ARRAYS_MEMBER, REFERENCE_MEMBER
from detector.model.arrays import TreeEnsemble
from detector.model.persistence import load_model, save_model

PROSE = ("The city council voted on Tuesday to expand the bus network. The plan adds "
         "twelve routes and will cost about four million dollars over three years.")


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the one-file model ``source`` at ``target`` whose arrays
    member is ``change(arrays)`` (a dict), or dropped when that returns None."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    with np.load(io.BytesIO(members.pop(ARRAYS_MEMBER)), allow_pickle=False) as npz:
        arrays = change({key: npz[key] for key in npz.files})
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if arrays is not None:
            packed = io.BytesIO()
            np.savez(packed, **arrays)
            archive.writestr(ARRAYS_MEMBER, packed.getvalue())
    return target


def test_the_shipped_model_scores_without_scikit_learn(default_model_file):
    code = ("import sys\nfrom detector import score_document\n"
            f"result = score_document({PROSE!r})\n"
            "print(result.n_scored, 'sklearn' in sys.modules, 'skops' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "False", "False"]
    with zipfile.ZipFile(default_model_file) as archive:
        assert {ARRAYS_MEMBER, REFERENCE_MEMBER} <= set(archive.namelist())


def test_saved_and_loaded_scores_are_the_same(tiny_model, tmp_path):
    texts = [PROSE, PROSE.replace("voted", "casted a ballot"), "Short one here is a sentence."]
    path = save_model(tiny_model, tmp_path / "m.skops")
    loaded = load_model(path)
    assert isinstance(loaded.paragraph, TreeEnsemble)
    again = load_model(save_model(loaded, tmp_path / "again.skops"))  # saved from arrays
    X = np.random.default_rng(0).normal(size=(50, len(tiny_model.feature_names)))
    rows, index = np.zeros((50, 2)), np.arange(50) // 5
    for model in (loaded, again):
        expected = tiny_model.predict_scores(X, [texts[i % 3] for i in range(50)], rows, index)
        got = model.predict_scores(X, [texts[i % 3] for i in range(50)], rows, index)
        for e, g in zip(expected, got):
            np.testing.assert_allclose(g, e, rtol=0, atol=1e-6)


def test_a_file_without_arrays_loads_through_skops(tiny_model_path, tmp_path):
    path = _rewrite(tiny_model_path, tmp_path / "old.skops", lambda arrays: None)
    assert type(load_model(path).paragraph).__name__ == "HistGradientBoostingClassifier"


@pytest.mark.parametrize("case", ["node outside", "feature beyond the columns", "missing",
                                  "wrong context width", "object array"])
def test_broken_arrays_are_refused(tiny_model_path, tmp_path, case):
    def change(arrays):
        if case == "node outside":
            arrays["paragraph.left"] = np.full_like(arrays["paragraph.left"], 10**6)
        elif case == "feature beyond the columns":
            arrays["paragraph.feature"] = arrays["paragraph.feature"] + 10**4
        elif case == "missing":
            del arrays["context.coef"]
        elif case == "wrong context width":
            arrays["context.coef"] = arrays["context.coef"][:-1]
        else:
            arrays["paragraph.value"] = np.array([object()] * 3, dtype=object)
        return arrays

    if case == "object array":  # np.savez would pickle it; np.load refuses to
        path = tmp_path / "m.skops"
        with pytest.raises(ModelError, match="arrays cannot be used"):
            load_model(_rewrite(tiny_model_path, path, change))
        return
    path = _rewrite(tiny_model_path, tmp_path / "m.skops", change)
    document = tmp_path / "doc.txt"
    document.write_text(PROSE)
    proc = subprocess.run([sys.executable, "-m", "detector", "flag", "--model", str(path),
                           str(document)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "its arrays" in proc.stderr
