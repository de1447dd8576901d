"""Which files a directory argument stands for, and what kind each file is.

A directory is searched recursively, as ruff and flake8 search theirs, for
the files whose names say a kind the detector reads; hidden files and folders
(a name starting with ``.``) and the names matched by ``exclude`` globs are
skipped. Files named on the command line are always read, whatever their name.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Sequence

from detector.io.jsonl import JSONL_SUFFIXES

__all__ = ["INPUT_FORMATS", "KIND_SUFFIXES", "find_files", "format_kind", "kind_of"]


# The kinds of input, and the file-name endings that say each (any case).
KIND_SUFFIXES: dict[str, tuple[str, ...]] = {
    "text": (".txt", ".text"),
    "markdown": (".md", ".markdown"),
    "html": (".html", ".htm"),
    "jsonl": JSONL_SUFFIXES,
}


# ``--input-format`` names and the kind each stands for.
INPUT_FORMATS: dict[str, str] = {"text": "text", "md": "markdown", "html": "html",
                                 "jsonl": "jsonl"}


def format_kind(name: str) -> str:
    """The kind an ``--input-format`` name stands for."""
    return INPUT_FORMATS[name]


def kind_of(path: str | Path) -> str | None:
    """The kind that a file name says, or None when it says none of them."""
    name = str(path).lower()
    for kind, suffixes in KIND_SUFFIXES.items():
        if name.endswith(suffixes):
            return kind
    return None


def _excluded(relative: str, patterns: Sequence[str]) -> bool:
    """True when a glob matches the path below the searched directory or its last name."""
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p)
               for p in patterns)


def find_files(directory: str | Path, kinds: Iterable[str] | None = None,
               exclude: Sequence[str] = ()) -> list[Path]:
    """The files of the given kinds (all kinds by default) under ``directory``,
    recursively, in sorted order; hidden names and ``exclude`` globs skipped.

    A glob is matched against each file's and folder's path below
    ``directory`` (``drafts/*.md``) and against its name alone (``*.html``,
    ``build``). Unreadable folders are passed over.
    """
    wanted = tuple(kinds) if kinds is not None else tuple(KIND_SUFFIXES)
    root = Path(directory)
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        below = Path(folder).relative_to(root).as_posix()
        prefix = "" if below == "." else below + "/"
        subfolders[:] = sorted(d for d in subfolders
                               if not d.startswith(".") and not _excluded(prefix + d, exclude))
        for name in sorted(files):
            if name.startswith(".") or _excluded(prefix + name, exclude):
                continue
            if kind_of(name) in wanted:
                found.append(Path(folder, name))
    return sorted(found)
