"""Compiled language resources on disk: one file of named numpy arrays, mapped
into memory, in a per-user cache directory.

The directory is ``$DETECTOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/detector``,
else ``~/.cache/detector``. A file's name carries a key made from what it was
compiled from (package versions, source file sizes and modification times,
the compiler's format version), so an upgraded source is compiled again
rather than read stale; the key is also stored in the file and checked.

Layout of a file: a magic line, the length of a JSON header, the header (the
key, metadata and, per array, its dtype, shape and offset), the arrays (each
at an offset that is a multiple of 64) and a closing magic string written
last. A file that is missing, truncated, from another key or otherwise
unreadable is compiled again. Files are written to a temporary name and
moved into place with ``os.replace``, so a reader never sees half a file;
when the directory cannot be written the arrays are used from memory. After
writing a file, files of the same resource under other keys (and temporary
files) older than a day are removed: an upgrade does not leave the old file
behind, and two installations of different versions sharing the directory
do not remove each other's file on every run.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

__all__ = ["CompiledArrays", "cache_dir", "load_or_build", "read_arrays", "write_arrays"]


_MAGIC = b"DETECTOR-RESOURCES-1\n"
_END = b"\nDETECTOR-RESOURCES-END\n"
_ALIGN = 64
_STALE_SECONDS = 24 * 3600
# Only plain numeric, boolean and byte-string arrays: nothing that needs pickle.
_KINDS = frozenset("biufS")


class CompiledArrays:
    """Named read-only arrays and the JSON metadata they were compiled with.

    ``path`` is the file they are mapped from, or None when they were built
    in memory (the cache directory could not be written)."""

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any],
                 path: Path | None = None) -> None:
        self.arrays = dict(arrays)
        self.meta = dict(meta)
        self.path = path

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]


def cache_dir() -> Path:
    """The directory compiled resources are kept in (it may not exist yet)."""
    explicit = os.environ.get("DETECTOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "detector"


def _pad(n: int) -> int:
    return (-n) % _ALIGN


def write_arrays(path: Path, key: str, arrays: Mapping[str, np.ndarray],
                 meta: Mapping[str, Any]) -> None:
    """Write ``arrays`` to ``path`` atomically (a temporary file in the same
    directory, then ``os.replace``). OSError when the directory is not writable."""
    specs: dict[str, dict[str, Any]] = {}
    blobs: list[tuple[int, np.ndarray]] = []
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.kind not in _KINDS:
            raise TypeError(f"{name}: dtype {array.dtype} cannot be stored")
        offset += _pad(offset)
        specs[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        blobs.append((offset, array))
        offset += array.nbytes
    header = json.dumps({"key": key, "meta": dict(meta), "arrays": specs},
                        sort_keys=True).encode("utf-8")
    start = len(_MAGIC) + 8 + len(header)
    start += _pad(start)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + struct.pack("<Q", len(header)) + header)
            out.write(b"\0" * (start - out.tell()))
            for at, array in blobs:
                out.write(b"\0" * (start + at - out.tell()))
                out.write(array.tobytes())
            out.write(_END)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def read_arrays(path: Path, key: str) -> CompiledArrays | None:
    """The arrays of the file at ``path``, mapped read-only; None when it is
    missing, from another key, truncated or malformed."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < len(_MAGIC) + 8 + len(_END):
                return None
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        if mapped[:len(_MAGIC)] != _MAGIC or mapped[size - len(_END):] != _END:
            return None
        (length,) = struct.unpack_from("<Q", mapped, len(_MAGIC))
        header = json.loads(bytes(mapped[len(_MAGIC) + 8:len(_MAGIC) + 8 + length]))
        if header.get("key") != key:
            return None
        start = len(_MAGIC) + 8 + length
        start += _pad(start)
        arrays: dict[str, np.ndarray] = {}
        for name, spec in header["arrays"].items():
            dtype = np.dtype(spec["dtype"])
            shape = tuple(int(n) for n in spec["shape"])
            at = start + int(spec["offset"])
            count = int(np.prod(shape, dtype=np.int64))
            if dtype.kind not in _KINDS or at + count * dtype.itemsize > size - len(_END):
                return None
            arrays[name] = np.frombuffer(mapped, dtype=dtype, count=count, offset=at).reshape(shape)
        return CompiledArrays(arrays, header["meta"], path)
    except (ValueError, KeyError, TypeError, AttributeError, struct.error):
        return None


def load_or_build(name: str, key: str,
                  build: Callable[[], tuple[dict[str, np.ndarray], dict[str, Any]]]
                  ) -> CompiledArrays:
    """The compiled resource ``name`` for ``key``: read from the cache, else
    built with ``build()`` (arrays, metadata) and written there; when the
    cache cannot be written, the built arrays are used from memory."""
    path = cache_dir() / f"{name}-{key}.bin"
    found = read_arrays(path, key)
    if found is not None:
        return found
    arrays, meta = build()
    try:
        write_arrays(path, key, arrays, meta)
    except OSError:
        return CompiledArrays(arrays, meta)
    _remove_stale(path.parent, name, keep=path)
    # Read back what was written, so every process uses the shared mapping.
    return read_arrays(path, key) or CompiledArrays(arrays, meta)


def _remove_stale(directory: Path, name: str, keep: Path) -> None:
    """Remove other keys' files of ``name`` and temporary files older than a day."""
    cutoff = time.time() - _STALE_SECONDS
    for pattern in (f"{name}-*.bin", f".{name}-*.bin.*"):
        for other in directory.glob(pattern):
            try:
                if other != keep and other.stat().st_mtime < cutoff:
                    other.unlink()
            except OSError:
                pass  # removed by another process, or not ours to remove
