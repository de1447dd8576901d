"""Real machine-translation round trips and an unseen spinner on held-out native English.

    python -m benchmarks.roundtrip [--model PATH] [--jobs 2] [--no-baseline] [--limit N]
        [--out benchmarks/out/roundtrip.md]

The held-out documents of every native corpus (``training.recipe.held_out_native``:
Lee, Wikipedia, the original English of WMT 2021 and 2023; no model built by
the recipe saw them or a copy of them) are copied whole, every paragraph, four
ways none of which is ever trained on: a round trip through Apertium's
Galician, Esperanto and Serbo-Croatian (``training.roundtrip.HELD_OUT_PIVOTS``,
the chain ``eng -> pivot -> eng``), and the WordNet spinner
(``training.wordnet_spin``, one seeded ``random.Random`` per document).
Positives are the copies, negatives the same documents unmodified. Each
document is scored as ``score_many`` scores it (paragraphs in document
context, as a user sees them), and each paragraph again as a one-paragraph
document (alone).

Beside it, a character n-gram baseline (``benchmarks.cross_year.baseline_model``)
fitted in the same run on the rows the model's members are trained on
(``training.recipe.roundtrip_rows`` and ``spin_rows``), its threshold set in-sample so that
:data:`BASELINE_FPR` of the native clean training paragraphs score above it.
"""

from __future__ import annotations

import argparse
import random
import shlex
import sys
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from benchmarks.baselines import baseline_scores, machine
from detector.fit.metrics import binary_metrics, threshold_for_fpr

KINDS = ("glg", "epo", "hbs", "wordnet")
SEED = 20261202
BASELINE_FPR = 0.015
CHUNK = 64  # documents per scoring task
Document = tuple[str, str, list[str]]  # corpus, key, paragraphs
ChunkResult = list[tuple[float | None, bool, list[tuple[float | None, bool]]]]


@dataclass(frozen=True)
class Scores:
    """One set of documents scored: a row per paragraph (NaN where skipped), one per document."""

    in_doc: np.ndarray
    in_doc_flagged: np.ndarray
    alone: np.ndarray
    alone_flagged: np.ndarray
    doc: np.ndarray
    doc_flagged: np.ndarray
    baseline: np.ndarray | None


def held_out_documents(limit: int | None) -> list[Document]:
    """The held-out native documents with paragraphs, at most ``limit`` per corpus."""
    from training.recipe import Recipe, held_out_native

    return [(corpus, key, list(doc)) for corpus, documents in held_out_native(Recipe()).items()
            for key, doc in documents[:limit] if doc]


def make_copies(documents: Sequence[Document], kind: str) -> list[list[str]]:
    """Whole-document copies: a round trip through pivot ``kind`` (one Apertium batch
    for all documents) or, for "wordnet", the WordNet spinner seeded per document."""
    texts = [paragraphs for _, _, paragraphs in documents]
    if kind == "wordnet":
        from training.wordnet_spin import load_wordnet, wordnet_spin_document

        wordnet = load_wordnet()
        return [wordnet_spin_document(paragraphs, random.Random(f"{SEED}:{key}"), wordnet)
                for _, key, paragraphs in documents]
    from training.roundtrip import RoundTripper
    from training.roundtrip_copies import CopyPlan, apply_plans

    plans = [CopyPlan(("eng", kind, "eng"), ("trip",) * len(p)) for p in texts]
    return apply_plans(texts, plans, RoundTripper(), random.Random(SEED), None)


@lru_cache(maxsize=2)
def _model(model_path: str | None) -> Any:
    from detector.model.persistence import load_model

    return load_model(model_path)


def score_chunk(documents: list[list[str]], model_path: str | None) -> ChunkResult:
    """Score paragraph lists as documents (segmented as ``detector.fit.training_matrix`` segments
    them) with one ``score_many`` call: per document its score, flag and
    (score, flag) per paragraph. Runs in a worker process."""
    from detector.fit.training_matrix import paragraph_segments
    from detector.score.document import score_many

    results = score_many([paragraph_segments(doc) for doc in documents], model=_model(model_path))
    return [(r.score, r.flagged, [(p.score, p.flagged) for p in r.paragraphs]) for r in results]


def _tasks(documents: Sequence[list[str]]) -> list[list[list[str]]]:
    """Chunks of documents in document context, then of every paragraph alone."""
    alone = [[p] for doc in documents for p in doc]
    return ([list(documents[i:i + CHUNK]) for i in range(0, len(documents), CHUNK)]
            + [alone[i:i + CHUNK * 4] for i in range(0, len(alone), CHUNK * 4)])


def score_sets(sets: dict[str, list[list[str]]], model_path: str | None,
               jobs: int) -> dict[str, Scores]:
    """Every set scored in document context and alone, chunks spread over ``jobs`` processes."""
    from joblib import Parallel, delayed

    # The worker by its module name: run as __main__, it would be pickled by
    # value without the model cache it reads.
    from benchmarks.roundtrip import score_chunk as worker

    tasks = {name: _tasks(docs) for name, docs in sets.items()}
    flat = [chunk for chunks in tasks.values() for chunk in chunks]
    done = iter(Parallel(n_jobs=jobs)(delayed(worker)(c, model_path) for c in flat))
    out = {}
    for name, docs in sets.items():
        results = [r for _ in tasks[name] for r in next(done)]
        in_doc, alone = results[:len(docs)], results[len(docs):]
        paragraphs = [p for _, _, ps in in_doc for p in ps]
        out[name] = Scores(_nan([s for s, _ in paragraphs]), np.array([f for _, f in paragraphs]),
                           _nan([r[2][0][0] for r in alone]), np.array([r[2][0][1] for r in alone]),
                           _nan([r[0] for r in in_doc]), np.array([r[1] for r in in_doc]), None)
    return out


def _nan(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def fit_baseline() -> tuple[Any, float, int, int]:
    """char-LR on the members' training rows (round-trip and spin); its threshold
    (in-sample, :data:`BASELINE_FPR` on native clean rows); the rows and clean
    rows counted."""
    from benchmarks.cross_year import baseline_model
    from training.recipe import (Recipe, build_documents, native_clean_rows, roundtrip_rows,
                                 spin_rows)

    documents = build_documents(Recipe())
    texts = np.array([p for d in documents for p in d.paragraphs], dtype=object)
    labels = np.array([label for d in documents for label in d.labels], dtype=int)
    sources = np.array([d.source for d in documents for _ in d.paragraphs])
    rows = roundtrip_rows(sources, labels)[1] | spin_rows(sources)
    model = baseline_model(list(texts[rows]), labels[rows])
    clean = rows & native_clean_rows(sources) & (labels == 0)
    scores = baseline_scores(model, list(texts[clean]))
    cut = threshold_for_fpr(scores, np.zeros(len(scores)), BASELINE_FPR)
    return model, cut, int(rows.sum()), int(clean.sum())


def _f(value: float | None) -> str:
    return "-" if value is None or np.isnan(value) else f"{value:.3f}"


def roc_auc(positive: np.ndarray, negative: np.ndarray) -> float | None:
    """ROC-AUC of positive against negative scores, skipped (NaN) rows left out."""
    positive, negative = positive[~np.isnan(positive)], negative[~np.isnan(negative)]
    y = np.r_[np.ones(len(positive)), np.zeros(len(negative))]
    return binary_metrics(y, np.r_[positive, negative], 0.5)["roc_auc"]


def _share(flags: np.ndarray, scores: np.ndarray) -> float | None:
    """Share of the scored rows that are flagged."""
    scored = ~np.isnan(scores)
    return float(np.mean(flags[scored])) if scored.any() else None


def _kind_cells(copy: Scores, clean: Scores, para: np.ndarray, doc: np.ndarray | None,
                cut: float | None) -> list[str]:
    """ROC-AUC and recall cells of one kind on the paragraphs ``para`` (and documents ``doc``)."""
    cells = [_f(roc_auc(copy.in_doc[para], clean.in_doc[para])),
             _f(roc_auc(copy.alone[para], clean.alone[para])),
             _f(_share(copy.in_doc_flagged[para], copy.in_doc[para])),
             _f(_share(copy.alone_flagged[para], copy.alone[para]))]
    if doc is not None:
        cells += [_f(roc_auc(copy.doc[doc], clean.doc[doc])),
                  _f(_share(copy.doc_flagged[doc], copy.doc[doc]))]
    if copy.baseline is not None and clean.baseline is not None and cut is not None:
        cells += [_f(roc_auc(copy.baseline[para], clean.baseline[para])),
                  _f(float(np.mean(copy.baseline[para] >= cut)))]
    return cells


def report(documents: Sequence[Document], copies: dict[str, list[list[str]]],
           scores: dict[str, Scores], cut: float | None) -> list[str]:
    """The Markdown tables: held-out data, clean side, per kind, per kind and corpus."""
    corpora = list(dict.fromkeys(c for c, _, _ in documents))
    para_corpus = np.array([c for c, _, doc in documents for _ in doc])
    doc_corpus = np.array([c for c, _, _ in documents])
    clean = scores["clean"]
    base = cut is not None
    lines = ["## Held-out native documents", "", "| corpus | documents | paragraphs | characters |",
             "|---|---|---|---|"]
    for corpus in corpora + ["all"]:
        docs = [d for c, _, d in documents if corpus in (c, "all")]
        lines.append(f"| {corpus} | {len(docs)} | {sum(map(len, docs))} | "
                     f"{sum(len(p) for d in docs for p in d):,} |")
    lines += ["", "## Clean side: flagged share of the unmodified documents", "",
              "| corpus | paragraphs flagged, in document | paragraphs flagged, alone | "
              "documents flagged |" + (" char-LR paragraphs flagged |" if base else ""),
              "|---|---|---|---|" + ("---|" if base else "")]
    for corpus in corpora + ["all"]:
        para = (para_corpus == corpus) | (corpus == "all")
        doc = (doc_corpus == corpus) | (corpus == "all")
        row = [_f(_share(clean.in_doc_flagged[para], clean.in_doc[para])),
               _f(_share(clean.alone_flagged[para], clean.alone[para])),
               _f(_share(clean.doc_flagged[doc], clean.doc[doc]))]
        if base:
            row.append(_f(float(np.mean(clean.baseline[para] >= cut))))
        lines.append(f"| {corpus} | " + " | ".join(row) + " |")
    head = "ROC-AUC in document | ROC-AUC alone | recall in document | recall alone"
    tail = " | char-LR ROC-AUC | char-LR recall" if base else ""
    lines += ["", "## Per kind, all corpora (paragraphs unless it says documents)", "",
              f"| kind | copies | paragraphs | unchanged paragraphs | {head} | document ROC-AUC | "
              f"document recall{tail} |", "|---|---|---|---|" + "---|" * (6 + 2 * base)]
    every = np.ones(len(para_corpus), bool)
    originals = [p for _, _, doc in documents for p in doc]
    for kind in KINDS:
        unchanged = sum(a == b for a, b in zip((p for d in copies[kind] for p in d), originals))
        lines.append(f"| {kind} | {len(copies[kind])} | {len(originals)} | {unchanged} | "
                     + " | ".join(_kind_cells(scores[kind], clean, every,
                                              np.ones(len(doc_corpus), bool), cut)) + " |")
    lines += ["", "## Per kind and corpus (paragraphs)", "",
              f"| corpus | kind | paragraphs | {head}{tail} |",
              "|---|---|---|" + "---|" * (4 + 2 * base)]
    for corpus in corpora:
        para = para_corpus == corpus
        for kind in KINDS:
            lines.append(f"| {corpus} | {kind} | {int(para.sum())} | "
                         + " | ".join(_kind_cells(scores[kind], clean, para, None, cut)) + " |")
    return lines


def _notes(threshold: float, baseline: tuple[float, int, int] | None) -> list[str]:
    lines = ["", "Notes: positives are the copies' paragraphs (documents), negatives the same "
             "held-out documents unmodified. Recall is the flagged share of the copies at the "
             f"model's threshold ({threshold:.4f}). In document: each "
             "document scored whole by `score_many`; alone: each paragraph as a one-paragraph "
             "document. Unchanged paragraphs: copies identical to their original (still "
             "counted as positives)."]
    if baseline is not None:
        cut, rows, clean = baseline
        lines.append(
            f"char-LR: `benchmarks.cross_year.baseline_model` fitted in this run on the {rows} "
            f"paragraphs of the members' rows (`roundtrip_rows`, `spin_rows`); threshold {cut:.4f} "
            f"set in-sample so that {BASELINE_FPR:.1%} of its {clean} native clean training "
            "paragraphs score above it (in-sample, so its clean training FPR is optimistic; "
            "the clean-side column above is out of sample). It scores each paragraph alone.")
    return lines


def run(model_path: str | None, jobs: int, with_baseline: bool, limit: int | None) -> list[str]:
    """Build the copies, score them, fit the baseline; return the Markdown report."""
    from detector.model.persistence import default_model_path, load_model

    timings: list[str] = []
    started = time.time()
    documents = held_out_documents(limit)
    copies = {kind: make_copies(documents, kind) for kind in KINDS}
    timings.append(f"held-out documents and copies: {time.time() - started:.0f} s")
    step = time.time()
    sets = {"clean": [doc for _, _, doc in documents], **copies}
    scores = score_sets(sets, model_path, jobs)
    timings.append(f"scoring ({jobs} jobs): {time.time() - step:.0f} s")
    baseline = None
    if with_baseline:
        step = time.time()
        fitted, cut, rows, clean = fit_baseline()
        scores = {name: replace(s, baseline=baseline_scores(fitted, [p for d in sets[name] for p in d]))
                  for name, s in scores.items()}
        baseline = (cut, rows, clean)
        timings.append(f"char-LR baseline (build_documents, fit, score): {time.time() - step:.0f} s")
    threshold = load_model(model_path).threshold
    lines = [f"Model: `{model_path or default_model_path()}`, threshold {threshold:.4f}.", ""]
    lines += report(documents, copies, scores, baseline[0] if baseline else None)
    lines += _notes(threshold, baseline)
    timings.append(f"total: {time.time() - started:.0f} s")
    return lines + ["", "Timing: " + "; ".join(timings) + "."]


def main() -> None:
    """Parse arguments, run, print the report and write it to --out."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.roundtrip")
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    parser.add_argument("--jobs", type=int, default=2, help="scoring processes")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the char-LR baseline (it rebuilds the training recipe)")
    parser.add_argument("--limit", type=int, default=None,
                        help="at most this many held-out documents per corpus (smoke runs)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/roundtrip.md"))
    args = parser.parse_args()

    command = shlex.join(["python", "-m", "benchmarks.roundtrip", *sys.argv[1:]])
    lines = ["# Round trips and an unseen spinner on held-out native English", "",
             f"Command: `{command}`", "", f"Machine: {machine()}. Run started "
             f"{time.strftime('%Y-%m-%d %H:%M')}.", ""]
    lines += run(args.model, args.jobs, not args.no_baseline, args.limit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
