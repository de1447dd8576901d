"""``detector evaluate``: metrics of a model on labelled data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from detector.cli.common import EXIT_CLEAN, load_model_arg, model_files
from detector.io.escape import printable
from detector.report.wording import plural


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score labelled records and print the metrics table (or JSON); with
    ``--compare`` a second model is measured on the same records beside the first."""
    from detector.errors import DataError
    from detector.io.output import Output

    if args.compare and args.model and Path(args.compare).resolve() == Path(args.model).resolve():
        raise DataError(f"{args.compare}: --compare names the same model as --model")
    sources = [args.data, *model_files(args.model, args.compare)]
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
    from detector.score.overlap import training_overlap

    records = read_labelled(args.data, args.text_field, args.label_field, args.group_by)
    reports, curves = [], []
    for name, path in [(args.model or "default", args.model)] + (
            [(args.compare, args.compare)] if args.compare else []):
        model = load_model_arg(path)
        overlap = training_overlap(args.data, [r.text for r in records], model.metadata)
        if overlap.found:  # a warning only: the metrics are still what was asked for
            sys.stderr.write(f"detector: warning: {printable(overlap.message(args.data, name))}\n")
        scores = score_records(records, model)
        report = evaluate_records(records, model=model, threshold=args.threshold, scores=scores)
        report["training_overlap"] = overlap.to_dict()
        reports.append((name, report))
        curves.append((name, scores, report["threshold"]))
    if args.plot:
        from detector.report.plots import plot_evaluation

        try:
            groups = (np.array([r.group for r in records], dtype=object) if args.group_by
                      else None)
            written = plot_evaluation(np.array([r.label for r in records]), curves, args.plot,
                                      sources=[args.data, *model_files(args.model,
                                                                        args.compare)],
                                      groups=groups, data_name=printable(str(args.data)))
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
    from detector.report.tables import metrics_table

    groups = sorted({g for _, report in reports for g in report.get("groups", {})})
    rows = []
    for group in ["all", *groups]:
        for name, report in reports:
            metrics = report if group == "all" else report.get("groups", {}).get(group, {})
            labels = [printable(str(group)), printable(name)]
            rows.append((labels if compare else labels[:1], metrics))
    for line in metrics_table(["", "model"] if compare else [""], rows):
        out.write(line + "\n")
    for name, report in reports:
        out.write(
            (f"{printable(name)}: " if compare else "")
            + f"threshold {report['threshold']:.3f}; {plural(report['n_unscored'], 'record')} "
            "without prose to score left out\n"
        )
