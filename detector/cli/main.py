"""The ``detector`` command: argument parsing and exit codes only.

Exit codes follow linters: 0 nothing flagged, 1 something flagged, 2 an error
(bad arguments, an unreadable file, an unusable model). When one of several
files cannot be read, the others are still scored and the exit code is 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from detector._version import __version__
from detector.io.escape import printable

EXIT_CLEAN, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2


# A closed pipe (``detector flag ... | head``) ends the run quietly with the
# code of a process killed by SIGPIPE, as other Unix tools do.
EXIT_BROKEN_PIPE = 128 + 13


def _threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return number


def _fraction(value: str) -> float:
    number = _threshold(value)
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError("must be strictly between 0 and 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="detector",
        description="Find English paragraphs that were spun or machine-translated, and say why.",
    )
    parser.add_argument("--version", action="version", version=f"detector {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    flag = sub.add_parser("flag", help="flag suspicious paragraphs in text files")
    flag.add_argument("paths", nargs="+", metavar="PATH",
                      help="text, Markdown (.md), HTML (.html) or JSON Lines (.jsonl, "
                           ".jsonl.gz) files, or - for standard input (plain text)")
    flag.add_argument("--all", action="store_true", help="list every paragraph, not only flagged")
    flag.add_argument("--format", choices=("text", "json", "jsonl", "sarif", "html"),
                      default="text",
                      help="text (linter lines), json, jsonl (one object per file), sarif "
                           "(SARIF 2.1.0 for code-review tools) or html (a self-contained report)")
    flag.add_argument("-o", "--output", metavar="FILE",
                      help="write the output to FILE instead of standard output")
    flag.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                      help="score in N worker processes (each loads the model once)")
    flag.add_argument("--text-field", default="text",
                      help="JSON Lines inputs: the field with the text (default text)")
    flag.add_argument("--id-field", default="id",
                      help="JSON Lines inputs: the field with the record id (default id; "
                           "the line number when absent)")
    flag.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text output: auto (only on a terminal, and not when "
                           "NO_COLOR is set), always or never")
    flag.add_argument("--threshold", type=_threshold, help="flag at this probability (0-1)")
    flag.add_argument("--model", help="a model file made by `detector train`")
    flag.add_argument("--reference", action="append", default=[], metavar="FILE|DIR",
                      help="the suspected original(s): find each paragraph's source in them "
                           "and show what was changed (repeatable; a directory is searched "
                           "for text files)")

    match = sub.add_parser("match", help="find spun copies of originals among suspect documents")
    match.add_argument("--originals", required=True, action="append", metavar="DIR|FILE",
                       help="the original documents (repeatable)")
    match.add_argument("--suspects", required=True, action="append", metavar="DIR|FILE",
                       help="the documents to check (repeatable)")
    match.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    match.add_argument("-o", "--output", metavar="FILE",
                       help="write the output to FILE instead of standard output")
    match.add_argument("--all", action="store_true",
                       help="list every suspect, not only those that copy an original")
    match.add_argument("--threshold", type=_threshold, help="flag at this probability (0-1)")
    match.add_argument("--model", help="a model file made by `detector train`")

    evaluate = sub.add_parser("evaluate", help="measure a model on labelled JSON Lines")
    evaluate.add_argument("data", metavar="DATA", help="JSON Lines (.jsonl or .jsonl.gz)")
    evaluate.add_argument("--text-field", default="text")
    evaluate.add_argument("--label-field", default="label")
    evaluate.add_argument("--group-by", metavar="FIELD", help="also report a row per value")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument("-o", "--output", metavar="FILE",
                          help="write the output to FILE instead of standard output")
    evaluate.add_argument("--threshold", type=_threshold)
    evaluate.add_argument("--model")
    evaluate.add_argument("--plot", metavar="FILE.png",
                          help="write ROC, precision-recall and score-distribution plots "
                               "(needs the plot extra: pip install 'detector[plot]')")
    evaluate.add_argument("--compare", metavar="MODEL",
                          help="also measure this model on the same data, side by side")

    train = sub.add_parser("train", help="fit a model on labelled clean and mangled texts")
    train.add_argument("paths", nargs="*", metavar="PATH",
                       help="directories of NAME.clean.txt / NAME.mangled.txt files, or JSON "
                            'Lines with {"clean", "mangled"} or {"text", "label"} per line')
    train.add_argument("--pair", nargs=2, action="append", default=[], metavar=("CLEAN", "MANGLED"),
                       help="a clean text file and its mangled copy (repeatable)")
    train.add_argument("-o", "--output", required=True, metavar="MODEL",
                       help="where to write the model (.skops; its metadata goes beside it)")
    train.add_argument("--base", metavar="NAME",
                       help="add a base's training data: 'default' is the shipped model's "
                            "(from a checkout installed with pip install -e '.[train]')")
    train.add_argument("--features", metavar="FAMILIES",
                       help="comma-separated feature families (default: all)")
    train.add_argument("--seed", type=int, default=0, help="0 to 2**32 - 1 (default 0)")
    train.add_argument("--target-fpr", type=_fraction, default=None, metavar="RATE",
                       help="pick the threshold with this false-positive rate on held-out clean "
                            "paragraphs (default 0.05)")
    train.add_argument("--jobs", type=int, default=1, help="worker processes for feature extraction")
    train.add_argument("--text-field", default="text", help="JSON Lines field with the text")
    train.add_argument("--label-field", default="label", help="JSON Lines field with the label")
    train.add_argument("--group-field", default="group",
                       help="JSON Lines field that groups related records (e.g. pair_id); "
                            "records without one are their own group")
    return parser


def _error(message: str) -> None:
    sys.stderr.write(f"detector: error: {printable(message)}\n")


def _load(model_path: str | None):  # type: ignore[no-untyped-def]
    from detector.model.persistence import load_model

    return load_model(model_path)


def _use_colour(choice: str, stream: object) -> bool:
    """Colour only on a terminal and without NO_COLOR, unless forced."""
    import os

    if choice != "auto":
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def _model_files(*models: str | None) -> list[str]:
    """The files a ``--model`` argument reads: the model and its metadata."""
    from detector.model.persistence import metadata_path

    return [str(f) for m in models if m for f in (Path(m), metadata_path(Path(m)))]


def cmd_flag(args: argparse.Namespace) -> int:
    """Score each input document; print flagged paragraphs and a summary per document."""
    from detector.errors import DataError, ModelError
    from detector.io.inputs import iter_documents
    from detector.io.output import Output
    from detector.score.batch import StreamTarget, load_scorer, score_documents

    if args.jobs < 1:
        raise DataError(f"--jobs must be at least 1, not {args.jobs}")
    references = tuple(args.reference)
    sources = [*args.paths, *references, *_model_files(args.model)]
    with Output(args.output, sources) as out:
        # Loaded here once (and cached for this process), so a bad model or
        # reference is one clear error before any worker starts.
        model, _ = load_scorer(args.model, references)
        if references and model.reference is None:
            raise ModelError(f"{args.model}: this model has no reference stage "
                             "(models made by `detector train` have none yet); "
                             "use the default model with --reference")
        streaming = args.format in ("text", "jsonl")
        stream = StreamTarget(out, args.format, args.all, _use_colour(args.color, out)) \
            if streaming else None
        failed = False
        flagged = False
        collected = []
        documents = iter_documents(args.paths, args.text_field, args.id_field)
        for scored in score_documents(documents, model_path=args.model, references=references,
                                      threshold=args.threshold, jobs=args.jobs,
                                      progress=sys.stderr.isatty(), stream=stream):
            if scored.problem is not None:
                _error(f"{scored.document.label}: {scored.problem}")
                failed = True
            flagged = flagged or scored.flagged
            if stream is None:
                collected.append(scored)
        _render_collected(args.format, collected, out)
    if failed:
        return EXIT_ERROR
    return EXIT_FLAGGED if flagged else EXIT_CLEAN


def _render_collected(fmt: str, collected: list, out) -> None:  # type: ignore[no-untyped-def]
    """The formats written once for all documents: json, sarif and html."""
    if fmt == "json":
        from detector.report.text import render_json
        from detector.score.batch import output_record

        render_json([output_record(s) for s in collected], out)
    elif fmt == "sarif":
        from detector.report.sarif import render_sarif

        render_sarif([(s.document.label, s.result) for s in collected if s.result is not None],
                     out)
    elif fmt == "html":
        from detector.report.html import render_html

        render_html([(s.document.label, s.document.full_text(), s.result) for s in collected
                     if s.result is not None], out)


def cmd_match(args: argparse.Namespace) -> int:
    """Score every suspect against an index of all originals; list the copies."""
    from detector.io.output import Output

    originals = tuple(args.originals)
    sources = [*originals, *args.suspects, *_model_files(args.model)]
    with Output(args.output, sources) as out:
        return _match(args, originals, out)


def _match(args: argparse.Namespace, originals: tuple[str, ...], out) -> int:  # type: ignore[no-untyped-def]
    """``detector match`` writing to ``out``."""
    from detector.errors import DataError, ModelError
    from detector.reference.files import text_files
    from detector.report.text import render_matches
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
        _error(f"{name}: {message}")

    matches = match_documents(suspects, originals, model_path=args.model,
                              threshold=args.threshold, on_error=on_error)
    copies = render_matches(matches, out, args.format, show_all=args.all)
    if failed:
        return EXIT_ERROR
    return EXIT_FLAGGED if copies else EXIT_CLEAN


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score labelled records and print the metrics table (or JSON); with
    ``--compare`` a second model is measured on the same records beside the first."""
    from detector.errors import DataError
    from detector.io.output import Output

    if args.compare and args.model and Path(args.compare).resolve() == Path(args.model).resolve():
        raise DataError(f"{args.compare}: --compare names the same model as --model")
    sources = [args.data, *_model_files(args.model, args.compare)]
    if args.plot:
        from detector.io.output import refuse_inputs
        from detector.report.plots import check_plot_path

        refuse_inputs(check_plot_path(args.plot), sources)
    with Output(args.output, sources) as out:
        return _evaluate(args, out)


def _evaluate(args: argparse.Namespace, out) -> int:  # type: ignore[no-untyped-def]
    """``detector evaluate`` writing to ``out``."""
    import numpy as np

    from detector.errors import DataError
    from detector.score.evaluate import evaluate_records, read_labelled, score_records

    records = read_labelled(args.data, args.text_field, args.label_field, args.group_by)
    reports, curves = [], []
    for name, path in [(args.model or "default", args.model)] + (
            [(args.compare, args.compare)] if args.compare else []):
        model = _load(path)
        scores = score_records(records, model)
        report = evaluate_records(records, model=model, threshold=args.threshold, scores=scores)
        reports.append((name, report))
        curves.append((name, scores, report["threshold"]))
    if args.plot:
        from detector.report.plots import plot_evaluation

        try:
            written = plot_evaluation(np.array([r.label for r in records]), curves, args.plot,
                                      sources=[args.data, *_model_files(args.model,
                                                                        args.compare)])
        except DataError:
            raise
        except (OSError, ValueError) as exc:
            raise DataError(f"{args.plot}: cannot write the plot ({exc})") from None
        sys.stderr.write(f"plot written to {printable(str(written))}\n")
    if args.format == "json":
        from detector.io.escape import json_dumps

        shown = reports[0][1] if len(reports) == 1 else {
            "models": [{"model": name, **report} for name, report in reports]}
        out.write(json_dumps(shown, indent=2) + "\n")
        return EXIT_CLEAN
    _write_metrics_table(reports, compare=len(reports) > 1, out=out)
    return EXIT_CLEAN


def _write_metrics_table(reports: list[tuple[str, dict]], compare: bool, out) -> None:  # type: ignore[no-untyped-def]
    from detector.report.tables import METRIC_COLUMNS, metric_cell

    groups = sorted({g for _, report in reports for g in report.get("groups", {})})
    rows = []
    for group in ["all", *groups]:
        for name, report in reports:
            metrics = report if group == "all" else report.get("groups", {}).get(group, {})
            label = [printable(str(group)), printable(name)]
            rows.append((label if compare else label[:1], metrics))
    titles = ["", "model"] if compare else [""]
    widths = [max(len(titles[k]), *(len(str(label[k])) for label, _ in rows))
              for k in range(len(titles))]
    head = "  ".join(f"{title:{w}}" for title, w in zip(titles, widths))
    out.write(head + "  " + "  ".join(f"{c:>9}" for c in METRIC_COLUMNS) + "\n")
    for label, metrics in rows:
        names = "  ".join(f"{str(part):{w}}" for part, w in zip(label, widths))
        cells = "  ".join(f"{metric_cell(metrics.get(c)):>9}" for c in METRIC_COLUMNS)
        out.write(f"{names}  {cells}\n")
    for name, report in reports:
        out.write(
            (f"{printable(name)}: " if compare else "")
            + f"threshold {report['threshold']:.3f}; {report['n_unscored']} record(s) had no "
            "prose to score and are left out\n"
        )


def cmd_train(args: argparse.Namespace) -> int:
    """Fit a model on the given data, save it, and print its report."""
    from detector.fit.trainer import format_report

    if not args.paths and not args.pair:
        _error("train: give training data as PATH arguments or --pair CLEAN MANGLED")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from detector.errors import DataError, ModelError, ReferenceError
    from detector.io.lifecycle import Terminated, exit_code, terminate_as_exception

    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"flag": cmd_flag, "match": cmd_match, "evaluate": cmd_evaluate,
                "train": cmd_train}
    try:
        with terminate_as_exception():
            return handlers[args.command](args)
    except (ModelError, DataError, ReferenceError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    except (KeyboardInterrupt, Terminated) as exc:
        _error("terminated" if isinstance(exc, Terminated) else "interrupted")
        return exit_code(exc)
    except BrokenPipeError:
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
