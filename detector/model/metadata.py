"""A model file's metadata: what it records, where it is kept, and reading it
back (checked) before any stage is built.

A model file of format 5 is one file: the metadata JSON is the zip member
``detector-metadata.json``, beside the skops state and the arrays members
(:mod:`detector.model.array_file`). Formats 1-4 kept the metadata beside the
model, as ``NAME.json`` for ``NAME.skops``; such files still load, and
:func:`read_model_file` reads either layout.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detector.errors import ModelError
from detector.model.context import CONTEXT_FEATURES
from detector.model.trust import check_metadata, open_archive

__all__ = ["FORMAT_VERSION", "METADATA_MEMBER", "READABLE_FORMATS", "ModelFile", "build_metadata",
           "embed_metadata", "metadata_path", "model_files", "read_model_file", "stale_metadata"]


FORMAT_VERSION = 5


# Format 1 is format 2 without a round-trip member, format 2 is format 3
# without a spin member, format 3 is format 4 without the arrays members
# (:mod:`detector.model.array_file`), format 4 is format 5 with the metadata
# in a JSON file beside the model instead of inside it.
READABLE_FORMATS = (1, 2, 3, 4, 5)


METADATA_MEMBER = "detector-metadata.json"


def metadata_path(model_path: Path) -> Path:
    """The metadata JSON beside a model file of format 4 or older."""
    return model_path.with_suffix(".json")


@dataclass(frozen=True)
class ModelFile:
    """A model file as read, before any stage is built: its bytes, its checked
    metadata, its zip members, and the JSON file beside it that held the
    metadata (None when the metadata is inside, format 5)."""

    path: Path
    data: bytes = field(repr=False)
    metadata: dict[str, Any]
    members: tuple[str, ...]
    metadata_file: Path | None = None

    @property
    def one_file(self) -> bool:
        """Whether the metadata is inside the model file."""
        return self.metadata_file is None


def read_model_file(path: Path) -> ModelFile:
    """The model file at ``path`` with its metadata (from inside, or from the
    JSON beside an older model), checked (:func:`detector.model.trust.check_metadata`,
    a readable format); a :class:`ModelError` saying what is wrong otherwise."""
    if path.is_dir():
        raise ModelError(f"{path}: is a directory, not a model file")
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model file ({exc.strerror or exc})") from None
    archive = open_archive(data, str(path))
    members = tuple(archive.namelist())
    if METADATA_MEMBER in members:
        origin, beside = str(path), None
        try:
            raw = archive.read(METADATA_MEMBER)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise ModelError(f"{path}: its metadata cannot be read ({type(exc).__name__})") from None
    else:
        beside = metadata_path(path)
        if beside == path or not beside.is_file():
            raise ModelError(f"{path}: has no metadata inside, and the metadata file an older "
                             f"model keeps beside it, {beside.name}, is missing")
        origin = str(beside)
        try:
            raw = beside.read_bytes()
        except OSError as exc:
            raise ModelError(f"{beside}: unreadable metadata ({exc.strerror or exc})") from None
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ModelError(f"{origin}: unreadable metadata ({type(exc).__name__}: {exc})") from None
    check_metadata(origin, metadata)
    if metadata.get("format") not in READABLE_FORMATS:
        raise ModelError(f"{path}: model format {metadata.get('format')} is not "
                         f"{', '.join(map(str, READABLE_FORMATS[:-1]))} or {READABLE_FORMATS[-1]}")
    return ModelFile(path, data, metadata, members, beside)


def _has_metadata_inside(path: Path) -> bool | None:
    """Whether the zip archive at ``path`` holds the metadata member; None
    when there is no readable archive there."""
    try:
        with zipfile.ZipFile(path) as archive:
            return METADATA_MEMBER in archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return None


def model_files(path: Path) -> tuple[Path, ...]:
    """The files loading the model at ``path`` reads: the file itself, and
    the metadata beside it unless the metadata is inside."""
    if _has_metadata_inside(path):
        return (path,)
    return (path, metadata_path(path))


def stale_metadata(path: Path) -> Path | None:
    """The JSON beside the older (format 4 or earlier) model at ``path``: the
    metadata of the model that saving a one-file model there replaces, so no
    longer of use. None when there is no such model or file."""
    beside = metadata_path(path)
    if beside == path or not beside.is_file() or _has_metadata_inside(path) is not False:
        return None
    return beside


def build_metadata(model: Any, versions: dict[str, str],
                   reference_features: tuple[str, ...]) -> dict[str, Any]:
    """The metadata of a model file for ``model`` (a
    :class:`detector.model.detector_model.DetectorModel`): its own metadata
    (training report and what the caller added) with the format, the feature
    columns, the threshold of every stage and member, and the ``versions``
    of the software that wrote it; ``reference_features`` are the alignment
    columns of a reference stage."""
    metadata = dict(model.metadata)
    metadata.update({
        "format": FORMAT_VERSION,
        "feature_names": list(model.feature_names),
        "context_features": list(CONTEXT_FEATURES),
        "families": list(model.families) if model.families else None,
        "threshold": model.threshold,
        "versions": versions,
    })
    if model.reference is not None:
        metadata["reference"] = {**metadata.get("reference", {}),
                                 "threshold": model.reference.threshold,
                                 "features": list(reference_features)}
    else:
        metadata.pop("reference", None)
    for key in ("roundtrip", "spin"):
        member = getattr(model, key)
        if member is not None:
            metadata[key] = {**metadata.get(key, {}), "threshold": member.threshold}
        else:
            metadata.pop(key, None)
    return metadata


def embed_metadata(data: bytes, metadata: dict[str, Any]) -> bytes:
    """The model archive ``data`` with ``metadata`` added as its metadata member."""
    import io

    text = json.dumps(metadata, indent=2, sort_keys=True) + "\n"
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(METADATA_MEMBER, text.encode("utf-8"))
    return out.getvalue()
