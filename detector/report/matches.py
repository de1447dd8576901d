"""The result of ``detector match`` as text, JSON or JSON Lines."""

from __future__ import annotations

from typing import Sequence, TextIO

from detector.io.escape import json_dumps, printable
from detector.results import SuspectMatch

__all__ = ["render_matches"]


def render_matches(matches: Sequence[SuspectMatch], out: TextIO, fmt: str,
                   show_all: bool = False) -> int:
    """The result of ``detector match``: one line (or JSON object) per suspect
    that is a spun copy of an original (every suspect with ``show_all``), then
    a summary line in text format. Returns how many suspects are spun copies."""
    copies = [m for m in matches if m.is_copy]
    shown = matches if show_all else copies
    if fmt == "json":
        out.write(json_dumps({"suspects": [m.to_dict() for m in shown],
                              "n_suspects": len(matches), "n_copies": len(copies)},
                             indent=2) + "\n")
    elif fmt == "jsonl":
        for m in shown:
            out.write(json_dumps(m.to_dict()) + "\n")
    else:
        for m in shown:
            score = "-   " if m.score is None else f"{m.score:.2f}"
            original = printable(m.original or "-")
            out.write(f"{printable(str(m.path))}: {score} {original}  {printable(m.message)}\n")
        out.write(f"{len(copies)} of {len(matches)} suspects are spun copies of an original\n")
    return len(copies)
