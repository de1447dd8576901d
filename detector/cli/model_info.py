"""``detector model info``: what a model file records, readably or as its
metadata JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Mapping

from detector.cli.common import EXIT_CLEAN, EXIT_ERROR, print_error
from detector.io.escape import printable


def cmd_model(args: argparse.Namespace) -> int:
    """Run a ``detector model`` action; ``info`` is the one there is."""
    return model_info(args)


def model_info(args: argparse.Namespace) -> int:
    """Print the metadata of the model file ``args.file`` (the shipped model
    when absent) as text or JSON. A file that is no readable model is a
    :class:`ModelError` (exit 2); one whose metadata reads but that this
    version cannot load is shown, then said on standard error (exit 2)."""
    from detector.errors import ModelError
    from detector.io.escape import json_dumps
    from detector.io.output import Output
    from detector.model.metadata import read_model_file
    from detector.model.persistence import default_model_path, load_model

    path = Path(args.file) if args.file else default_model_path()
    found = read_model_file(path)
    try:
        load_model(path)
        problem = None
    except ModelError as exc:
        problem = str(exc)
    with Output(None) as out:
        if args.format == "json":
            out.write(json_dumps(found.metadata, indent=2) + "\n")
        else:
            out.write("\n".join(describe(found.path, found.metadata, found.members,
                                         found.metadata_file)) + "\n")
    if problem is not None:
        print_error(problem)
        return EXIT_ERROR
    return EXIT_CLEAN


def _number(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else "-"


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def describe(path: Path, metadata: Mapping[str, Any], members: tuple[str, ...],
             beside: Path | None) -> list[str]:
    """The lines ``detector model info`` prints for a model file: ``members``
    are its archive's member names, ``beside`` the JSON file an older model
    keeps its metadata in (None when it is inside)."""
    from detector.model.array_file import ARRAYS_MEMBER

    versions = _dict(metadata.get("versions"))
    order = ["detector", "scikit-learn", "numpy", *sorted(versions)]
    saved = ", ".join(f"{printable(str(k))} {printable(str(versions[k]))}"
                      for k in dict.fromkeys(order) if k in versions)
    families = metadata.get("families")
    where = ("one file, the metadata inside" if beside is None
             else f"the metadata beside it, in {printable(beside.name)}")
    lines = [
        f"model file  {printable(str(path))}",
        f"format      {metadata.get('format')}: {where}",
        f"saved with  {saved or 'not recorded'}",
        f"threshold   {_number(metadata.get('threshold'))}",
        f"features    {len(metadata.get('feature_names') or [])} columns from "
        + (", ".join(map(printable, families)) if families else "every family"),
    ]
    present = [f"{name} (threshold {_number(_dict(metadata.get(key)).get('threshold'))})"
               for key, name in (("roundtrip", "round-trip"), ("spin", "spin"))
               if metadata.get(key)]
    lines.append(f"members     {', '.join(present) if present else 'none'}")
    reference = _dict(metadata.get("reference"))
    lines.append("reference   " + (f"present (threshold {_number(reference.get('threshold'))})"
                                   if reference else "absent"))
    # The skops state is schema.json and one entry per array or blob; the
    # detector's own members are named detector-*.
    ours = [m for m in members if m.startswith("detector-")]
    state = len(members) - len(ours)
    lines.append("contents    " + ", ".join(([f"skops state ({state} entries)"] if state else [])
                                            + [printable(m) for m in ours]))
    lines.append("scoring     " + ("from the arrays, without scikit-learn"
                                   if ARRAYS_MEMBER in members else
                                   "through skops: needs the scikit-learn it was built with"))
    lines.extend(_training(_dict(metadata.get("training"))))
    for key, name in (("roundtrip", "round-trip member"), ("spin", "spin member")):
        cv = _dict(_dict(_dict(metadata.get(key)).get("training")).get("cv"))
        if cv:
            lines.extend(_cv_lines(cv, f"{name} cross-validation"))
    return lines


def _training(training: Mapping[str, Any]) -> list[str]:
    """The training data summary and the main stages' cross-validation."""
    if not training:
        return ["training    not recorded"]
    lines = ["training data"]
    totals = [f"{training[k]} {k[2:]}" for k in ("n_clean", "n_mangled") if k in training]
    lines.append(f"  paragraphs {training.get('n_paragraphs', '-')}"
                 + (f" ({', '.join(totals)})" if totals else "")
                 + f" in {training.get('n_groups', '-')} groups; seed {training.get('seed', '-')}; "
                 f"target false-positive rate {training.get('target_fpr', '-')}")
    if training.get("base"):
        lines.append("  plus the default model's training data")
    by_source = _by_source(training)
    if by_source:
        width = max(len(name) for name in by_source)
        lines.append(f"  {'source':{width}}  {'clean':>7}  {'mangled':>7}")
        for name, (clean, mangled) in by_source.items():
            lines.append(f"  {name:{width}}  {clean:>7}  {mangled:>7}")
    for entry in _dict(training.get("data")).get("files") or []:
        entry = _dict(entry)
        lines.append(f"  file {printable(str(entry.get('path', '-')))}: {entry.get('records', '-')} "
                     f"records, sha256 {printable(str(entry.get('sha256', '-')))[:16]}")
    lines.extend(_cv_lines(_dict(training.get("cv")), "cross-validation"))
    return lines


def _by_source(training: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Clean and mangled paragraph counts by source: as recorded, or as the
    cross-validation counted them."""
    out: dict[str, tuple[str, str]] = {}
    recorded = _dict(training.get("paragraphs_by_source"))
    for name, counts in recorded.items():
        counts = _dict(counts)
        out[printable(str(name))] = (str(counts.get("clean", "-")), str(counts.get("mangled", "-")))
    if not out:
        for name, metrics in _dict(_dict(training.get("cv")).get("by_source")).items():
            metrics = _dict(metrics)
            out[printable(str(name))] = (str(metrics.get("n_clean", "-")),
                                         str(metrics.get("n_mangled", "-")))
    return out


def _cv_lines(cv: Mapping[str, Any], title: str) -> list[str]:
    """The cross-validation method and metrics table of a stage."""
    from detector.report.tables import metrics_table

    if not cv:
        return []
    if cv.get("method") is None:
        return [f"{title}: not possible ({printable(str(cv.get('why_missing', 'not recorded')))})"]
    rows = [([name], _dict(cv[key])) for name, key in (
        ("final", "final"), ("features only", "features_stage"), ("chars only", "chars_stage"),
        ("paragraph stage", "paragraph_stage")) if key in cv]
    return [f"{title}: {printable(str(cv['method']))}",
            *("  " + line for line in metrics_table([""], rows))]
