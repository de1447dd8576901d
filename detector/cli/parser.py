"""The argument parser of every subcommand."""

from __future__ import annotations

import argparse

from detector._version import __version__
from detector.cli.common import fraction_arg, threshold_arg


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
    flag.add_argument("--threshold", type=threshold_arg, help="flag at this probability (0-1)")
    flag.add_argument("--model", help="a model file made by `detector train`")
    flag.add_argument("--reference", action="append", default=[], metavar="FILE|DIR",
                      help="the suspected original(s): find each paragraph's source in them "
                           "and show what was changed (repeatable; a directory is searched "
                           "for text files)")

    match = sub.add_parser("match", help="find copies of originals (spun, verbatim or closely "
                                         "edited) among suspect documents")
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
    match.add_argument("--threshold", type=threshold_arg, help="flag at this probability (0-1)")
    match.add_argument("--model", help="a model file made by `detector train`")

    evaluate = sub.add_parser("evaluate", help="measure a model on labelled JSON Lines")
    evaluate.add_argument("data", metavar="DATA", help="JSON Lines (.jsonl or .jsonl.gz)")
    evaluate.add_argument("--text-field", default="text")
    evaluate.add_argument("--label-field", default="label")
    evaluate.add_argument("--group-by", metavar="FIELD", help="also report a row per value")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument("-o", "--output", metavar="FILE",
                          help="write the output to FILE instead of standard output")
    evaluate.add_argument("--threshold", type=threshold_arg)
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
    train.add_argument("--target-fpr", type=fraction_arg, default=None, metavar="RATE",
                       help="pick the threshold with this false-positive rate on held-out clean "
                            "paragraphs (default 0.05)")
    train.add_argument("--jobs", type=int, default=1, help="worker processes for feature extraction")
    train.add_argument("--text-field", default="text", help="JSON Lines field with the text")
    train.add_argument("--label-field", default="label", help="JSON Lines field with the label")
    train.add_argument("--group-field", default="group",
                       help="JSON Lines field that groups related records (e.g. pair_id); "
                            "records without one are their own group")
    return parser
