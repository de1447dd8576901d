"""Reading JSON Lines (optionally gzipped), with errors that name the file and line, and limits on records and lines."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from detector.errors import DataError, InputTooLarge, UnreadableFile

__all__ = ["BOM", "BadLine", "JSONL_SUFFIXES", "LABELS", "MAX_LINE_BYTES", "MAX_RECORD_BYTES", "get_label", "get_string", "is_jsonl",
           "is_blank", "iter_lines", "iter_objects", "iter_records", "parse_record"]


LABELS = {"clean": 0, "mangled": 1}


# The file names read as JSON Lines, wherever a path is read (flag, train, evaluate).
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


def is_jsonl(path: str | Path) -> bool:
    """True when the file name says JSON Lines (:data:`JSONL_SUFFIXES`, any case)."""
    return str(path).lower().endswith(JSONL_SUFFIXES)


# A JSON Lines record longer than this is that record's error entry; a line
# longer than MAX_LINE_BYTES (input that never ends, such as /dev/zero) stops
# the run. Both are documented in the README's bad-input table.
MAX_RECORD_BYTES = 64 * 1024 * 1024


MAX_LINE_BYTES = 256 * 1024 * 1024


# gzip of even an empty file is 20 bytes: a 0-byte .gz is a file that was
# never written, not an empty corpus.
EMPTY_GZIP = "empty file: not gzip data (an empty file compressed is 20 bytes, not 0)"


def iter_lines(handle: object, path: str) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` for every line of a binary ``handle``; ``line`` is
    None for one over :data:`MAX_RECORD_BYTES`, which is read past without
    being held; a line over :data:`MAX_LINE_BYTES` raises :class:`InputTooLarge`."""
    readline = handle.readline  # type: ignore[attr-defined]
    number = 0
    while True:
        raw = readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= MAX_RECORD_BYTES or raw.endswith(b"\n"):
            yield number, raw
            continue
        seen = len(raw)
        while not raw.endswith(b"\n"):
            raw = readline(MAX_RECORD_BYTES)
            if not raw:
                break
            seen += len(raw)
            if seen > MAX_LINE_BYTES:
                raise InputTooLarge(
                    f"{path}: line {number} is longer than {MAX_LINE_BYTES // 2**20} MiB, the "
                    "limit for one JSON Lines line; this does not look like JSON Lines")
        yield number, None


BOM = b"\xef\xbb\xbf"  # a UTF-8 byte order mark, allowed at the start of a file


@dataclass(frozen=True)
class BadLine:
    """Why a line of a JSON Lines file holds no JSON value."""

    reason: str


def is_blank(raw: bytes, number: int) -> bool:
    """Whether line ``number`` is blank: ASCII whitespace only, as JSON has it
    (after the byte order mark line 1 may start with)."""
    if number == 1 and raw.startswith(BOM):
        raw = raw[len(BOM):]
    return not raw.strip()


def parse_record(raw: bytes, number: int) -> object:
    """The JSON value of non-blank line ``number`` (a byte order mark is
    allowed on line 1; ``null`` is None), or a :class:`BadLine` saying why it
    is not JSON."""
    if number == 1 and raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadLine(f"not UTF-8 ({exc.reason} at byte {exc.start} of the line)")
    try:
        return json.loads(line)
    except ValueError as exc:
        return BadLine(f"not valid JSON ({getattr(exc, 'msg', exc)}); JSON Lines holds one "
                       "object per line")
    except RecursionError:
        return BadLine("not usable JSON (nested too deeply to parse)")
    except MemoryError:
        return BadLine("too large to parse")


def iter_records(path: str | Path, stream: BinaryIO | None = None) -> Iterator[tuple[int, object]]:
    """``(line number, value)`` for every non-blank line of a JSON Lines file
    (gzipped when its name ends in ``.gz``), or of ``stream`` (a binary
    stream such as standard input, ``path`` then naming it): the parsed JSON value, or a
    :class:`BadLine` saying why the line holds none (a record longer than
    :data:`MAX_RECORD_BYTES` among them).

    Raises :class:`UnreadableFile` for a file that cannot be read (a 0-byte
    ``.gz``, an I/O error, corrupt gzip data) and :class:`InputTooLarge` for a
    line longer than :data:`MAX_LINE_BYTES`.
    """
    name = str(path)
    gzipped = name.lower().endswith(".gz")
    opener = gzip.open if gzipped else open
    try:
        if stream is None and gzipped and os.path.isfile(name) and os.path.getsize(name) == 0:
            raise UnreadableFile(name, EMPTY_GZIP)
        if stream is not None:
            source = gzip.GzipFile(fileobj=stream, mode="rb") if gzipped else stream
        else:
            source = opener(name, "rb")  # type: ignore[operator]
        with source as handle:
            for number, raw in iter_lines(handle, name):
                if raw is None:
                    yield number, BadLine(f"a record longer than {MAX_RECORD_BYTES // 2**20} "
                                          "MiB, the limit")
                elif not is_blank(raw, number):
                    yield number, parse_record(raw, number)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise UnreadableFile(name, f"cannot read ({reason})") from None


def iter_objects(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, object)`` for every non-blank line, ``where`` being ``path:line``.

    Raises :class:`DataError` for unreadable files, bytes that are not UTF-8,
    invalid JSON and lines that are not JSON objects.
    """
    for number, obj in iter_records(path):
        where = f"{path}:{number}"
        if isinstance(obj, BadLine):
            raise DataError(f"{where}: {obj.reason}")
        if not isinstance(obj, dict):
            raise DataError(f"{where}: expected a JSON object")
        yield where, obj


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
