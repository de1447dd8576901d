"""The round-trip member: a second detector for crude machine-translation round trips.

The main stages learn from real neural MT (WMT) and simulated spin; rule-based
round trips, as cheap content farms make them ("Gentleman Macron", "park of
dog"), are far cruder. Trained together, the crude copies taught every stage
that subtle neural MT is clean. So they get their own member, fitted on native
English and WMT references against their Apertium round trips, with its own
threshold held at a small false-positive rate on native English.

The two members are combined by an OR: a paragraph is flagged when either
member flags it. Its score is the higher of the main score and the member's
score mapped onto the main threshold (a shift in log-odds, so the member's own
threshold lands on the model's threshold), which keeps one threshold, and
one scale, for every paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

__all__ = ["RoundTripMember", "combine"]


@dataclass(frozen=True)
class RoundTripMember:
    """``paragraph`` scores the feature columns of one paragraph; ``context``
    combines its log-odds with the document context (the columns of
    :func:`detector.model.context.context_matrix`); ``threshold`` is the member's own
    probability at which a paragraph is flagged."""

    paragraph: Any
    context: Any
    threshold: float

    def probabilities(self, X: np.ndarray, document_rows: np.ndarray,
                      doc_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """P(round trip) of each paragraph in its document, and alone."""
        from detector.model.context import context_alone, context_matrix, logit

        if len(X) == 0:
            return np.zeros(0), np.zeros(0)
        paragraph, context_stage = self._scoring_stages
        z = logit(paragraph.predict_proba(X)[:, 1])
        context = context_matrix(z, z, document_rows, doc_index)
        alone = context_alone(context)
        return (context_stage.predict_proba(context)[:, 1],
                context_stage.predict_proba(alone)[:, 1])

    @cached_property
    def _scoring_stages(self) -> tuple[Any, Any]:
        """Both stages in the form scoring uses (:mod:`detector.model.arrays`)."""
        from detector.model.arrays import scoring_form

        return scoring_form(self.paragraph), scoring_form(self.context)


def combine(main: np.ndarray, member: np.ndarray, main_threshold: float,
            member_threshold: float) -> np.ndarray:
    """The OR of two scores on the main scale: the higher of ``main`` and
    ``member`` shifted in log-odds so that ``member_threshold`` maps onto
    ``main_threshold``."""
    from detector.model.context import rescale

    mapped = rescale(member, member_threshold, main_threshold)
    return np.maximum(np.asarray(main, dtype=np.float64), mapped)
