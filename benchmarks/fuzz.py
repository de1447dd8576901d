"""Fuzz the reader, the segmenter, scoring and the CLI with a large example budget.

    python -m benchmarks.fuzz [--examples 2000] [--seed S] [--out benchmarks/out/fuzz.md]
                              [--property NAME ...]

Runs every property of tests/fuzz_properties.py, the same strategies and
checks tests/test_fuzz.py runs with a small budget, each with ``--examples``
times its share (the CLI a tenth, long documents a twentieth), scoring with
the shipped default model (``detector.load_model()``) on one OpenMP thread
(gradient boosting's many tiny predictions stall when its threads compete
with a busy machine, and the time would measure that). For each property
it counts the examples the check was actually called with (Hypothesis stops
early when a strategy has few distinct values; the regression examples a
property lists are tried first and count; a failing property counts its
shrinking steps too), the time, and the result; each failure is written out
with its shrunk falsifying example and traceback. Prints a markdown table
and writes it to ``--out``; exits 1 when a property failed. Without
``--seed`` a random seed is drawn and printed, so any run can be repeated.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
import traceback
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# tests/ is not a package (pytest imports its modules by file), and another
# distribution's top-level `tests` package may be installed: import the module
# from its folder, as pytest does.
sys.path.insert(0, str(REPO_ROOT / "tests"))

import hypothesis  # noqa: E402

import detector  # noqa: E402
from fuzz_properties import PROPERTIES, Property, PropertyRun, run_property  # noqa: E402

DEFAULT_EXAMPLES = 2000
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "out" / "fuzz.md"


def _result_cell(run: PropertyRun) -> str:
    if run.passed:
        return "pass"
    found = run.first_failure or run.examples
    return (f"**FAIL** ({type(run.error).__name__}) at example {found}, "
            f"then {run.examples - found} shrinking")


def render_report(runs: list[tuple[Property, int, PropertyRun]], seed: int, examples: int,
                  seconds: float, only: list[str] | None = None) -> str:
    """The markdown report: a table of the properties (examples run, budget,
    seconds, result), then each failure with its falsifying example and traceback."""
    lines = [
        "# Fuzz run",
        "",
        f"`python -m benchmarks.fuzz --examples {examples} --seed {seed}"
        + "".join(f" --property '{name}'" for name in only or ()) + "`: detector "
        f"{detector.__version__}, default model, Hypothesis {hypothesis.__version__}, "
        f"Python {platform.python_version()}; {seconds:.0f} s in all.",
        "",
        "| property | examples run | budget | seconds | result |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for prop, budget, run in runs:
        lines.append(f"| {prop.name} | {run.examples} | {budget} | {run.seconds:.1f} | "
                     f"{_result_cell(run)} |")
    total = sum(run.examples for _, _, run in runs)
    failed = [(prop, run, run.error) for prop, _, run in runs if run.error is not None]
    lines += ["", f"{total} examples in all; {len(failed)} of {len(runs)} properties failed."]
    for prop, run, error in failed:
        lines += [
            "", f"## {prop.name}", "",
            f"Falsifying example (shrunk): `{run.falsifying!r}`", "",
            "```",
            "".join(traceback.format_exception(error)).rstrip(),
            "```",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the properties and report; returns 1 when one failed, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES,
                        help="examples per property, before its share "
                             f"(default {DEFAULT_EXAMPLES})")
    parser.add_argument("--seed", type=int, help="Hypothesis seed (default: a random one, printed)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to write the markdown report")
    parser.add_argument("--property", action="append", default=[], metavar="NAME",
                        help="run only the properties whose name contains NAME (repeatable)")
    args = parser.parse_args(argv)
    if args.examples < 1:
        parser.error("--examples must be at least 1")
    seed = args.seed if args.seed is not None else random.randrange(2 ** 32)
    chosen = [p for p in PROPERTIES
              if not args.property or any(name in p.name for name in args.property)]
    if not chosen:
        parser.error(f"no property matches {args.property}; there are: "
                     + ", ".join(p.name for p in PROPERTIES))
    print(f"seed {seed}; loading the default model", file=sys.stderr)
    model = detector.load_model()
    started = time.perf_counter()
    runs = []
    for prop in chosen:
        budget = prop.budget(args.examples)
        print(f"{prop.name}: up to {budget} examples ...", file=sys.stderr, flush=True)
        run = run_property(prop, budget, seed=seed, model=model)
        print(f"  {run.examples} examples, {run.seconds:.1f} s, "
              f"{'pass' if run.passed else 'FAIL'}", file=sys.stderr, flush=True)
        runs.append((prop, budget, run))
    report = render_report(runs, seed, args.examples, time.perf_counter() - started,
                           args.property)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {args.out}", file=sys.stderr)
    return 0 if all(run.passed for _, _, run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
