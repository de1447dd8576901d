"""Reading reference documents (the suspected originals) from files and directories."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, TextIO

from detector.errors import DataError, DecodeError
from detector.io.decode import read_text
from detector.segment.paragraphs import split_paragraphs

__all__ = ["TEXT_KINDS", "has_prose", "read_references", "text_files"]


# The kinds of file taken from a directory of references or suspects.
TEXT_KINDS = ("text", "markdown")


def has_prose(text: str) -> bool:
    """Whether ``text`` has a paragraph a copy can be matched against (prose,
    English or not): what a reference must have."""
    return any(s.skipped in (None, "not_english") for s in split_paragraphs(text))


def text_files(directory: Path) -> list[Path]:
    """The text and Markdown files under ``directory`` (recursively, hidden
    names skipped, as :func:`detector.io.discovery.find_files` finds them),
    sorted; a clear error when there are none."""
    from detector.io.discovery import KIND_SUFFIXES, find_files

    if not directory.is_dir():
        raise DataError(f"{directory}: not a directory")
    files = find_files(directory, TEXT_KINDS)
    if not files:
        endings = ", ".join(s for kind in TEXT_KINDS for s in KIND_SUFFIXES[kind])
        raise DataError(f"{directory}: no text files ({endings}) in it")
    return files


def read_references(paths: Iterable[str], warn: TextIO | None = None) -> list[tuple[str, str]]:
    """``(name, text)`` of every reference file given, directories expanded.

    A file named on its own must be readable and hold prose, or this raises
    :class:`DataError`; a file inside a directory that cannot be used is
    skipped with a warning on ``warn`` (standard error as it is at the call,
    so a redirected ``sys.stderr`` gets it). The names are the paths as given.
    """
    warn = sys.stderr if warn is None else warn
    out: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in text_files(path):
                try:
                    out.append(_read_one(file))
                except DataError as exc:
                    warn.write(f"detector: warning: reference skipped: {exc}\n")
            continue
        out.append(_read_one(path))
    if not out:
        raise DataError("no usable reference: every reference file was empty or unreadable")
    return out


def _read_one(path: Path) -> tuple[str, str]:
    try:
        text = read_text(str(path))
    except OSError as exc:
        raise DataError(f"{path}: cannot read reference ({exc.strerror or exc})") from None
    except DecodeError as exc:
        raise DataError(f"{path}: {exc}") from None
    if not has_prose(text):
        raise DataError(f"{path}: the reference has no prose paragraph to match against")
    return str(path), text
