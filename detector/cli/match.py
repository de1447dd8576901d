"""``detector match``: which files copy which originals."""

from __future__ import annotations

import argparse
from pathlib import Path

from detector.cli.common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FLAGGED,
    model_files,
    print_error,
)


def cmd_match(args: argparse.Namespace) -> int:
    """Score every suspect against an index of all originals; list the copies
    (spun, verbatim or close) with their verdicts. Exit 1 when any suspect
    copies an original, 0 when none does, 2 on an error."""
    from detector.io.output import Output

    originals = tuple(args.originals)
    sources = [*originals, *args.suspects, *model_files(args.model)]
    with Output(args.output, sources) as out:
        return _match(args, originals, out)


def _match(args: argparse.Namespace, originals: tuple[str, ...], out) -> int:  # type: ignore[no-untyped-def]
    """``detector match`` writing to ``out``."""
    from detector.errors import DataError, ModelError
    from detector.reference.files import text_files
    from detector.report.matches import render_matches
    from detector.score.batch import load_scorer
    from detector.score.matching import match_documents

    model, _ = load_scorer(args.model, originals)  # one clear error for a bad model or original
    if model.reference is None:
        raise ModelError(f"{args.model}: this model has no reference stage; use the default model")
    suspects: list[Path] = []
    for raw in args.suspects:
        path = Path(raw)
        if path.is_dir():
            suspects.extend(text_files(path))
        elif path.is_file():
            suspects.append(path)
        else:
            raise DataError(f"{path}: no such file or directory")
    failed = False

    def on_error(name: str, message: str) -> None:
        nonlocal failed
        failed = True
        print_error(f"{name}: {message}")

    matches = match_documents(suspects, originals, model_path=args.model,
                              threshold=args.threshold, on_error=on_error)
    copies = render_matches(matches, out, args.format, show_all=args.all)
    if failed:
        return EXIT_ERROR
    return EXIT_FLAGGED if copies else EXIT_CLEAN
