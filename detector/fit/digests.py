"""Fingerprints of training data that a model's metadata records: the SHA-256
of each training file and a short digest of each training paragraph, so that
``detector evaluate`` can tell data the model was trained on without the
metadata keeping any of the text."""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["file_digest", "paragraph_digest", "path_digest"]


def file_digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex (as recorded for a training file)."""
    return hashlib.sha256(data).hexdigest()


def path_digest(path: str | Path) -> str:
    """:func:`file_digest` of the file at ``path``, read in pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def paragraph_digest(paragraph: str) -> str:
    """A short fingerprint of one prose paragraph as segmentation gives it: the
    first 16 hex digits of the SHA-256 of its UTF-8 text (64 bits, so two
    different paragraphs of any real corpus do not share one)."""
    return hashlib.sha256(paragraph.encode("utf-8", "surrogatepass")).hexdigest()[:16]
