"""Fitting the context stage, with rows only it learns from.

The context stage weighs two stage-1 members (the feature columns' log-odds
and the character n-grams' log-odds) beside the evidence of the other
paragraphs. Context-only rows (native English of kinds the paragraph stages
never see: transcripts, posts, reviews) are all clean and have no mangled
counterpart. Fitted with everything else, they teach the stage to distrust
whichever member fires on an unfamiliar register, the character member most
(it learnt translated English as 'clean'), and that member is the one that
carries best to MT systems the model was not trained on. So how far to trust
each member (their balance) is learned from the labelled pairs alone; the
context-only rows then fit how strongly the balanced paragraph log-odds, the
other paragraphs and the document columns count, with that balance held.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from detector.model.context import CONTEXT_FEATURES

__all__ = ["ContextOnly", "MEMBER_COLUMNS", "fit_context_stage"]


# The columns of the context matrix that hold the stage-1 members' log-odds.
MEMBER_COLUMNS = (CONTEXT_FEATURES.index("ctx.features_logit"),
                  CONTEXT_FEATURES.index("ctx.chars_logit"))
# The other columns, in order.
_OTHER_COLUMNS = [j for j in range(len(CONTEXT_FEATURES)) if j not in MEMBER_COLUMNS]


@dataclass(frozen=True)
class ContextOnly:
    """Rows only the context stage learns from: their context columns (from
    stage-1 models that never saw them), labels and weights."""

    C: np.ndarray
    y: np.ndarray
    weights: np.ndarray

    def with_rows(self, C: np.ndarray, y: np.ndarray,
                  weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Other rows with these added after them."""
        return (np.vstack([C, self.C]), np.concatenate([y, self.y]),
                np.concatenate([weights, self.weights]))


def fit_context_stage(estimator: Any, C: np.ndarray, y: np.ndarray, weights: np.ndarray,
                      extra: ContextOnly | None = None) -> Any:
    """A clone of ``estimator`` fitted on the labelled context rows ``C`` and
    the context-only rows ``extra``; the members' balance comes from ``C``
    alone (see the module docstring). A linear estimator (one with ``coef_``)
    is returned as one of its kind over every column of the context matrix;
    any other is fitted on all rows as they are."""
    from sklearn.base import clone

    if extra is None or len(extra.y) == 0:
        return clone(estimator).fit(C, y, sample_weight=weights)
    labelled = clone(estimator).fit(C, y, sample_weight=weights)
    C_all, y_all, w_all = extra.with_rows(C, y, weights)
    balance = _member_balance(labelled)
    if balance is None:
        return clone(estimator).fit(C_all, y_all, sample_weight=w_all)
    reduced = clone(estimator).fit(_balanced(C_all, balance), y_all, sample_weight=w_all)
    return _expanded(reduced, balance)


def _member_balance(labelled: Any) -> np.ndarray | None:
    """The members' weights of a linear fit, scaled to sum to 1; None when the
    estimator is not linear or the weights do not both lean towards
    'mangled' (no balance to hold)."""
    coef = getattr(labelled, "coef_", None)
    if coef is None:
        return None
    members = np.asarray(coef, dtype=np.float64)[0, list(MEMBER_COLUMNS)]
    if np.any(members < 0) or members.sum() <= 0:
        return None
    return members / members.sum()


def _balanced(C: np.ndarray, balance: np.ndarray) -> np.ndarray:
    """The context matrix with the members' columns replaced by one column,
    their balanced sum, first."""
    return np.column_stack([C[:, list(MEMBER_COLUMNS)] @ balance, C[:, _OTHER_COLUMNS]])


def _expanded(reduced: Any, balance: np.ndarray) -> Any:
    """The linear fit on the balanced matrix as the same model over every
    column: the balanced column's weight shared out by ``balance``."""
    coef = np.asarray(reduced.coef_, dtype=np.float64)[0]
    full = np.zeros(len(CONTEXT_FEATURES))
    full[list(MEMBER_COLUMNS)] = coef[0] * balance
    full[_OTHER_COLUMNS] = coef[1:]
    model = copy.deepcopy(reduced)
    model.coef_ = full[None, :]
    model.n_features_in_ = len(full)
    return model
