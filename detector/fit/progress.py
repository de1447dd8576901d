"""A progress bar for long fitting runs, drawn on stderr when it is a terminal."""

from __future__ import annotations

import sys
from typing import Callable

__all__ = ["progress_bar"]


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A minimal progress callback drawing on stderr, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        return None

    def update(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return update
