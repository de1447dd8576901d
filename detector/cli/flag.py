"""``detector flag``: score files and print what is flagged."""

from __future__ import annotations

import argparse
import sys

from detector.cli.common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FLAGGED,
    model_files,
    print_error,
    use_colour,
)


def cmd_flag(args: argparse.Namespace) -> int:
    """Score each input document; print flagged paragraphs and a summary per document."""
    from collections import Counter

    from detector.errors import DataError, ModelError
    from detector.io.inputs import iter_documents
    from detector.io.output import Output
    from detector.report.run_summary import RunSummary
    from detector.report.text import TextOptions, render_statistics
    from detector.score.batch import StreamTarget, load_scorer, score_documents

    if args.jobs < 1:
        raise DataError(f"--jobs must be at least 1, not {args.jobs}")
    if (args.statistics or args.show_source) and args.format != "text":
        option = "--statistics" if args.statistics else "--show-source"
        raise DataError(f"{option} goes with --format text, not {args.format}")
    references = tuple(args.reference)
    sources = [*args.paths, *references, *model_files(args.model)]
    with Output(args.output, sources) as out:
        # Loaded here once (and cached for this process), so a bad model or
        # reference is one clear error before any worker starts.
        model, _ = load_scorer(args.model, references)
        if references and model.reference is None:
            raise ModelError(f"{args.model}: this model has no reference stage "
                             "(models made by `detector train` have none yet); "
                             "use the default model with --reference")
        streaming = args.format in ("text", "jsonl")
        counts: Counter | None = Counter() if args.statistics else None
        options = TextOptions(args.show_source, counts)
        summary = (RunSummary() if args.format == "text" and not args.quiet and counts is None
                   else None)
        stream = StreamTarget(out, args.format, args.all, use_colour(args.color, out),
                              quiet=args.quiet, text_options=options,
                              summary=summary) if streaming else None
        failed = False
        flagged = False
        collected = []
        reason_filter = _reason_filter(args)
        documents = iter_documents(args.paths, args.text_field, args.id_field,
                                   exclude=tuple(args.exclude), input_format=args.input_format,
                                   stdin_name=args.stdin_filename)
        for scored in score_documents(documents, model_path=args.model, references=references,
                                      threshold=args.threshold, jobs=args.jobs,
                                      progress=sys.stderr.isatty() and not args.quiet,
                                      stream=stream, reason_filter=reason_filter):
            if scored.problem is not None:
                print_error(f"{scored.document.label}: {scored.problem}")
                failed = True
            flagged = flagged or scored.flagged
            if stream is None:
                collected.append(scored)
        if summary is not None:
            for line in summary.finish():
                out.write(line + "\n")
        if counts is not None:
            render_statistics(counts, out)
        _render_collected(args.format, collected, out, args.all)
    if failed:
        return EXIT_ERROR
    return EXIT_FLAGGED if flagged and not args.exit_zero else EXIT_CLEAN


def _reason_filter(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The --select/--ignore filter, every code in it checked; None without one."""
    from detector.cli.explain import matching_codes, unknown_code_message
    from detector.errors import DataError
    from detector.score.selection import ReasonFilter

    selectors = {}
    for option in ("select", "ignore"):
        names = tuple(n.strip() for value in getattr(args, option) for n in value.split(",")
                      if n.strip())
        for name in names:
            if not matching_codes(name):
                raise DataError(f"--{option}: {unknown_code_message(name)}")
        selectors[option] = names
    chosen = ReasonFilter(**selectors)
    return chosen if chosen.active else None


def _render_collected(fmt: str, collected: list, out, show_all: bool = False) -> None:  # type: ignore[no-untyped-def]
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
                     if s.result is not None], out, show_all)
