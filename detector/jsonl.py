"""Reading labelled JSON Lines (optionally gzipped), with errors that name the
file and line. Shared by ``detector evaluate`` and ``detector train``."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any, Iterator

__all__ = ["DataError", "LABELS", "iter_objects", "get_label", "get_string"]

LABELS = {"clean": 0, "mangled": 1}


class DataError(ValueError):
    """Labelled data that cannot be used, with the file and line at fault."""


def iter_objects(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, object)`` for every non-blank line, ``where`` being ``path:line``.

    Raises :class:`DataError` for unreadable files, bytes that are not UTF-8,
    invalid JSON and lines that are not JSON objects.
    """
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:  # type: ignore[operator]
            for number, raw in enumerate(handle, start=1):
                where = f"{path}:{number}"
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise DataError(f"{where}: not UTF-8 ({exc.reason} at byte {exc.start} "
                                    "of the line)") from None
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise DataError(f"{where}: not valid JSON ({exc.msg}); JSON Lines "
                                    "holds one object per line") from None
                if not isinstance(obj, dict):
                    raise DataError(f"{where}: expected a JSON object")
                yield where, obj
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise DataError(f"{path}: cannot read ({reason})") from None


def get_string(obj: dict[str, Any], name: str, where: str) -> str:
    """The string value of ``name``, or a DataError naming the line."""
    value = obj.get(name)
    if not isinstance(value, str):
        raise DataError(f"{where}: field '{name}' missing or not a string")
    return value


def get_label(obj: dict[str, Any], name: str, where: str) -> int:
    """0 for 'clean', 1 for 'mangled', or a DataError naming the line."""
    value = obj.get(name)
    if not isinstance(value, str) or value not in LABELS:
        raise DataError(f"{where}: field '{name}' must be 'clean' or 'mangled', not {value!r}")
    return LABELS[value]
