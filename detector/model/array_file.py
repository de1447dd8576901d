"""The arrays inside a model file: every stage in its array form, so a model
loads without skops or scikit-learn.

A model file (format 4 and 5) is the skops archive of the fitted estimators
with more members: ``detector-arrays.npz`` (the stages as arrays, read with
``np.load(allow_pickle=False)``, so nothing in it can run code) and, when the
model has a reference stage, ``detector-reference.skops`` (that stage's own
skops blob, checked and loaded only when a reference is given). Loading reads
those two; the skops state is for older readers and for refitting tools.
Format 5 also holds the metadata, ``detector-metadata.json``
(:mod:`detector.model.metadata`).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from detector.errors import ModelError
from detector.model.arrays import LinearModel, TreeEnsemble, as_arrays_model
from detector.model.char_ngrams import CharNgramScorer
from detector.model.context import CONTEXT_FEATURES
from detector.model.detector_model import DetectorModel, ReferenceStage
from detector.model.members import RoundTripMember
from detector.model.trust import open_archive

__all__ = ["ARRAYS_MEMBER", "REFERENCE_MEMBER", "add_array_members", "model_from_arrays", "read_array_members"]


ARRAYS_MEMBER = "detector-arrays.npz"


REFERENCE_MEMBER = "detector-reference.skops"


_STAGES = ("paragraph", "context")


_MEMBERS = ("roundtrip", "spin")


def _stage_arrays(model: Any) -> dict[str, np.ndarray] | None:
    """Every stage of ``model`` as arrays, or None when one has no array form."""
    out: dict[str, np.ndarray] = {}
    try:
        for name in _STAGES:
            out.update(as_arrays_model(getattr(model, name)).to_arrays(name))
        for name in _MEMBERS:
            member = getattr(model, name)
            if member is not None:
                out.update(as_arrays_model(member.paragraph).to_arrays(f"{name}.paragraph"))
                out.update(as_arrays_model(member.context).to_arrays(f"{name}.context"))
        if model.chars is not None:
            scorer = (model.chars if isinstance(model.chars, CharNgramScorer)
                      else CharNgramScorer(model.chars))
            out.update(scorer.to_arrays("chars"))
    except (ValueError, AttributeError):
        return None
    for name in ("clean_mean", "clean_scale", "direction"):
        out[name] = np.asarray(getattr(model, name), dtype=np.float64)
    return out


def add_array_members(data: bytes, model: Any, reference_blob: bytes | None) -> bytes:
    """The skops archive ``data`` with the array members added (unchanged
    when a stage has no array form: such a file loads through skops)."""
    arrays = _stage_arrays(model)
    if arrays is None:
        return data
    packed = io.BytesIO()
    np.savez(packed, **arrays)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ARRAYS_MEMBER, packed.getvalue())
        if reference_blob is not None:
            archive.writestr(REFERENCE_MEMBER, reference_blob)
    return out.getvalue()


def read_array_members(data: bytes, origin: str, with_members: tuple[str, ...]
                       ) -> tuple[dict[str, Any], bytes | None] | None:
    """The stages of a model file's arrays member (``paragraph``, ``context``,
    ``chars``, the clean statistics and each member named in ``with_members``
    as a ``(paragraph, context)`` pair), and the reference stage's blob; None
    when the file has no arrays member. A ModelError for a broken one."""
    archive = open_archive(data, origin)
    names = set(archive.namelist())
    if ARRAYS_MEMBER not in names:
        return None
    try:
        with np.load(io.BytesIO(archive.read(ARRAYS_MEMBER)), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        stages: dict[str, Any] = {
            "paragraph": TreeEnsemble.from_arrays(arrays, "paragraph"),
            "context": LinearModel.from_arrays(arrays, "context"),
            "chars": (CharNgramScorer.from_arrays(arrays, "chars")
                      if "chars.scalars" in arrays else None),
        }
        for name in with_members:
            stages[name] = (TreeEnsemble.from_arrays(arrays, f"{name}.paragraph"),
                            LinearModel.from_arrays(arrays, f"{name}.context"))
        for name in ("clean_mean", "clean_scale", "direction"):
            if name not in arrays:
                raise ValueError(f"{name} is missing")
            stages[name] = np.asarray(arrays[name], dtype=np.float64)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{origin}: its arrays cannot be used ({exc})") from None
    reference = archive.read(REFERENCE_MEMBER) if REFERENCE_MEMBER in names else None
    return stages, reference


def model_from_arrays(path: Path, metadata: dict[str, Any], stages: dict[str, Any],
                      expected: list[str], reference: ReferenceStage | None) -> DetectorModel:
    """The model of a format-4 or -5 file from its stages (:func:`read_array_members`),
    checked against this version's feature columns ``expected``."""
    width, context_width = len(expected), len(CONTEXT_FEATURES)
    trees = [stages["paragraph"], *(stages[m][0] for m in ("roundtrip", "spin") if m in stages)]
    linear = [stages["context"], *(stages[m][1] for m in ("roundtrip", "spin") if m in stages)]
    if (any(t.feature.size and int(t.feature.max()) >= width for t in trees)
            or any(len(c.coef) != context_width for c in linear)
            or any(len(stages[k]) != width for k in ("clean_mean", "clean_scale", "direction"))):
        raise ModelError(f"{path}: its arrays do not fit this version's feature columns")
    members = {m: RoundTripMember(*stages[m], float(metadata[m]["threshold"]))
               for m in ("roundtrip", "spin") if m in stages}
    families = metadata.get("families")
    return DetectorModel(
        reference=reference,
        paragraph=stages["paragraph"],
        chars=stages["chars"],
        context=stages["context"],
        feature_names=tuple(expected),
        threshold=float(metadata["threshold"]),
        clean_mean=stages["clean_mean"],
        clean_scale=stages["clean_scale"],
        direction=stages["direction"],
        families=tuple(families) if families else None,
        metadata=metadata,
        roundtrip=members.get("roundtrip"),
        spin=members.get("spin"),
    )
