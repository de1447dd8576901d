"""Saving and loading models: one file (format 5) holding the skops state,
the arrays and the metadata, written atomically and read through the trust
checks; older files with their metadata beside them still load."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import numpy as np

from detector.errors import ModelError
from detector.model.detector_model import DetectorModel, ReferenceStage, dense_families
from detector.model.members import RoundTripMember
from detector.model.metadata import (
    FORMAT_VERSION,
    READABLE_FORMATS,
    build_metadata,
    embed_metadata,
    metadata_path,
    read_model_file,
    stale_metadata,
)
from detector.model.skops_state import pack_chars, skops_stage, unpack_chars
from detector.model.trust import safe_loads

__all__ = ["FORMAT_VERSION", "as_model", "default_model_path", "load_model", "metadata_path",
           "save_model"]


def default_model_path() -> Path:
    """Where the shipped default model lives inside the installed package."""
    return Path(str(importlib_resources.files("detector").joinpath("models", "default.skops")))


def _versions() -> dict[str, str]:
    """The versions of the software writing a model file."""
    import sklearn

    from detector._version import __version__

    return {"detector": __version__, "scikit-learn": sklearn.__version__,
            "numpy": np.__version__}


def save_model(model: DetectorModel, path: str | Path) -> Path:
    """Write the model, its metadata inside, to one file atomically (a
    temporary file renamed over ``path``); return the path. The JSON file an
    older model at ``path`` kept its metadata in is removed once the new
    model is in place."""
    import skops.io as sio

    from detector.io.output import Output
    from detector.model.array_file import add_array_members

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "format": FORMAT_VERSION,
        "paragraph": skops_stage(model.paragraph),
        "chars": pack_chars(model.chars),
        "context": skops_stage(model.context),
        "clean_mean": model.clean_mean,
        "clean_scale": model.clean_scale,
        "direction": model.direction,
        "reference": model.reference.pack() if model.reference is not None else None,
        "roundtrip_paragraph": skops_stage(model.roundtrip.paragraph) if model.roundtrip else None,
        "roundtrip_context": skops_stage(model.roundtrip.context) if model.roundtrip else None,
        "spin_paragraph": skops_stage(model.spin.paragraph) if model.spin else None,
        "spin_context": skops_stage(model.spin.context) if model.spin else None,
    }
    metadata = build_metadata(model, _versions(), _reference_feature_names())
    data = embed_metadata(add_array_members(sio.dumps(state), model, state["reference"]),
                          metadata)
    stale = stale_metadata(path)
    with Output(path, binary=True) as out:
        out.write(data)
    if stale is not None:
        # The new file holds its own metadata; the old JSON beside would only mislead.
        stale.unlink(missing_ok=True)
    return path


def as_model(model: "DetectorModel | str | os.PathLike[str] | None") -> DetectorModel:
    """The model a ``model=`` argument names: None is the shipped model, a
    path is loaded (:class:`ModelError` if it cannot be), a
    :class:`DetectorModel` is itself; anything else is a TypeError."""
    if model is None:
        return load_model()
    if isinstance(model, DetectorModel):
        return model
    if isinstance(model, (str, os.PathLike)):
        return load_model(model)
    raise TypeError(f"model must be a DetectorModel, a model file path or None, "
                    f"not {type(model).__name__}")


def load_model(path: str | Path | None = None) -> DetectorModel:
    """Load a model file (the shipped default when ``path`` is None).

    Only skops files whose every type is on the trusted list load; a pickle,
    a tampered file or a model built by another scikit-learn version is refused
    with a :class:`ModelError` that says how to retrain.
    """
    if path is None:
        return _load_default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> DetectorModel:
    return _load(default_model_path())


_STATE_KEYS = ("paragraph", "chars", "context", "clean_mean", "clean_scale", "direction")


def _load(path: Path) -> DetectorModel:
    model_file = read_model_file(path)
    metadata, data = model_file.metadata, model_file.data
    from detector.model.array_file import model_from_arrays, read_array_members

    members = tuple(name for name in ("roundtrip", "spin") if metadata.get(name))
    found = read_array_members(data, str(path), members)
    if found is not None:
        stages, reference = found
        return model_from_arrays(path, metadata, stages, _feature_names(path, metadata),
                                 _reference_stage(path, reference, metadata))
    _check_compatible(path, metadata)
    state = safe_loads(data, str(path))
    if not isinstance(state, dict) or state.get("format") not in READABLE_FORMATS:
        raise ModelError(f"{path}: not a detector model of format "
                         f"{', '.join(map(str, READABLE_FORMATS))}")
    missing = [key for key in _STATE_KEYS if key not in state]
    if missing:
        raise ModelError(f"{path}: incomplete model file, missing {', '.join(missing)}")
    if not all(hasattr(state[key], "predict_proba") for key in ("paragraph", "context")):
        raise ModelError(f"{path}: its model stages are not classifiers")
    families = metadata.get("families")
    expected = _feature_names(path, metadata)
    return DetectorModel(
        reference=_reference_stage(path, state.get("reference"), metadata),
        paragraph=state["paragraph"],
        chars=unpack_chars(state["chars"]),
        context=state["context"],
        feature_names=tuple(expected),
        threshold=float(metadata["threshold"]),
        clean_mean=np.asarray(state["clean_mean"], dtype=np.float64),
        clean_scale=np.asarray(state["clean_scale"], dtype=np.float64),
        direction=np.asarray(state["direction"], dtype=np.float64),
        families=tuple(families) if families else None,
        metadata=metadata,
        roundtrip=_member(path, state, metadata, "roundtrip", "round-trip"),
        spin=_member(path, state, metadata, "spin", "spin"),
    )


def _feature_names(path: Path, metadata: dict[str, Any]) -> list[str]:
    """This version's feature columns for the model's families, which must be
    the ones the model was fitted on."""
    from detector.features import FeatureExtractor

    expected = list(FeatureExtractor(dense_families(metadata.get("families"))).fit()
                    .get_feature_names_out())
    if metadata.get("feature_names") != expected:
        raise ModelError(
            f"{path}: its feature names do not match this version's feature extractor; "
            "retrain it with `detector train`"
        )
    return expected


def _member(path: Path, state: dict[str, Any], metadata: dict[str, Any], key: str,
            name: str) -> RoundTripMember | None:
    """The member saved under ``key`` in a model file (``roundtrip``, ``spin``),
    or None for a model without it; ``name`` is what messages call it."""
    paragraph, context = state.get(f"{key}_paragraph"), state.get(f"{key}_context")
    if paragraph is None and context is None:
        return None
    if not all(hasattr(m, "predict_proba") for m in (paragraph, context)):
        raise ModelError(f"{path}: its {name} member is not a pair of classifiers")
    try:
        threshold = float(metadata[key]["threshold"])
    except (KeyError, TypeError, ValueError):
        raise ModelError(f"{path}: its metadata has no {name} threshold") from None
    return RoundTripMember(paragraph, context, threshold)


def _reference_feature_names() -> tuple[str, ...]:
    from detector.reference.features import NAMES

    return NAMES


def _reference_stage(path: Path, packed: Any, metadata: dict[str, Any]) -> ReferenceStage | None:
    """The reference stage saved in a model file (loaded on first use), checked
    against this version's alignment columns; None for a model without one."""
    if packed is None:
        return None
    info = metadata.get("reference") or {}
    if not isinstance(packed, bytes):
        raise ModelError(f"{path}: its reference stage is not a packed pair of classifiers")
    if info.get("features") != list(_reference_feature_names()):
        raise ModelError(
            f"{path}: its reference stage was built for other alignment features; "
            "rebuild it with `python -m training.build_default`")
    try:
        threshold = float(info["threshold"])
    except (KeyError, TypeError, ValueError):
        raise ModelError(f"{path}: its metadata has no reference threshold") from None
    built = str(metadata.get("versions", {}).get("scikit-learn", ""))
    return ReferenceStage(threshold, packed=packed, origin=str(path), built_with=built)


def _check_compatible(path: Path, metadata: dict[str, Any]) -> None:
    """Estimators loaded through skops need the scikit-learn they were built with."""
    import sklearn

    built = str(metadata.get("versions", {}).get("scikit-learn", "unknown"))
    running = sklearn.__version__
    if built.split(".")[:2] != running.split(".")[:2]:
        raise ModelError(
            f"{path}: built with scikit-learn {built}, but {running} is installed; "
            "install a matching scikit-learn or retrain with `detector train`"
        )

