"""The members (round-trip and spin): the OR of detectors on one scale, their
fitting, and model files with and without them."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from detector.score.document import score_document
from detector.fit.training_matrix import featurize
from detector.model.persistence import FORMAT_VERSION, load_model, save_model
from detector.model.context import rescale
from detector.fit.members import fit_roundtrip_member
from detector.model.members import combine
from model_files import metadata_of, with_metadata

probability = st.floats(min_value=1e-4, max_value=1 - 1e-4)
TEXT = ("The council met on Monday to discuss the budget.\n\n"
        "The Gentleman mayor said that the plan of the park of dog is good.")


@given(probability, probability, probability, probability)
def test_combine_flags_exactly_when_either_member_flags(main, member, main_cut, member_cut):
    score = combine(np.array([main]), np.array([member]), main_cut, member_cut)[0]
    # Away from the cut itself, where rounding could go either way.
    if min(abs(main - main_cut), abs(member - member_cut)) > 1e-6:
        assert (score >= main_cut) == (main >= main_cut or member >= member_cut)
    assert score >= main - 1e-12


@given(probability, probability)
def test_rescale_maps_one_threshold_onto_the_other(a, b):
    assert rescale(np.array([a]), a, b)[0] == pytest.approx(b, rel=1e-6)


def test_rescale_keeps_order():
    p = np.array([0.1, 0.3, 0.5, 0.9])
    assert np.all(np.diff(rescale(p, 0.8, 0.6)) > 0)


@pytest.fixture(scope="module")
def member_model(tiny, tiny_documents):
    """The tiny model with a round-trip member fitted on the same documents."""
    data = featurize(tiny_documents)
    native = data.y == 0
    with threadpool_limits(limits=1, user_api="openmp"):
        member, report = fit_roundtrip_member(data, native, n_splits=3, target_fpr=0.1)
    return dataclasses.replace(tiny.fitted, roundtrip=member,
                               metadata={**tiny.fitted.metadata,
                                         "roundtrip": {"training": report}}), report


def test_member_threshold_holds_its_target_on_native_rows(member_model):
    _, report = member_model
    assert report["cv"]["final"]["fpr"] <= 0.1
    assert report["target_fpr"] == 0.1


def test_member_needs_native_clean_rows(tiny_documents):
    data = featurize(tiny_documents)
    with pytest.raises(ValueError, match="native clean"):
        fit_roundtrip_member(data, np.zeros(len(data.y), dtype=bool), n_splits=3)


def test_member_scores_are_the_or_of_both_members(member_model):
    model, _ = member_model
    without = dataclasses.replace(model, roundtrip=None)
    with_member = score_document(TEXT, model=model)
    alone = score_document(TEXT, model=without)
    for a, b in zip(with_member.paragraphs, alone.paragraphs):
        if a.score is not None:
            assert a.score >= b.score - 1e-4
            assert a.flagged or not b.flagged


def test_model_file_keeps_the_member(member_model, tmp_path):
    model, _ = member_model
    path = save_model(model, tmp_path / "member.skops")
    meta = metadata_of(path)
    assert meta["format"] == FORMAT_VERSION == 5
    assert meta["roundtrip"]["threshold"] == model.roundtrip.threshold
    again = load_model(path)
    assert again.roundtrip is not None
    assert again.roundtrip.threshold == model.roundtrip.threshold
    assert score_document(TEXT, model=again).to_dict() == score_document(TEXT, model=model).to_dict()


def test_model_file_without_member_has_no_member_metadata(member_model, tmp_path):
    model, _ = member_model
    path = save_model(dataclasses.replace(model, roundtrip=None), tmp_path / "plain.skops")
    assert "roundtrip" not in metadata_of(path)
    assert load_model(path).roundtrip is None


def test_member_without_threshold_is_refused(member_model, tmp_path):
    from detector.errors import ModelError

    model, _ = member_model
    path = save_model(model, tmp_path / "broken.skops")
    meta = metadata_of(path)
    del meta["roundtrip"]["threshold"]
    with_metadata(path, path, meta)
    # the metadata schema (detector/model_file.py) refuses it before the state is read
    with pytest.raises(ModelError, match="invalid metadata: .roundtrip. must be null or an object with a threshold"):
        load_model(path)


def test_format_1_files_still_load_without_member(tiny, tmp_path):
    import skops.io as sio

    path = tmp_path / "old.skops"
    model = tiny.fitted
    state = {"format": 1, "paragraph": model.paragraph, "chars": None, "context": model.context,
             "clean_mean": model.clean_mean, "clean_scale": model.clean_scale,
             "direction": model.direction, "reference": None}
    path.write_bytes(sio.dumps(state))
    meta = metadata_of(tiny.path)
    meta["format"] = 1
    path.with_suffix(".json").write_text(json.dumps(meta))
    old = load_model(path)
    assert old.roundtrip is None
    assert old.threshold == model.threshold


def _with_member_threshold(model, threshold):
    return dataclasses.replace(model, roundtrip=dataclasses.replace(model.roundtrip,
                                                                     threshold=threshold))


def test_a_flag_the_member_raised_says_so(member_model):
    model, _ = member_model
    eager = _with_member_threshold(model, 1e-5)  # the member flags everything
    for paragraph in score_document(TEXT, model=eager).paragraphs:
        if paragraph.score is not None:
            assert paragraph.flagged
            codes = [r.code for r in paragraph.reasons]
            assert "model.roundtrip" in codes
            assert codes.index("model.roundtrip") <= 1  # first, or after ctx.document


def test_no_member_reason_when_the_member_stays_below_its_threshold(member_model):
    model, _ = member_model
    shy = _with_member_threshold(model, 1 - 1e-5)
    for paragraph in score_document(TEXT, model=shy).paragraphs:
        assert "model.roundtrip" not in [r.code for r in paragraph.reasons]


@pytest.fixture(scope="module")
def spin_model(member_model):
    """The member model with its round-trip member also serving as a spin member
    (same classifiers, another threshold): enough to test the plumbing."""
    model, _ = member_model
    spin = dataclasses.replace(model.roundtrip, threshold=0.3)
    return dataclasses.replace(model, spin=spin)


def test_model_file_keeps_the_spin_member(spin_model, tmp_path):
    path = save_model(spin_model, tmp_path / "spin.skops")
    meta = metadata_of(path)
    assert meta["spin"]["threshold"] == 0.3
    again = load_model(path)
    assert again.spin is not None and again.spin.threshold == 0.3
    assert again.roundtrip.threshold == spin_model.roundtrip.threshold
    assert (score_document(TEXT, model=again).to_dict()
            == score_document(TEXT, model=spin_model).to_dict())
    plain = save_model(dataclasses.replace(spin_model, spin=None), tmp_path / "plain.skops")
    assert "spin" not in metadata_of(plain)
    assert load_model(plain).spin is None


def test_spin_member_without_threshold_is_refused(spin_model, tmp_path):
    from detector.errors import ModelError

    path = save_model(spin_model, tmp_path / "broken.skops")
    meta = metadata_of(path)
    del meta["spin"]["threshold"]
    with_metadata(path, path, meta)
    with pytest.raises(ModelError, match="invalid metadata: .spin. must be null or an object "
                                         "with a threshold"):
        load_model(path)


def test_a_flag_the_spin_member_raised_says_so(spin_model):
    eager = dataclasses.replace(spin_model, spin=dataclasses.replace(spin_model.spin,
                                                                     threshold=1e-5))
    shy = dataclasses.replace(eager, roundtrip=None)
    for paragraph in score_document(TEXT, model=shy).paragraphs:
        if paragraph.score is not None:
            assert paragraph.flagged
            codes = [r.code for r in paragraph.reasons]
            assert "model.spin" in codes and "model.roundtrip" not in codes
    never = dataclasses.replace(shy, spin=dataclasses.replace(shy.spin, threshold=1 - 1e-5))
    for paragraph in score_document(TEXT, model=never).paragraphs:
        assert "model.spin" not in [r.code for r in paragraph.reasons]


def test_the_spin_member_only_raises_scores(spin_model):
    without = dataclasses.replace(spin_model, spin=None)
    for a, b in zip(score_document(TEXT, model=spin_model).paragraphs,
                    score_document(TEXT, model=without).paragraphs):
        if a.score is not None:
            assert a.score >= b.score - 1e-4
