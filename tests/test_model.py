"""Model files: skops round trip, metadata, refusing unsafe or mismatched files,
and atomic saving."""

from __future__ import annotations

import collections
import dataclasses
import json
import os
import pickle
import shutil

import joblib
import numpy as np
import pytest

import detector.model.persistence as model_module
import detector.io.output as output_module
from detector.errors import ModelError
from detector.score.document import score_document
from detector.model.persistence import load_model, save_model
from detector.errors import OutputError
from model_files import metadata_of, two_file_copy, with_metadata

TEXT = (
    "The city council met on Monday to discuss the new budget.\n\n"
    "The mayor Said she does not expect a final vote before the before the summer.\n\n"
    "https://example.com/a\n\n"
    "Local businesses have welcomed the plan, although some worry about traffic."
)


class Payload:
    """Unpickling this creates ``marker``: proof that a file was unpickled."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _copy_metadata(tiny_model_path, target):
    """The tiny model's metadata beside ``target``, as a format-4 model keeps it."""
    metadata = metadata_of(tiny_model_path)
    metadata["format"] = 4
    target.with_suffix(".json").write_text(json.dumps(metadata), encoding="utf-8")


def _embed_metadata(tiny_model_path, target):
    """The tiny model's metadata inside ``target``, as a format-5 model keeps it."""
    from detector.model.metadata import embed_metadata

    target.write_bytes(embed_metadata(target.read_bytes(), metadata_of(tiny_model_path)))


def _state_like_real(model, **changes):
    state = {
        "format": model_module.FORMAT_VERSION,
        "paragraph": model.paragraph,
        "chars": None,
        "context": model.context,
        "clean_mean": model.clean_mean,
        "clean_scale": model.clean_scale,
        "direction": model.direction,
    }
    state.update(changes)
    return state


# ---------------------------------------------------------------------------
# Round trip and metadata
# ---------------------------------------------------------------------------


def test_round_trip_identical_predictions(tiny, tmp_path):
    again = load_model(save_model(tiny.model, tmp_path / "again.skops"))
    for candidate in (tiny.model, again):
        assert candidate.feature_names == tiny.fitted.feature_names
        assert candidate.threshold == tiny.fitted.threshold
        np.testing.assert_array_equal(candidate.clean_mean, tiny.fitted.clean_mean)
    expected = score_document(TEXT, model=tiny.fitted).to_dict()
    assert score_document(TEXT, model=tiny.model).to_dict() == expected
    assert score_document(TEXT, model=again).to_dict() == expected


def test_round_trip_stage_probabilities(tiny):
    from detector.features import FeatureExtractor

    texts = ["One plain paragraph of text.", "Another One , with odd Spacing ."]
    X = FeatureExtractor().fit().transform(texts)
    rows = np.zeros((2, 2))
    index = np.array([0, 0])
    a = tiny.fitted.predict_proba(X, texts, rows, index)
    b = tiny.model.predict_proba(X, texts, rows, index)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_metadata_inside_the_one_model_file(tiny_model_path, tiny_model):
    import zipfile

    import sklearn

    from detector import __version__
    from detector.model.array_file import ARRAYS_MEMBER
    from detector.model.metadata import METADATA_MEMBER

    assert not tiny_model_path.with_suffix(".json").exists()
    with zipfile.ZipFile(tiny_model_path) as archive:
        assert {METADATA_MEMBER, ARRAYS_MEMBER, "schema.json"} <= set(archive.namelist())
        metadata = json.loads(archive.read(METADATA_MEMBER))
    assert metadata["format"] == model_module.FORMAT_VERSION == 5
    assert metadata["feature_names"] == list(tiny_model.feature_names)
    assert metadata["threshold"] == tiny_model.threshold
    assert 0.0 <= metadata["threshold"] <= 1.0
    assert metadata["versions"] == {"detector": __version__, "scikit-learn": sklearn.__version__,
                                    "numpy": np.__version__}
    assert metadata["purpose"] == "tests"  # caller metadata is kept
    assert tiny_model.metadata == metadata  # what loading reads back


def test_one_file_model_copied_alone_loads(tiny_model_path, tmp_path):
    # The point of format 5: the model file is the whole model.
    elsewhere = tmp_path / "elsewhere" / "renamed.model"
    elsewhere.parent.mkdir()
    shutil.copy(tiny_model_path, elsewhere)
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["renamed.model"]
    loaded = load_model(elsewhere)
    assert loaded.threshold == load_model(tiny_model_path).threshold
    assert score_document(TEXT, model=loaded).to_dict() == \
        score_document(TEXT, model=tiny_model_path).to_dict()


def test_the_shipped_model_is_one_file(default_model_file):
    import zipfile

    from detector.model.metadata import METADATA_MEMBER

    assert not default_model_file.with_suffix(".json").exists()
    with zipfile.ZipFile(default_model_file) as archive:
        assert METADATA_MEMBER in archive.namelist()
    assert load_model().metadata["format"] == 5


def test_two_file_format_4_model_still_loads(tiny_model, tiny_model_path, tmp_path):
    import zipfile

    from detector.model.metadata import METADATA_MEMBER

    old = two_file_copy(tiny_model_path, tmp_path / "old.skops")
    with zipfile.ZipFile(old) as archive:
        assert METADATA_MEMBER not in archive.namelist()
    loaded = load_model(old)
    assert loaded.metadata["format"] == 4
    assert loaded.threshold == tiny_model.threshold
    assert score_document(TEXT, model=loaded).to_dict() == \
        score_document(TEXT, model=tiny_model).to_dict()
    (tmp_path / "old.json").unlink()
    with pytest.raises(ModelError, match="old.json, is missing"):
        load_model(old)


def test_metadata_inside_wins_over_a_json_beside(tiny_model_path, tmp_path):
    # A one-file model never reads a JSON beside it, whatever that holds.
    path = tmp_path / "m.skops"
    shutil.copy(tiny_model_path, path)
    (tmp_path / "m.json").write_text("{not json", encoding="utf-8")
    assert load_model(path).threshold == metadata_of(tiny_model_path)["threshold"]


# ---------------------------------------------------------------------------
# Refusing unsafe files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pickle", "joblib", "joblib-compressed"])
def test_pickle_posing_as_model_is_refused_and_not_executed(kind, tiny_model_path, tmp_path):
    marker = tmp_path / f"pwned-{kind}"
    path = tmp_path / f"evil-{kind}.skops"
    if kind == "pickle":
        path.write_bytes(pickle.dumps(Payload(str(marker))))
    else:
        joblib.dump(Payload(str(marker)), path, compress=3 if kind.endswith("compressed") else 0)
    # sanity: this payload really would run if unpickled
    check = tmp_path / "check"
    pickle.loads(pickle.dumps(Payload(str(check))))
    assert check.exists()
    _copy_metadata(tiny_model_path, path)
    with pytest.raises(ModelError):
        load_model(path)
    assert not marker.exists()


@pytest.mark.parametrize("layout", ["one file", "metadata beside"])
def test_skops_file_with_untrusted_type_is_refused(tiny_model, tiny_model_path, tmp_path,
                                                   layout):
    import skops.io as sio

    path = tmp_path / "counter.skops"
    state = _state_like_real(tiny_model, paragraph=collections.Counter({"a": 1, "b": 2}))
    path.write_bytes(sio.dumps(state))
    if layout == "one file":
        _embed_metadata(tiny_model_path, path)
    else:
        _copy_metadata(tiny_model_path, path)
    with pytest.raises(ModelError, match="refused, it contains types outside the trusted "
                                         "list: collections.Counter"):
        load_model(path)


def test_random_bytes_refused(tiny_model_path, tmp_path):
    path = tmp_path / "noise.skops"
    path.write_bytes(os.urandom(2048))
    _copy_metadata(tiny_model_path, path)
    with pytest.raises(ModelError):
        load_model(path)


def test_skops_state_missing_parts_refused(tiny_model, tiny_model_path, tmp_path):
    # A tampered (or older-layout) file made only of trusted types must still be
    # refused with a ModelError, never crash with a KeyError or similar.
    import skops.io as sio

    path = tmp_path / "partial.skops"
    state = _state_like_real(tiny_model)
    del state["paragraph"], state["context"]
    path.write_bytes(sio.dumps(state))
    _copy_metadata(tiny_model_path, path)
    with pytest.raises(ModelError):
        load_model(path)


# ---------------------------------------------------------------------------
# Refusing mismatched metadata
# ---------------------------------------------------------------------------


def _copy_model(tiny_model_path, tmp_path, name="copy"):
    path = tmp_path / f"{name}.skops"
    shutil.copy(tiny_model_path, path)
    return path, metadata_of(tiny_model_path)


def _write_metadata(path, metadata):
    """Replace the metadata of the model at ``path``, inside it or beside it."""
    with_metadata(path, path, metadata)


def test_copy_with_unchanged_metadata_loads(tiny_model_path, tmp_path):
    path, metadata = _copy_model(tiny_model_path, tmp_path)
    _write_metadata(path, metadata)
    assert load_model(path).threshold == metadata["threshold"]


def _without_arrays(path):
    import zipfile

    from detector.model.array_file import ARRAYS_MEMBER

    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if n != ARRAYS_MEMBER}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_other_sklearn_version_refused_where_skops_loads(tiny_model_path, tmp_path):
    path, metadata = _copy_model(tiny_model_path, tmp_path)
    metadata["versions"]["scikit-learn"] = "0.24.2"
    _write_metadata(path, metadata)
    assert load_model(path).threshold == metadata["threshold"]  # arrays need no scikit-learn
    _without_arrays(path)
    with pytest.raises(ModelError, match=r"(?i)retrain") as info:
        load_model(path)
    assert "0.24.2" in str(info.value)


def test_other_sklearn_version_refused_for_the_reference_stage(default_model_file, tmp_path):
    from detector import score_document

    path, metadata = _copy_model(default_model_file, tmp_path)
    metadata["versions"]["scikit-learn"] = "0.24.2"
    _write_metadata(path, metadata)
    model = load_model(path)
    assert score_document("The council met on Tuesday to vote on the budget.", model=model).n_scored == 1
    with pytest.raises(ModelError, match="reference stage was built with scikit-learn 0.24.2"):
        score_document("The council met on Tuesday to vote on the budget.", model=model,
                       reference="The council met on Tuesday to vote on the budget.")


def test_different_feature_names_refused(tiny_model_path, tmp_path):
    path, metadata = _copy_model(tiny_model_path, tmp_path)
    metadata["feature_names"] = metadata["feature_names"][:-1] + ["style.something_else"]
    _write_metadata(path, metadata)
    with pytest.raises(ModelError, match=r"(?i)feature"):
        load_model(path)


def test_reordered_feature_names_refused(tiny_model_path, tmp_path):
    path, metadata = _copy_model(tiny_model_path, tmp_path)
    metadata["feature_names"] = list(reversed(metadata["feature_names"]))
    _write_metadata(path, metadata)
    with pytest.raises(ModelError):
        load_model(path)


def test_older_model_without_its_metadata_refused(tiny_model_path, tmp_path):
    path = two_file_copy(tiny_model_path, tmp_path / "lonely.skops")
    path.with_suffix(".json").unlink()
    with pytest.raises(ModelError, match="has no metadata inside.*lonely.json, is missing"):
        load_model(path)


@pytest.mark.parametrize("layout", ["one file", "metadata beside"])
def test_unreadable_metadata_refused(tiny_model_path, tmp_path, layout):
    path = tmp_path / "garbled.skops"
    if layout == "one file":
        with_metadata(tiny_model_path, path, b"{not json")
    else:
        two_file_copy(tiny_model_path, path)
        path.with_suffix(".json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="unreadable metadata"):
        load_model(path)


def test_missing_model_file_refused(tmp_path):
    with pytest.raises(ModelError, match="no such"):
        load_model(tmp_path / "absent.skops")


# ---------------------------------------------------------------------------
# Atomic saving
# ---------------------------------------------------------------------------


def test_save_model_is_atomic(tiny_model, tmp_path, monkeypatch):
    path = save_model(tiny_model, tmp_path / "model.skops")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(before) == {"model.skops"}  # one file, the metadata inside

    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(output_module.os, "replace", refuse)
    changed = dataclasses.replace(tiny_model, threshold=0.123)
    # the one output writer turns a failed write into one OutputError message
    with pytest.raises(OutputError, match="disk full"):
        save_model(changed, path)
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # old file intact, no temporary files left
    assert load_model(path).threshold == tiny_model.threshold


def test_save_model_replaces_the_file_in_one_rename(tiny_model, tmp_path, monkeypatch):
    # The model and its threshold (in the metadata) are one file, so they are
    # replaced together: a single rename, never a pair that can disagree.
    path = save_model(tiny_model, tmp_path / "model.skops")
    changed = dataclasses.replace(tiny_model, threshold=0.123)
    real_replace = os.replace
    renamed = []

    def count(src, dst, *args, **kwargs):
        renamed.append(dst)
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(output_module.os, "replace", count)
    save_model(changed, path)
    monkeypatch.undo()
    assert [os.fspath(d) for d in renamed] == [os.fspath(path)]
    assert load_model(path).threshold == 0.123


def test_saving_over_an_older_two_file_model_leaves_one_file(tiny_model, tiny_model_path,
                                                             tmp_path):
    path = two_file_copy(tiny_model_path, tmp_path / "model.skops")
    unrelated = tmp_path / "notes.json"
    unrelated.write_text("{}", encoding="utf-8")
    changed = dataclasses.replace(tiny_model, threshold=0.123)
    save_model(changed, path)
    # the old model's metadata goes with it; other files stay
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.skops", "notes.json"]
    assert load_model(path).threshold == 0.123
    assert load_model(path).metadata["format"] == 5


def test_saving_a_one_file_model_leaves_a_json_beside_alone(tiny_model, tmp_path):
    # Only the metadata of an older model being replaced is removed.
    path = tmp_path / "model.skops"
    save_model(tiny_model, path)
    (tmp_path / "model.json").write_text('{"mine": true}', encoding="utf-8")
    save_model(tiny_model, path)
    assert (tmp_path / "model.json").read_text(encoding="utf-8") == '{"mine": true}'
