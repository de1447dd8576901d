"""The argument parser of every subcommand."""

from __future__ import annotations

import argparse
import sys

from detector._version import __version__
from detector.cli.argparser import EXIT_CODES_FLAG, EXIT_CODES_RUN, Parser
from detector.cli.common import fraction_arg, threshold_arg
from detector.cli.serve import add_serve_parser
from detector.io.discovery import INPUT_FORMATS


class _ListReasons(argparse.Action):
    """``--list-reasons``: print every reason code and exit, as --version does."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        from detector.cli.explain import list_reasons

        list_reasons(sys.stdout)
        parser.exit()


def _model_options(command: argparse.ArgumentParser) -> None:
    """--threshold and --model, as every scoring command takes them."""
    command.add_argument("--threshold", type=threshold_arg,
                         help="flag at this probability, 0-1 (default: the model's own threshold)")
    command.add_argument("--model",
                         help="a model file made by `detector train` (default: the shipped model)")


def build_parser(flag_defaults: dict | None = None) -> argparse.ArgumentParser:
    """The argument parser for every subcommand; ``flag_defaults`` (from
    ``[tool.detector]``, :mod:`detector.cli.config`) replace flag's defaults."""
    parser = Parser(
        prog="detector",
        description="Find English paragraphs that were spun or machine-translated, and say why.",
        epilog=EXIT_CODES_FLAG + ".\n\nRun `detector COMMAND --help` for a command's options and "
               "`detector explain CODE` for what a reason code means.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"detector {__version__}")
    parser.add_argument("--list-reasons", action=_ListReasons,
                        help="list every reason code and what it means, then exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    flag = sub.add_parser("flag", help="flag suspicious paragraphs in text files",
                          description="Score every prose paragraph of the inputs and print "
                                      "the flagged ones, as a linter does.",
                          epilog=EXIT_CODES_FLAG + "\n(with --exit-zero: 0 unless an error).")
    flag.add_argument("paths", nargs="+", metavar="PATH",
                      help="text, Markdown (.md), HTML (.html) or JSON Lines (.jsonl, "
                           ".jsonl.gz) files; directories, searched recursively for those; "
                           "or - for standard input (plain text unless --stdin-filename or "
                           "--input-format says otherwise)")
    flag.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                      help="in directories, skip the files and folders whose name or path "
                           "below the directory matches GLOB (repeatable; hidden names are "
                           "always skipped)")
    flag.add_argument("--input-format", choices=tuple(INPUT_FORMATS),
                      help="read standard input and the files named on the command line as "
                           "this format, whatever their names (default: by file name)")
    flag.add_argument("--stdin-filename", metavar="NAME",
                      help="the name standard input is shown under; its ending also says the "
                           "format (page.html, notes.md, corpus.jsonl)")
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
                      help="JSON Lines inputs: the field with the text")
    flag.add_argument("--id-field", default="id",
                      help="JSON Lines inputs: the field with the record id (the line "
                           "number when absent)")
    flag.add_argument("--select", action="append", default=[], metavar="CODES",
                      help="report only paragraphs flagged for these reason codes or families "
                           "(comma-separated, e.g. art,rt,lm.unlikely_in_context; repeatable); "
                           "see --list-reasons")
    flag.add_argument("--ignore", action="append", default=[], metavar="CODES",
                      help="do not report these reason codes or families (e.g. ctx.document); "
                           "a paragraph with no reason left is not reported")
    flag.add_argument("--exit-zero", action="store_true",
                      help="exit with 0 even when paragraphs are flagged (errors still exit 2)")
    flag.add_argument("-q", "--quiet", action="store_true",
                      help="text format: print the flagged paragraphs only, no summary lines")
    flag.add_argument("--show-source", action="store_true",
                      help="text format: print the line each paragraph line points at, with "
                           "its first reason marked")
    flag.add_argument("--statistics", action="store_true",
                      help="text format: print how often each reason code explains a flagged "
                           "paragraph, instead of the paragraphs")
    flag.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text output: auto (only on a terminal, and not when "
                           "NO_COLOR is set), always or never")
    _model_options(flag)
    flag.add_argument("--reference", action="append", default=[], metavar="FILE|DIR",
                      help="the suspected original(s): find each paragraph's source in them "
                           "and show what was changed (repeatable; a directory is searched "
                           "for text files)")
    flag.add_argument("--isolated", action="store_true",
                      help="ignore [tool.detector] in pyproject.toml")
    if flag_defaults:
        flag.set_defaults(**flag_defaults)

    match = sub.add_parser("match", help="find copies of originals (spun, verbatim or closely "
                                         "edited) among suspect documents",
                           epilog="exit codes: 0 no copy found, 1 a copy found, 2 an error.")
    match.add_argument("--originals", required=True, action="append", metavar="DIR|FILE",
                       help="the original documents (repeatable)")
    match.add_argument("--suspects", required=True, action="append", metavar="DIR|FILE",
                       help="the documents to check (repeatable)")
    match.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    match.add_argument("-o", "--output", metavar="FILE",
                       help="write the output to FILE instead of standard output")
    match.add_argument("--all", action="store_true",
                       help="list every suspect, also partial matches and those that match "
                            "no original")
    _model_options(match)

    evaluate = sub.add_parser("evaluate", help="measure a model on labelled JSON Lines",
                              epilog=EXIT_CODES_RUN + ".")
    evaluate.add_argument("data", metavar="DATA", help="JSON Lines (.jsonl or .jsonl.gz)")
    evaluate.add_argument("--text-field", default="text", help="the field with the text")
    evaluate.add_argument("--label-field", default="label",
                          help="the field with the label, clean or mangled")
    evaluate.add_argument("--group-by", metavar="FIELD", help="also report a row per value")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument("-o", "--output", metavar="FILE",
                          help="write the output to FILE instead of standard output")
    _model_options(evaluate)
    evaluate.add_argument("--plot", metavar="FILE.png",
                          help="write ROC, precision-recall and score-distribution plots "
                               "(needs the plot extra: pip install 'detector[plot]')")
    evaluate.add_argument("--compare", metavar="MODEL",
                          help="also measure this model on the same data, side by side")

    train = sub.add_parser("train", help="fit a model on labelled clean and mangled texts",
                           epilog=EXIT_CODES_RUN + ".")
    train.add_argument("paths", nargs="*", metavar="PATH",
                       help="directories of NAME.clean.txt / NAME.mangled.txt files, or JSON "
                            'Lines with {"clean", "mangled"} or {"text", "label"} per line')
    train.add_argument("--pair", nargs=2, action="append", default=[], metavar=("CLEAN", "MANGLED"),
                       help="a clean text file and its mangled copy (repeatable)")
    train.add_argument("-o", "--output", required=True, metavar="MODEL",
                       help="where to write the model (.skops: one file, its metadata inside)")
    train.add_argument("--base", metavar="NAME",
                       help="add a base's training data: 'default' is the shipped model's "
                            "(from a checkout installed with pip install -e '.[train]')")
    train.add_argument("--features", metavar="FAMILIES",
                       help="comma-separated feature families (default: all)")
    train.add_argument("--seed", type=int, default=0, help="0 to 2**32 - 1")
    train.add_argument("--target-fpr", type=fraction_arg, default=None, metavar="RATE",
                       help="pick the threshold with this false-positive rate on held-out clean "
                            "paragraphs (default 0.05)")
    train.add_argument("--jobs", type=int, default=1, help="worker processes for feature extraction")
    train.add_argument("--text-field", default="text", help="JSON Lines field with the text")
    train.add_argument("--label-field", default="label", help="JSON Lines field with the label")
    train.add_argument("--group-field", default="group",
                       help="JSON Lines field that groups related records (e.g. pair_id); "
                            "records without one are their own group")
    explain = sub.add_parser("explain", help="say what a reason code means",
                             epilog="exit codes: 0 done, 2 an unknown code.")
    explain.add_argument("codes", nargs="*", metavar="CODE",
                         help="reason codes such as art.mangled_date, or a prefix such as "
                              "art (none: every code)")
    model = sub.add_parser("model", help="inspect a model file", epilog=EXIT_CODES_RUN + ".")
    actions = model.add_subparsers(dest="action", required=True, metavar="ACTION")
    info = actions.add_parser("info", help="show what a model file records: versions, "
                                           "threshold, features, training data, metrics",
                              epilog=EXIT_CODES_RUN + ".")
    info.add_argument("file", nargs="?", metavar="FILE",
                      help="a model file (default: the shipped model)")
    info.add_argument("--format", choices=("text", "json"), default="text",
                      help="text, or json (the metadata as the file stores it)")
    add_serve_parser(sub)
    return parser
