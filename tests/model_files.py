"""Model files for tests: the metadata inside a one-file model, a copy with
other metadata, and an older two-file (format 4) copy as the format-4 writer
wrote it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from detector.model.metadata import METADATA_MEMBER


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def metadata_of(path: Path) -> dict[str, Any]:
    """The metadata of the model at ``path``: inside it, or beside an older one."""
    members = _members(path)
    if METADATA_MEMBER in members:
        return json.loads(members[METADATA_MEMBER])
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def with_metadata(source: Path, target: Path, metadata: Any) -> Path:
    """A copy of the model ``source`` at ``target`` whose metadata is
    ``metadata`` (any JSON value, or ``bytes`` written as they are): its
    metadata member for a one-file model, the JSON beside for an older one."""
    members = _members(source)
    raw = metadata if isinstance(metadata, bytes) else json.dumps(metadata).encode("utf-8")
    if METADATA_MEMBER in members:
        members[METADATA_MEMBER] = raw
    else:
        target.with_suffix(".json").write_bytes(raw)
    _write_zip(target, members)
    return target


def put_metadata(path: Path, metadata: Any) -> Path:
    """The model archive at ``path`` with ``metadata`` (any JSON value) as its
    metadata member, added or replaced."""
    members = _members(path)
    members[METADATA_MEMBER] = json.dumps(metadata).encode("utf-8")
    _write_zip(path, members)
    return path


def two_file_copy(source: Path, target: Path, metadata: Any = None) -> Path:
    """A copy of the model archive ``source`` at ``target`` as the format-4
    writer made it: no metadata member, the skops state saying format 4, and
    in ``target`` with ``.json``, beside it, ``metadata`` or else the metadata
    that was inside (made format 4)."""
    members = _members(source)
    inside = members.pop(METADATA_MEMBER, None)
    schema = json.loads(members["schema.json"])
    schema["content"]["format"]["content"] = "4"
    members["schema.json"] = json.dumps(schema).encode("utf-8")
    _write_zip(target, members)
    if metadata is None:
        metadata = json.loads(inside)
        metadata["format"] = 4
        metadata["versions"].pop("detector", None)  # format 4 did not record it
    target.with_suffix(".json").write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n",
                                           encoding="utf-8")
    return target
