"""Build the shipped default model: ``python -m training.build_default``.

Reproducible with a fixed seed. ``--without-seeds`` leaves the seed pair out
(the seeds then measure the model as unseen data).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dataclasses import replace

from detector.fitting import TrainingMatrix, featurize, fit_detector, progress_bar
from detector.model import DetectorModel, default_model_path, save_model
from detector.reference_fitting import featurize_cases, fit_reference_stage
from detector.roundtrip_fitting import ROUNDTRIP_TARGET_FPR, fit_roundtrip_member

from .recipe import (DEFAULT_TARGET_FPR, Recipe, build_documents, build_reference_cases,
                     native_clean_rows, roundtrip_rows, summarize)


def fit_recipe_model(data: TrainingMatrix, *, seed: int = 0,
                     target_fpr: float = DEFAULT_TARGET_FPR,
                     metadata: dict | None = None) -> DetectorModel:
    """The main stages on the recipe's main rows and, when the data hold round
    trips, the round-trip member on its rows (``recipe.roundtrip_rows``)."""
    main_rows, member_rows = roundtrip_rows(data.sources, data.y)
    model = fit_detector(data.take(main_rows), seed=seed, target_fpr=target_fpr,
                         metadata=metadata)
    if not data.y[member_rows & ~main_rows].any():  # no round trip in the data
        return model
    member_data = data.take(member_rows)
    member, report = fit_roundtrip_member(
        member_data, native_clean_rows(member_data.sources), seed=seed,
        target_fpr=ROUNDTRIP_TARGET_FPR)
    sys.stderr.write(
        f"round-trip member: {report['n_paragraphs']} paragraphs; grouped CV ROC-AUC "
        f"{report['cv']['final']['roc_auc']:.4f}; threshold {member.threshold:.3f}\n")
    return replace(model, roundtrip=member,
                   metadata={**model.metadata, "roundtrip": {"training": report}})


def main(argv: list[str] | None = None) -> int:
    """Build the model and write it with its metadata."""
    parser = argparse.ArgumentParser(prog="python -m training.build_default")
    parser.add_argument("-o", "--output", type=Path, default=default_model_path())
    parser.add_argument("--without-seeds", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target-fpr", type=float, default=DEFAULT_TARGET_FPR)
    parser.add_argument("--years", default="2021,2023")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-roundtrip", action="store_true",
                        help="leave out the round-trip member and its Apertium training data")
    args = parser.parse_args(argv)

    recipe = Recipe(
        years=tuple(int(y) for y in args.years.split(",")),
        include_seeds=not args.without_seeds,
        seed=args.seed,
        roundtrip=not args.no_roundtrip,
    )
    started = time.time()
    documents = build_documents(recipe)
    data = featurize(documents, progress=progress_bar("features"), n_jobs=args.jobs)
    sys.stderr.write(f"{len(data.y)} paragraphs featurized in {time.time() - started:.0f} s\n")
    model = fit_recipe_model(data, seed=args.seed, target_fpr=args.target_fpr, metadata={
        "training": {
            "recipe": {
                "years": list(recipe.years),
                "wmt_files": list(recipe.wmt_files),
                "simulated": recipe.simulate,
                "seed_pair": recipe.include_seeds,
                "roundtrip": recipe.roundtrip,
            },
            "paragraphs_by_source": summarize(documents),
        }})
    cases = build_reference_cases(recipe)
    matrix = featurize_cases(cases, n_jobs=args.jobs)
    stage, report = fit_reference_stage(matrix, seed=args.seed)
    kinds: dict[str, int] = {}
    for case in cases:
        kinds[case.kind] = kinds.get(case.kind, 0) + len(case.paragraphs)
    metadata = dict(model.metadata)
    metadata["reference"] = {"training": {**report, "paragraphs_by_kind": kinds}}
    model = replace(model, reference=stage, metadata=metadata)
    sys.stderr.write(
        f"reference stage: {len(matrix.y)} matched paragraphs; grouped CV source ROC-AUC "
        f"{report['source']['roc_auc']:.4f}, spin ROC-AUC {report['spin']['roc_auc']:.4f}\n")
    path = save_model(model, args.output)
    cv = model.metadata["training"]["cv"]
    final = cv.get("final", {})
    sys.stderr.write(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.time() - started:.0f} s; "
        f"threshold {model.threshold:.3f}; grouped CV ROC-AUC {final.get('roc_auc')}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
