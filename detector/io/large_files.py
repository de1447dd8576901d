"""A large plain-text file read line by line, never held whole.

:func:`streamable` reads the file once in chunks that end at a newline,
checking what :func:`detector.io.decode.decode_bytes` checks (binary signatures,
UTF-16, NUL bytes, invalid UTF-8); when a check fails, the whole file goes
through ``decode_bytes`` for its exact message. :func:`iter_text_lines` then
yields the decoded lines, with the same line breaks (``\\r\\n`` and ``\\r``
read as ``\\n``) and the same offsets as the decoded text would have.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Iterator

from detector.io.decode import binary_kind, decode_bytes, utf16_without_bom

__all__ = ["CHUNK_BYTES", "STREAM_BYTES", "iter_text_lines", "streamable"]


# Plain-text files larger than this are read line by line when scored.
STREAM_BYTES = 16 * 1024 * 1024


# Bytes read at a time while checking a large file (then up to the next newline).
CHUNK_BYTES = 1024 * 1024


def _chunks(path: str | Path) -> Iterator[bytes]:
    """The file's bytes in pieces of about a megabyte, each ending at a newline
    (or the end of the file): a UTF-8 sequence never spans two pieces."""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if not chunk.endswith(b"\n"):
                chunk += handle.readline()
            yield chunk


def streamable(path: str | Path) -> bool:
    """True when the file is UTF-8 text that :func:`iter_text_lines` can read;
    False for UTF-16 with a byte-order mark (read it whole). Raises
    :class:`~detector.errors.DecodeError` with ``decode_bytes``'s message
    otherwise (reading the whole file only in that case)."""
    first = True
    for chunk in _chunks(path):
        if first:
            first = False
            if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return False
            if chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8):]
            elif binary_kind(chunk) or utf16_without_bom(chunk):
                decode_bytes(Path(path).read_bytes())  # raises, naming what it is
        try:
            chunk.decode("utf-8")
            if b"\x00" in chunk:
                raise ValueError
        except ValueError:
            decode_bytes(Path(path).read_bytes())  # raises, with the line and offset
            raise AssertionError("decode_bytes accepted bytes a chunk refused") from None
    return True


def iter_text_lines(path: str | Path) -> Iterator[str]:
    """The lines of a UTF-8 file (checked by :func:`streamable`), without their
    newlines, as :func:`detector.io.decode.decode_bytes` would split them."""
    ended = True
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle):
            if number == 0 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            line = raw.decode("utf-8")
            ended = line.endswith("\n")
            if ended:
                line = line[:-2] if line.endswith("\r\n") else line[:-1]
            yield from line.split("\r")
    if ended:
        yield ""
