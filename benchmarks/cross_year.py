"""Cross-year quality on ../shared/data/dev, ours beside a character n-gram baseline.

    python -m benchmarks.cross_year [--simulate] [--spin-original orig23]
        [--out benchmarks/out/cross_year.md]

For each direction (2021 -> 2023, 2023 -> 2021) both models are trained on the
same paragraphs of the training year (the balanced paragraph files, plus the
simulated copies of human text with --simulate; ``--spin-original`` as in
``training.build_default``, each name used in the direction that trains on its
year) and scored on every
paragraph-level set of the other year. Both see typography-normalised text
(curly vs straight quotes, '...', '▁'); a typography-only classifier on raw
text shows how much those marks would have leaked. Also prints ROC-AUC per
language pair and per MT system, and the false-positive rate at our threshold
on the other year's human references and on held-out human text.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from detector.score.evaluate import LabelledRecord
from detector.score.evaluate import score_records as evaluate_scores
from detector.fit.metrics import binary_metrics
from detector.score.document import score_many
from detector.segment.typography import normalize_typography
from detector.segment.paragraphs import split_paragraphs
from detector.fit.training_matrix import TrainingMatrix, featurize
from training.fit import fit_recipe_model
from training.datasets import dev_path, wmt_paragraphs
from training.recipe import (DEFAULT_TARGET_FPR, Recipe, build_documents, held_out_human,
                             roundtrip_rows)

SETS = (
    "para", "nodoc_para", "para_balanced", "nodoc_para_balanced", "para_garbled",
    "nodoc_para_garbled",
)
DIRECTIONS = ((2021, 2023), (2023, 2021))
_TYPO = re.compile("[\u2018\u2019\u201c\u201d\u2026\u2581\u00ab\u00bb\u2013\u2014]")


def baseline_model(texts: list[str], y: np.ndarray):  # type: ignore[no-untyped-def]
    """Character 1-4-gram TF-IDF + logistic regression on normalised text."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 4), min_df=2, sublinear_tf=True,
                        max_features=200_000),
        LogisticRegression(C=1.0, max_iter=2000),
    )
    return model.fit([normalize_typography(t) for t in texts], y)


def typography_auc(train: list[dict], test: list[dict]) -> float | None:
    """ROC-AUC of a classifier that sees only typography marks of the raw text."""
    from sklearn.linear_model import LogisticRegression

    def marks(records: list[dict]) -> np.ndarray:
        return np.array([[len(_TYPO.findall(r["text"])) / max(1, len(r["text"]))] +
                         [r["text"].count(c) / max(1, len(r["text"])) for c in "\"'\u2581"]
                         for r in records])

    y_train = np.array([r["label"] == "mangled" for r in train], dtype=int)
    y_test = np.array([r["label"] == "mangled" for r in test], dtype=int)
    model = LogisticRegression(max_iter=1000).fit(marks(train), y_train)
    return binary_metrics(y_test, model.predict_proba(marks(test))[:, 1], 0.5)["roc_auc"]


def training_matrix(train_year: int, simulate: bool, jobs: int,
                    spin_original: tuple[str, ...] = ()) -> TrainingMatrix:
    """The featurised training paragraphs of one year as the recipe builds them
    (balanced paragraph files, simulated copies and the round-trip member's
    data with ``simulate``, seeds left out). Of ``spin_original`` only the
    corpus of the training year is used."""
    own = tuple(name for name in spin_original if name == f"orig{str(train_year)[2:]}")
    recipe = Recipe(years=(train_year,), simulate=simulate, include_seeds=False,
                    roundtrip=simulate, spin_original=own)
    return featurize(build_documents(recipe), n_jobs=jobs)


def labelled_set(year: int, name: str) -> tuple[list[dict], np.ndarray]:
    """The records of one paragraph-level set of a year and their labels (1 = mangled)."""
    records = wmt_paragraphs(dev_path(f"wmt{str(year)[2:]}_xen_{name}.jsonl.gz"))
    return records, np.array([r["label"] == "mangled" for r in records], dtype=int)


def score_records(model, records: list[dict]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Our document score for each record, as `detector evaluate` computes it."""
    return evaluate_scores([LabelledRecord(r["text"], 0) for r in records], model)


def run(simulate: bool, out: Path, jobs: int, spin_original: tuple[str, ...] = ()) -> None:
    """Train both directions, score every set, write the markdown report."""
    lines = [
        "# Cross-year results on ../shared/data/dev",
        "",
        f"Command: `python -m benchmarks.cross_year{' --simulate' if simulate else ''}"
        f"{' --spin-original ' + ','.join(spin_original) if spin_original else ''}`",
        "",
        "| train -> test | set | n | ours ROC-AUC | baseline ROC-AUC | ours F1 | ours FPR |",
        "|---|---|---|---|---|---|---|",
    ]
    detail: list[str] = []
    for train_year, test_year in DIRECTIONS:
        started = time.time()
        data = training_matrix(train_year, simulate, jobs, spin_original)
        model = fit_recipe_model(data, seed=0, target_fpr=DEFAULT_TARGET_FPR)
        # The baseline sees what the main stages see: the round trips would
        # teach it Apertium, not the WMT systems it is measured on.
        main_rows = roundtrip_rows(data.sources, data.y)[0]
        base = baseline_model(list(data.texts[main_rows]), data.y[main_rows])
        sys.stderr.write(f"trained on {train_year} in {time.time() - started:.0f} s\n")
        short = str(test_year)[2:]
        train_records = wmt_paragraphs(dev_path(f"wmt{str(train_year)[2:]}_xen_para_balanced.jsonl.gz"))
        for name in SETS:
            records, y = labelled_set(test_year, name)
            ours = score_records(model, records)
            keep = ~np.isnan(ours)
            theirs = base.predict_proba([normalize_typography(r["text"]) for r in records])[:, 1]
            m_ours = binary_metrics(y[keep], ours[keep], model.threshold)
            m_base = binary_metrics(y, theirs, 0.5)
            lines.append(
                f"| {train_year} -> {test_year} | {name} | {int(keep.sum())} | "
                f"{m_ours['roc_auc']:.3f} | {m_base['roc_auc']:.3f} | "
                f"{m_ours['f1'] or 0:.3f} | {m_ours['fpr'] or 0:.3f} |"
            )
            if name == "para_balanced":
                detail.append(f"\n## {train_year} -> {test_year}, set {name}\n")
                detail.append(
                    f"Typography-only classifier on raw text (what we normalise away): "
                    f"ROC-AUC {typography_auc(train_records, records):.3f}\n"
                )
                straight = score_records(model, [
                    {**r, "text": normalize_typography(r["text"])} for r in records])
                same = np.allclose(np.nan_to_num(straight), np.nan_to_num(ours))
                detail.append(f"Ours on raw vs typography-normalised input: "
                              f"{'identical scores' if same else 'scores differ'}\n")
            if name == "para":
                detail.append(f"\n## {train_year} -> {test_year}, set {name}: per group\n")
                detail.append("| group | n | ours ROC-AUC | baseline ROC-AUC | ours recall |")
                detail.append("|---|---|---|---|---|")
                detail.extend(_per_group(records, y, ours, theirs, keep, model.threshold))
        human = [r for r in wmt_paragraphs(dev_path(f"wmt{short}_xen_para_balanced.jsonl.gz"))
                 if r["label"] == "clean"]
        fpr_refs = np.mean(score_records(model, human) >= model.threshold)
        held = [{"text": "\n\n".join(doc)} for _, doc in held_out_human()]
        held_scores = score_records(model, held)
        fpr_held = _paragraph_fpr(model, held)
        detail.append(
            f"\nFalse positives at threshold {model.threshold:.3f} (model trained on {train_year}): "
            f"{fpr_refs:.3f} of {len(human)} {test_year} human-reference paragraphs flagged; "
            f"{fpr_held:.3f} of the paragraphs of {len(held)} held-out human documents "
            f"(Lee + Wikipedia) flagged; held-out document mean score "
            f"{np.nanmean(held_scores):.3f}.\n"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines + detail) + "\n", encoding="utf-8")
    sys.stdout.write(out.read_text(encoding="utf-8"))


def _paragraph_fpr(model, records: list[dict]) -> float:  # type: ignore[no-untyped-def]
    flagged = total = 0
    results = score_many([split_paragraphs(r["text"]) for r in records], model=model)
    for result in results:
        for paragraph in result.paragraphs:
            if paragraph.score is not None:
                total += 1
                flagged += paragraph.flagged
    return flagged / max(1, total)


def _per_group(records, y, ours, theirs, keep, threshold) -> list[str]:  # type: ignore[no-untyped-def]
    rows = []
    by_pair: dict[str, list[int]] = defaultdict(list)
    by_system: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_pair[r["lang_pair"]].append(i)
        if r["label"] == "mangled":
            by_system[f"{r['lang_pair']} {r['system']}"].append(i)
    human = defaultdict(list)
    for i, r in enumerate(records):
        if r["label"] == "clean":
            human[r["lang_pair"]].append(i)
    groups = [(k, v) for k, v in sorted(by_pair.items())]
    groups += [(k, v + human[k.split()[0]]) for k, v in sorted(by_system.items())]
    for name, idx in groups:
        idx = np.array([i for i in idx if keep[i]])
        m_o = binary_metrics(y[idx], ours[idx], threshold)
        m_b = binary_metrics(y[idx], theirs[idx], 0.5)
        rows.append(f"| {name} | {len(idx)} | {_f(m_o['roc_auc'])} | {_f(m_b['roc_auc'])} | "
                    f"{_f(m_o['recall'])} |")
    return rows


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cross_year")
    parser.add_argument("--simulate", action="store_true",
                        help="add simulated copies of human text to both training sets")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/cross_year.md"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--spin-original", default="",
                        help="comma-separated WMT original-English corpora (orig21, orig23) the "
                             "main stages also see, as in training.build_default")
    args = parser.parse_args()
    names = tuple(name for name in args.spin_original.split(",") if name)
    if not set(names) <= {"orig21", "orig23"}:
        parser.error(f"--spin-original takes orig21, orig23; got {args.spin_original!r}")
    if names and not args.simulate:
        parser.error("--spin-original needs --simulate")
    run(args.simulate, args.out, args.jobs, names)


if __name__ == "__main__":
    main()
