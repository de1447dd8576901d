"""``detector train``: fit a model on labelled pairs."""

from __future__ import annotations

import argparse

from detector.cli.common import EXIT_CLEAN, EXIT_ERROR, print_error
from detector.io.escape import printable


def cmd_train(args: argparse.Namespace) -> int:
    """Fit a model on the given data, save it, and print its report."""
    from detector.fit.trainer import format_report

    if not args.paths and not args.pair:
        print_error("train: give training data as PATH arguments or --pair CLEAN MANGLED")
        return EXIT_ERROR
    from detector.io.output import Output

    families = [f.strip() for f in args.features.split(",") if f.strip()] if args.features else None
    model = _train(args, families)
    with Output(None) as out:
        out.write(format_report(model))
        out.write(f"wrote {printable(args.output)}\n")
    return EXIT_CLEAN


def _train(args: argparse.Namespace, families: list[str] | None):  # type: ignore[no-untyped-def]
    from detector.fit.detector_fitting import DEFAULT_TARGET_FPR
    from detector.fit.pairs import JsonlFields
    from detector.fit.trainer import train

    return train(
        args.paths,
        pairs=[tuple(p) for p in args.pair],
        output=args.output,
        base=args.base,
        families=families,
        seed=args.seed,
        target_fpr=DEFAULT_TARGET_FPR if args.target_fpr is None else args.target_fpr,
        n_jobs=args.jobs,
        progress=True,
        fields=JsonlFields(args.text_field, args.label_field, args.group_field),
    )
