"""Fit a model on a featurized recipe: the main stages on the main rows and,
when the data hold round trips or spin-only copies, the round-trip member and
the spin member on their own rows.
Shared by ``training.build_default`` and the benchmarks that refit the recipe."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np

from detector.fit.detector_fitting import fit_detector

from detector.fit.training_matrix import TrainingMatrix
from detector.model.detector_model import DetectorModel
from detector.fit.members import ROUNDTRIP_TARGET_FPR, fit_roundtrip_member
from detector.model.members import RoundTripMember

from .recipe import DEFAULT_TARGET_FPR, native_clean_rows, roundtrip_rows, spin_rows
from .sources import SPUN

__all__ = ["balance_context_native", "context_native_rows", "fit_recipe_model"]


def fit_recipe_model(data: TrainingMatrix, *, seed: int = 0,
                     target_fpr: float = DEFAULT_TARGET_FPR,
                     metadata: dict | None = None,
                     context_native: bool = True) -> DetectorModel:
    """The main stages on the recipe's main rows; when the data hold round
    trips, the round-trip member on its rows (``recipe.roundtrip_rows``); when
    they hold spin-only copies (``recipe.Recipe.spin_member``), the spin member
    on native English against every simulated copy (``recipe.spin_rows``).
    Both members hold their thresholds at ``ROUNDTRIP_TARGET_FPR`` of native
    clean paragraphs, out of fold.

    With ``context_native``, the native English the main stages do not see
    (the WMT original English: news, social posts, meeting transcripts) is
    given to their context stage alone (:func:`context_native_rows`)."""
    main_rows, member_rows = roundtrip_rows(data.sources, data.y)
    context_rows = context_native_rows(data.sources, main_rows) if context_native \
        else np.zeros(len(data.y), dtype=bool)
    rows = main_rows | context_rows
    balanced = balance_context_native(data, main_rows, context_rows)
    model = fit_detector(balanced.take(rows), seed=seed, target_fpr=target_fpr,
                         metadata=metadata, context_only=context_rows[rows])
    if data.y[member_rows & ~main_rows].any():  # round trips in the data
        member, report = _fit_member(data.take(member_rows), seed, "round-trip member")
        model = replace(model, roundtrip=member,
                        metadata={**model.metadata, "roundtrip": {"training": report}})
    if np.char.endswith(data.sources.astype(str), SPUN).any():
        member, report = _fit_member(data.take(spin_rows(data.sources)), seed, "spin member")
        model = replace(model, spin=member,
                        metadata={**model.metadata, "spin": {"training": report}})
    return model


def context_native_rows(sources: np.ndarray, main_rows: np.ndarray) -> np.ndarray:
    """Native English documents (clean) that the main stages' paragraph stages
    do not see: their context stage learns from them that a whole document of
    an unfamiliar kind (transcripts, chat, reviews), every paragraph a little
    unusual, is not therefore mangled."""
    return native_clean_rows(sources) & ~np.asarray(main_rows, dtype=bool)


def balance_context_native(data: TrainingMatrix, main_rows: np.ndarray,
                           context_rows: np.ndarray) -> TrainingMatrix:
    """The data with the context-only rows weighted so that, together, they
    weigh as much as all clean rows of the main stages (as
    ``recipe.balance_real_mt`` makes real MT weigh as much as the rest)."""
    if not context_rows.any():
        return data
    clean = float(data.weights[main_rows & (data.y == 0)].sum())
    weights = data.weights.copy()
    weights[context_rows] = clean / int(context_rows.sum())
    return replace(data, weights=weights)


def _fit_member(rows: TrainingMatrix, seed: int, name: str) -> tuple[RoundTripMember, dict]:
    member, report = fit_roundtrip_member(rows, native_clean_rows(rows.sources), seed=seed,
                                          target_fpr=ROUNDTRIP_TARGET_FPR)
    sys.stderr.write(
        f"{name}: {report['n_paragraphs']} paragraphs; grouped CV ROC-AUC "
        f"{report['cv']['final']['roc_auc']:.4f}; threshold {member.threshold:.3f}\n")
    return member, report
