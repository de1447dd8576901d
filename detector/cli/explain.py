"""``detector explain`` and ``--list-reasons``: what each reason code means."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from detector.cli.common import EXIT_CLEAN, EXIT_ERROR, print_error

__all__ = ["cmd_explain", "list_reasons", "matching_codes"]


def list_reasons(out: TextIO) -> None:
    """Every reason code with its one-line description, then the skip codes."""
    from detector.reason_codes import REASON_CODES, SKIP_REASONS

    width = max(len(code) for code in REASON_CODES)
    for code, text in REASON_CODES.items():
        out.write(f"{code:<{width}}  {text}\n")
    out.write("\nparagraphs not scored (skipped):\n")
    for code, text in SKIP_REASONS.items():
        out.write(f"{code:<{width}}  {text}\n")


def matching_codes(name: str) -> list[str]:
    """The reason codes ``name`` stands for: itself, or every code under a
    prefix such as ``art`` or ``art.``; empty when none matches."""
    from detector.reason_codes import REASON_CODES
    from detector.score.selection import matches_code

    return [code for code in REASON_CODES if matches_code(code, name)]


def unknown_code_message(name: str) -> str:
    """The error for a code that matches nothing, with the closest codes."""
    from detector.cli.argparser import suggestions
    from detector.reason_codes import REASON_CODES

    families = sorted({code.split(".")[0] for code in REASON_CODES})
    close = suggestions(name, [*REASON_CODES, *families])
    hint = f"; did you mean {' or '.join(close)}?" if close else "; `detector --list-reasons` lists them"
    return f"unknown reason code {name!r}{hint}"


def cmd_explain(args: argparse.Namespace) -> int:
    """Print the description and explanation of each code given (all without one)."""
    from detector.reason_codes import REASON_CODES, explain

    codes: list[str] = []
    for name in args.codes or list(REASON_CODES):
        found = matching_codes(name)
        if not found:
            print_error(unknown_code_message(name))
            return EXIT_ERROR
        codes.extend(c for c in found if c not in codes)
    sys.stdout.write("\n".join(explain(code) for code in codes))
    return EXIT_CLEAN
