"""Build the shipped default model: ``python -m training.build_default``.

Reproducible with a fixed seed. The seed pair is left out, so the seeds
measure the shipped model as text it has never seen; ``--with-seeds`` adds it.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from detector.fit.progress import progress_bar

from detector.fit.training_matrix import featurize
from detector.model.persistence import default_model_path, save_model
from detector.fit.reference_stage import featurize_cases, fit_reference_stage

from .fit import fit_recipe_model
from .recipe import DEFAULT_TARGET_FPR, Recipe, build_documents, build_reference_cases, summarize


def main(argv: list[str] | None = None) -> int:
    """Build the model and write it with its metadata."""
    parser = argparse.ArgumentParser(prog="python -m training.build_default")
    parser.add_argument("-o", "--output", type=Path, default=default_model_path())
    parser.add_argument("--with-seeds", action="store_true",
                        help="also train on the seed pair (the shipped model leaves it out, so "
                             "the seeds measure it as text it has never seen)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target-fpr", type=float, default=DEFAULT_TARGET_FPR)
    parser.add_argument("--years", default="2021,2023")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-roundtrip", action="store_true",
                        help="leave out the round-trip member and its Apertium training data")
    parser.add_argument("--no-spin-member", action="store_true",
                        help="leave out the spin member and its simulated copies of the WMT "
                             "original English")
    parser.add_argument("--no-context-native", action="store_true",
                        help="do not give the native English the main stages do not see (the "
                             "WMT original English) to their context stage")
    parser.add_argument("--spin-original", default="",
                        help="comma-separated WMT original-English corpora (orig21, orig23) the "
                             "main stages also see, beside simulated copies")
    args = parser.parse_args(argv)

    recipe = Recipe(
        years=tuple(int(y) for y in args.years.split(",")),
        include_seeds=args.with_seeds,
        seed=args.seed,
        roundtrip=not args.no_roundtrip,
        spin_original=tuple(name for name in args.spin_original.split(",") if name),
        spin_member=not args.no_spin_member,
    )
    known = {f"orig{str(year)[2:]}" for year in recipe.years}
    if not set(recipe.spin_original) <= known:
        parser.error(f"--spin-original takes {', '.join(sorted(known))}; "
                     f"got {args.spin_original!r}")
    started = time.time()
    documents = build_documents(recipe)
    data = featurize(documents, progress=progress_bar("features"), n_jobs=args.jobs)
    sys.stderr.write(f"{len(data.y)} paragraphs featurized in {time.time() - started:.0f} s\n")
    model = fit_recipe_model(data, seed=args.seed, target_fpr=args.target_fpr,
                             context_native=not args.no_context_native, metadata={
        "training": {
            "recipe": {
                "years": list(recipe.years),
                "wmt_files": list(recipe.wmt_files),
                "simulated": recipe.simulate,
                "seed_pair": recipe.include_seeds,
                "roundtrip": recipe.roundtrip,
                "spin_original": list(recipe.spin_original),
                "spin_member": recipe.spin_member,
                "context_native": not args.no_context_native,
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
