"""The result of ``detector match`` as text, JSON or JSON Lines.

Every suspect that copies an original (spun, verbatim or closely edited) is
listed with its verdict; partial matches and suspects that match no original
only with ``show_all``. A text line says what its number is: the document
score, its label and the threshold, and, when no paragraph matched an
original, that the score comes from the text alone.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence, TextIO

from detector.io.escape import json_dumps, printable
from detector.results import COPY_VERDICTS, SuspectMatch

__all__ = ["VERDICT_NAMES", "match_line", "matches_summary", "render_matches"]


# A short name for each document verdict (one, several), in the order the
# summary lists them.
VERDICT_NAMES: dict[str, tuple[str, str]] = {
    "ref.spun_copy": ("spun copy", "spun copies"),
    "ref.copy": ("verbatim copy", "verbatim copies"),
    "ref.edited_copy": ("close copy", "close copies"),
    "ref.partial_match": ("partial match", "partial matches"),
    "ref.no_match": ("no match", "no match"),
}


def _score_text(match: SuspectMatch) -> str:
    if match.score is None:
        return "no prose paragraph scored"
    label = "mangled" if match.flagged else "clean"
    alone = " from its text alone" if match.matched == 0 else ""
    return (f"document score {match.score:.2f}{alone} "
            f"({label}, threshold {match.threshold:.2f})")


def match_line(match: SuspectMatch) -> str:
    """``path: verdict message; document score 0.93 (mangled, threshold 0.72)``."""
    message = printable(match.message)
    if match.verdict == "ref.partial_match":
        message = f"partial match: {message}"
    return f"{printable(str(match.path))}: {message}; {_score_text(match)}"


def matches_summary(matches: Sequence[SuspectMatch], show_all: bool = False) -> str:
    """``3 of 4 suspects copy an original: 2 spun copies, 1 verbatim copy; 1
    does not: 1 no match (--all lists them)``."""
    counts = Counter(m.verdict for m in matches)
    copies = sum(counts[v] for v in COPY_VERDICTS)
    noun = "suspect copies" if len(matches) == 1 else "suspects copy"
    line = f"{copies} of {len(matches)} {noun} an original"

    def tally(verdicts: Sequence[str]) -> str:
        return ", ".join(f"{counts[v]} {names[counts[v] != 1]}"
                         for v, names in VERDICT_NAMES.items() if v in verdicts and counts[v])

    if copies:
        line += f": {tally(COPY_VERDICTS)}"
    others = len(matches) - copies
    if others:
        rest = [v for v in VERDICT_NAMES if v not in COPY_VERDICTS]
        line += f"; {others} {'does' if others == 1 else 'do'} not: {tally(rest)}"
        if not show_all:
            line += " (--all lists them)"
    return line


def render_matches(matches: Sequence[SuspectMatch], out: TextIO, fmt: str,
                   show_all: bool = False) -> int:
    """The result of ``detector match``: one line (or JSON object) per suspect
    that copies an original (every suspect with ``show_all``), then a summary
    line in text format. Returns how many suspects copy an original."""
    copies = [m for m in matches if m.is_copy]
    shown = matches if show_all else copies
    if fmt == "json":
        counts = Counter(m.verdict for m in matches)
        out.write(json_dumps({"suspects": [m.to_dict() for m in shown],
                              "n_suspects": len(matches), "n_copies": len(copies),
                              "verdicts": {v: counts[v] for v in VERDICT_NAMES}},
                             indent=2) + "\n")
    elif fmt == "jsonl":
        for m in shown:
            out.write(json_dumps(m.to_dict()) + "\n")
    else:
        for m in shown:
            out.write(match_line(m) + "\n")
        out.write(matches_summary(matches, show_all) + "\n")
    return len(copies)
