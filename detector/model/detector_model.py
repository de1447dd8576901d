"""The fitted detector: its stages, members and threshold."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Sequence

import numpy as np

from detector.errors import ModelError
from detector.model.arrays import scoring_form
from detector.model.char_ngrams import CharNgramScorer
from detector.model.context import context_alone, context_matrix, logit, rescale, sigmoid
from detector.model.members import RoundTripMember, combine
from detector.model.threads import one_openmp_thread
from detector.model.trust import safe_loads
from detector.segment.typography import normalize_typography

__all__ = ["DetectorModel", "ReferenceStage"]


CHARS_FAMILY = "chars"


@dataclass(frozen=True)
class ReferenceStage:
    """The reference stage, used only when a reference is given: ``source``
    decides whether a candidate is a paragraph's source, ``spin`` whether the
    paragraph was spun from it; ``threshold`` is the spin probability at which
    a paragraph is flagged. Both read the alignment columns
    (``detector.reference.features.NAMES``).

    In a model file the two classifiers are a nested skops blob (``packed``),
    checked and loaded on first use, so scoring without a reference does not
    pay for loading them.
    """

    threshold: float
    source_model: Any = None
    spin_model: Any = None
    packed: bytes | None = field(default=None, repr=False, compare=False)
    origin: str = field(default="", compare=False)
    #: The scikit-learn version ``packed`` was written with ("" if unknown).
    built_with: str = field(default="", compare=False)

    @cached_property
    def models(self) -> tuple[Any, Any]:
        """The (source, spin) classifiers, loaded from ``packed`` when needed."""
        if self.packed is None:
            return self.source_model, self.spin_model
        import sklearn

        if self.built_with and self.built_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
            raise ModelError(f"{self.origin}: its reference stage was built with scikit-learn "
                             f"{self.built_with}, but {sklearn.__version__} is installed; "
                             "install a matching scikit-learn or retrain the model")
        state = safe_loads(self.packed, f"{self.origin} (reference stage)")
        if not isinstance(state, dict) or not all(
                hasattr(state.get(k), "predict_proba") for k in ("source", "spin")):
            raise ModelError(f"{self.origin}: its reference stage is not a pair of classifiers")
        return state["source"], state["spin"]

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """P(the candidate is the source) and P(spun | it is), per row."""
        if len(X) == 0:
            return np.zeros(0), np.zeros(0)
        source, spin = self._scoring_models
        return source.predict_proba(X)[:, 1], spin.predict_proba(X)[:, 1]

    @cached_property
    def _scoring_models(self) -> tuple[Any, Any]:
        """The classifiers in the form scoring uses (:mod:`detector.model.arrays`)."""
        return scoring_form(self.models[0]), scoring_form(self.models[1])

    def pack(self) -> bytes:
        """The two classifiers as a skops blob (what a model file stores)."""
        if self.packed is not None:
            return self.packed
        import skops.io as sio

        source, spin = self.models
        return sio.dumps({"source": source, "spin": spin})


@dataclass(frozen=True)
class DetectorModel:
    """A fitted detector: both stages, their column names, threshold and metadata.

    ``paragraph`` scores the intrinsic feature columns; ``chars`` (optional)
    scores the typography-normalised paragraph text with learned character
    n-grams; ``context`` combines both with the document context.
    ``roundtrip`` and ``spin`` are the optional members, each OR'd with the
    stages on the model's scale.
    """

    paragraph: Any
    chars: Any
    context: Any
    feature_names: tuple[str, ...]
    threshold: float
    clean_mean: np.ndarray
    clean_scale: np.ndarray
    direction: np.ndarray
    families: tuple[str, ...] | None = None
    reference: ReferenceStage | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    roundtrip: RoundTripMember | None = None
    spin: RoundTripMember | None = None

    def reference_scores(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For alignment rows: P(the candidate is the source), and the probability
        of 'mangled' on the scale of the model's threshold (the reference stage's
        own threshold maps onto it, so one threshold serves both modes)."""
        if self.reference is None:
            raise ModelError("this model has no reference stage; retrain it with "
                             "`python -m training.build_default` or use the default model")
        with one_openmp_thread():
            source, spin = self.reference.predict(X)
        return source, rescale(spin, self.reference.threshold, self.threshold)

    def stage1_logits(self, X: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Stage-1 log-odds of 'mangled' from the features and from the characters."""
        if len(X) == 0:
            return np.zeros(0), np.zeros(0)
        zf = logit(self._scoring_paragraph.predict_proba(X)[:, 1])
        if self.chars is None:
            return zf, np.zeros(len(zf))
        if self._chars_scorer is not None:
            decision = self._chars_scorer.decision_function(
                [normalize_typography(t) for t in texts])
            return zf, logit(sigmoid(decision))
        # In chunks: the n-gram matrix of a 10,000-paragraph file is ~250 MB at once.
        zc = np.concatenate([
            logit(self.chars.predict_proba(
                [normalize_typography(t) for t in texts[start:start + _CHARS_CHUNK]])[:, 1])
            for start in range(0, len(texts), _CHARS_CHUNK)
        ])
        return zf, zc

    @cached_property
    def _scoring_paragraph(self) -> Any:
        """The paragraph stage in the form scoring uses (:mod:`detector.model.arrays`)."""
        return scoring_form(self.paragraph)

    @cached_property
    def _scoring_context(self) -> Any:
        """The context stage in the form scoring uses."""
        return scoring_form(self.context)

    @cached_property
    def _chars_scorer(self) -> CharNgramScorer | None:
        """The numpy scorer of the character stage, when it can reproduce it."""
        if isinstance(self.chars, CharNgramScorer):
            return self.chars
        if self.chars is None or not CharNgramScorer.supports(self.chars):
            return None
        return CharNgramScorer(self.chars)

    def predict_proba(
        self,
        X: np.ndarray,
        texts: Sequence[str],
        document_rows: np.ndarray,
        doc_index: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Final probability of 'mangled' and the paragraph-alone probability
        (the same paragraph with no other paragraphs around it); with
        members, the highest of all on one scale."""
        final, alone, _, _ = self.predict_scores(X, texts, document_rows, doc_index)
        return final, alone

    def predict_scores(
        self,
        X: np.ndarray,
        texts: Sequence[str],
        document_rows: np.ndarray,
        doc_index: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """As :meth:`predict_proba`, plus the round-trip member's and the spin
        member's own scores in document on the model's scale (zeros without
        the member), so a reason can say which member flagged a paragraph."""
        zf, zc = self.stage1_logits(X, texts)
        if len(zf) == 0:
            return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
        context = context_matrix(zf, zc, document_rows, doc_index)
        alone = context_alone(context)
        with one_openmp_thread():
            final = self._scoring_context.predict_proba(context)[:, 1]
            final_alone = self._scoring_context.predict_proba(alone)[:, 1]
            mapped = []
            for member in (self.roundtrip, self.spin):
                if member is None:
                    mapped.append(np.zeros(len(final)))
                    continue
                p, p_alone = member.probabilities(X, document_rows, doc_index)
                final = combine(final, p, self.threshold, member.threshold)
                final_alone = combine(final_alone, p_alone, self.threshold, member.threshold)
                mapped.append(rescale(p, member.threshold, self.threshold))
        return final, final_alone, mapped[0], mapped[1]

    def strongest_features(self, row: np.ndarray, k: int = 2) -> list[tuple[str, float]]:
        """The k features of a row that lie furthest from clean text, towards 'mangled'."""
        z = (row - self.clean_mean) / self.clean_scale * self.direction
        order = np.argsort(-z)[:k]
        return [(self.feature_names[i], float(z[i])) for i in order if z[i] > 1.0]


_CHARS_CHUNK = 1024


def dense_families(families: Sequence[str] | None) -> list[str] | None:
    """The families computed by the FeatureExtractor (all but the learned 'chars')."""
    if families is None:
        return None
    return [f for f in families if f != CHARS_FAMILY]
