"""`detector flag` beside the cheapest peers, in the run of :mod:`benchmarks.speed`.

Each measurement is a fresh process pinned to one core (:func:`benchmarks.speed.run_pinned`).

- One article (seed 000) through `detector flag`, whole process: wall time and
  peak memory, beside a script that only imports textstat and computes its
  standard measures (:data:`TEXTSTAT_STANDARD`) for each blank-line
  separated paragraph of the same file. Best of ``repeat`` runs each; the
  detector's compiled resources are in the cache (built beforehand, as
  after the first run of an installation), and one run with an empty cache
  shows what that first run costs.
- Throughput after the first score on the same paragraphs (the prose
  paragraphs `detector flag` scores in the speed corpus): `detector flag`,
  the textstat script, and the character 1-4-gram TF-IDF + logistic
  regression baseline of :mod:`benchmarks.baselines` (fitted beforehand on
  the 2021 balanced paragraph sets of ../shared/data/dev and loaded from
  disk). Throughput = paragraphs / (wall time - time to first score).

Ratios are detector / peer: time per paragraph (or per article) and peak
memory. CPU time (user + system of the measured process) is given beside wall
time: on a machine whose cores other work shares, wall time grows with that
work and CPU time much less.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.baselines import TEXTSTAT_MEASURES

# textstat 0.7.8's English readability measures and the counts they are made of:
# the eleven of benchmarks.baselines.TEXTSTAT_MEASURES (textstat-LR's inputs),
# Linsear Write and text_standard (its consensus grade over the formulas).
TEXTSTAT_STANDARD = (*TEXTSTAT_MEASURES, "linsear_write_formula", "text_standard")

# The textstat-alone script: ``stage`` "first" scores one short paragraph (which
# loads CMUdict), "all" every blank-line separated paragraph of the file.
TEXTSTAT_ALONE = """
import re, sys, textstat
path, stage, first = sys.argv[1], sys.argv[2], sys.argv[3]
if stage == "first":
    texts = [first]
else:
    with open(path, encoding="utf-8") as handle:
        texts = [p for p in re.split(r"\\n\\s*\\n", handle.read()) if p.strip()]
for text in texts:
    print([getattr(textstat, name)(text) for name in {measures!r}])
"""


def textstat_command(path: Path | str, stage: str) -> list[str]:
    """The textstat-alone script for ``path`` at ``stage`` ("first" or "all")."""
    from benchmarks.speed import FIRST_PARAGRAPH

    script = TEXTSTAT_ALONE.format(measures=TEXTSTAT_STANDARD)
    return [sys.executable, "-c", script, str(path), stage, FIRST_PARAGRAPH]


def _best(command: list[str], repeat: int, cpu: str, env: dict[str, str] | None = None
          ) -> tuple[float, float, float]:
    """Of ``repeat`` runs: the lowest wall time, the peak memory of that run
    and the lowest CPU time."""
    from benchmarks.speed import run_measured

    runs = []
    for _ in range(repeat):
        run = run_measured(command, cpu=cpu, env=env)
        if run.code not in (0, 1):  # detector flag exits 1 when it flags something
            raise SystemExit(f"exit code {run.code}: {command[:4]}")
        runs.append(run)
    fastest = min(runs, key=lambda r: r.elapsed)
    return fastest.elapsed, fastest.peak, min(r.cpu_seconds for r in runs)


def one_article(seed: Path, repeat: int, cpu: str) -> list[str]:
    """The markdown rows comparing one article: detector flag against textstat alone."""
    flag = [sys.executable, "-m", "detector", "flag", str(seed)]
    _best(flag, 1, cpu)  # the compiled resources are in the cache from here on
    with tempfile.TemporaryDirectory() as empty:
        cold, cold_peak, _ = _best(flag, 1, cpu, env={"DETECTOR_CACHE_DIR": empty})
    ours, ours_peak, ours_cpu = _best(flag, repeat, cpu)
    theirs, theirs_peak, theirs_cpu = _best(textstat_command(seed, "all"), repeat, cpu)
    return [
        "| one article, whole process | `detector flag` | textstat alone "
        f"({len(TEXTSTAT_STANDARD)} measures per paragraph) | detector / textstat |",
        "|---|---|---|---|",
        f"| wall time, best of {repeat} | {ours:.2f} s | {theirs:.2f} s | {ours / theirs:.2f} |",
        f"| CPU time (user + system), best of {repeat} | {ours_cpu:.2f} s | {theirs_cpu:.2f} s | "
        f"{ours_cpu / theirs_cpu:.2f} |",
        f"| peak memory (max RSS) | {ours_peak:.0f} MB | {theirs_peak:.0f} MB | "
        f"{ours_peak / theirs_peak:.2f} |",
        f"| `detector flag`, first run of an installation (empty resource cache) | "
        f"{cold:.2f} s, {cold_peak:.0f} MB | | |",
    ]


def throughput(prose: list[str], first_score: tuple[float, float], repeat: int, cpu: str,
               tmp: Path) -> list[str]:
    """The markdown rows comparing throughput after the first score on the
    paragraphs ``prose``; ``first_score`` is detector's time to first score
    (wall and CPU seconds). char-LR is left out when ../shared/data/dev, its
    training data, is missing."""
    from benchmarks.baselines import CHILD, train_speed_baseline

    path = tmp / "prose.txt"
    path.write_text("\n\n".join(prose) + "\n", encoding="utf-8")
    flag = [sys.executable, "-m", "detector", "flag", str(path), "--format", "jsonl"]
    rows = {"`detector flag`": (first_score, _best(flag, 1, cpu))}
    peers = {f"textstat alone ({len(TEXTSTAT_STANDARD)} measures)":
             (textstat_command(path, "first"), textstat_command(path, "all"))}
    model = tmp / "chars.joblib"
    try:
        trained_on = train_speed_baseline(model)
    except (FileNotFoundError, OSError) as exc:
        sys.stderr.write(f"char-LR left out: {exc}\n")
    else:
        commands = [[sys.executable, "-c", CHILD.format(kind="chars", stage=stage, path=str(path),
                                                        model=str(model))]
                    for stage in ("first", "all")]
        peers[f"char-LR (char 1-4-gram TF-IDF + LR, fitted on {trained_on} paragraphs)"] = (
            commands[0], commands[1])
    for name, (first_cmd, all_cmd) in peers.items():
        first = _best(first_cmd, repeat, cpu)
        rows[name] = ((first[0], first[2]), _best(all_cmd, 1, cpu))
    n = len(prose)
    wall = [n / max(full[0] - first[0], 1e-9) for first, full in rows.values()]
    cpu_rate = [n / max(full[2] - first[1], 1e-9) for first, full in rows.values()]
    peaks = [full[1] for _, full in rows.values()]

    def row(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    return [
        row(f"{n} paragraphs, one core", list(rows)),
        "|---" * (len(rows) + 1) + "|",
        row(f"time to first score (best of {repeat})", [f"{f[0]:.2f} s" for f, _ in rows.values()]),
        row("wall time", [f"{full[0]:.2f} s" for _, full in rows.values()]),
        row("paragraphs/s after the first score", [f"{v:.0f}" for v in wall]),
        row("time per paragraph, detector / this", [f"{v / wall[0]:.2f}" for v in wall]),
        row("paragraphs per CPU second after the first score", [f"{v:.0f}" for v in cpu_rate]),
        row("CPU time per paragraph, detector / this", [f"{v / cpu_rate[0]:.2f}" for v in cpu_rate]),
        row("peak memory", [f"{p:.0f} MB" for p in peaks]),
        row("peak memory, detector / this", [f"{peaks[0] / p:.2f}" for p in peaks]),
    ]
