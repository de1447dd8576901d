"""Fit a model on a featurized recipe: the main stages on the main rows and,
when the data hold round trips, the round-trip member on its own rows.
Shared by ``training.build_default`` and the benchmarks that refit the recipe."""

from __future__ import annotations

import sys
from dataclasses import replace

from detector.fitting import TrainingMatrix, fit_detector
from detector.model import DetectorModel
from detector.roundtrip_fitting import ROUNDTRIP_TARGET_FPR, fit_roundtrip_member

from .recipe import DEFAULT_TARGET_FPR, native_clean_rows, roundtrip_rows

__all__ = ["fit_recipe_model"]


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
