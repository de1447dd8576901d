"""Bytes into text: UTF-8 and UTF-16 with a BOM, or an error naming the offset."""

from __future__ import annotations

import codecs

from detector.errors import DecodeError

__all__ = ["binary_kind", "decode_bytes", "read_text", "utf16_without_bom"]


# File signatures of binary formats people point text tools at by mistake.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data (name it .gz, or decompress it)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
)


def binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """'little-endian' or 'big-endian' when the bytes look like UTF-16 text
    without a byte-order mark (every other byte NUL), else None."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
        return "little-endian"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "big-endian"
    return None


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with a BOM; refuse anything else.

    Raises :class:`DecodeError` rather than guessing and producing mojibake:
    naming a binary format it recognises (PNG, gzip, PDF...), UTF-16 without a
    byte-order mark, or the line and byte offset of the first invalid UTF-8
    sequence (with a hint when the bytes look like Latin-1 / Windows-1252).
    """
    kind = binary_kind(data)
    if kind is not None:
        raise DecodeError(f"this is {kind}, not text")
    skipped = 0
    if data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
        data = data[skipped:]
        encoding = "utf-8"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    else:
        order = utf16_without_bom(data)
        if order is not None:
            raise DecodeError(f"looks like UTF-16 ({order}) text without a byte-order mark; "
                              "convert the file to UTF-8 first")
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = ""
        if encoding == "utf-8" and b"\x00" not in data:
            try:
                data.decode("cp1252")
                hint = " (it may be Latin-1 or Windows-1252)"
            except UnicodeDecodeError:
                pass
        raise DecodeError(
            f"not valid {encoding.upper()} text: invalid byte at line {line}, offset "
            f"{exc.start + skipped}{hint}; convert the file to UTF-8 first"
        ) from None
    if "\x00" in text:
        raise DecodeError("contains NUL bytes: this looks like binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str) -> str:
    """Read a file (or standard input for '-') and decode it with :func:`decode_bytes`.

    Raises OSError for unreadable paths and DecodeError for undecodable bytes.
    """
    import sys

    if path == "-":
        return decode_bytes(sys.stdin.buffer.read())
    with open(path, "rb") as handle:
        return decode_bytes(handle.read())
