"""score_document: paragraphs -> features -> probabilities -> flags and reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .features import FeatureExtractor, ParagraphView, document
from .features.labels import feature_label
from .model import DetectorModel, dense_families, load_model
from .results import DocumentResult, ParagraphResult, Reason
from .text import Segment, split_paragraphs

__all__ = [
    "DocumentFeatures",
    "document_features",
    "score_document",
    "score_many",
    "score_segments",
]

MAX_REASONS = 5


@dataclass(frozen=True)
class DocumentFeatures:
    """Everything the model needs about one document's scored paragraphs."""

    segments: tuple[Segment, ...]
    scored: tuple[int, ...]
    intrinsic: np.ndarray
    document_rows: np.ndarray
    reasons: tuple[tuple[Reason, ...], ...]


def document_features(
    segments: Sequence[Segment], extractor: FeatureExtractor
) -> DocumentFeatures:
    """Extract intrinsic and document features for the unskipped segments."""
    scored = tuple(i for i, s in enumerate(segments) if s.skipped is None)
    views = [ParagraphView(segments[i].text, segments[i].start) for i in scored]
    intrinsic, intrinsic_reasons = extractor.transform_views(views)
    rows, doc_reasons = document.compute_document(views)
    document_rows = np.asarray(rows, dtype=np.float64).reshape(len(views), len(document.NAMES))
    reasons = tuple(
        tuple(a + b) for a, b in zip(doc_reasons, intrinsic_reasons)
    )
    return DocumentFeatures(tuple(segments), scored, intrinsic, document_rows, reasons)


def score_document(
    text: str,
    *,
    reference: str | Sequence[str] | None = None,
    model: DetectorModel | None = None,
    threshold: float | None = None,
) -> DocumentResult:
    """Score every paragraph of ``text`` and the document as a whole.

    Returns a :class:`DocumentResult`: for each paragraph its lines, character
    span, probability of being spun or machine-translated, whether it is
    flagged (probability >= threshold), why it was skipped if it was, and the
    reasons; plus a document score (length-weighted mean of the paragraph
    probabilities) and label.
    """
    if reference is not None:
        raise NotImplementedError(
            "reference mode (comparing with the suspected original) is not implemented yet; "
            "call score_document without reference="
        )
    if not isinstance(text, str):
        raise TypeError(f"score_document expects str, not {type(text).__name__}")
    return score_segments(split_paragraphs(text), model=model, threshold=threshold)


def score_segments(
    segments: Sequence[Segment],
    *,
    model: DetectorModel | None = None,
    threshold: float | None = None,
) -> DocumentResult:
    """Score already-segmented paragraphs (see :func:`score_document`)."""
    return score_many([segments], model=model, threshold=threshold)[0]


def score_many(
    documents: Sequence[Sequence[Segment]],
    *,
    model: DetectorModel | None = None,
    threshold: float | None = None,
) -> list[DocumentResult]:
    """Score several segmented documents with one batched model call.

    Each document is scored exactly as :func:`score_document` would score it
    alone; batching only saves per-call overhead.
    """
    model = model or load_model()
    cut = model.threshold if threshold is None else float(threshold)
    if not 0.0 <= cut <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {cut}")
    extractor = FeatureExtractor(dense_families(model.families))
    all_feats = [document_features(segments, extractor) for segments in documents]
    texts = [f.segments[i].text for f in all_feats for i in f.scored]
    doc_index = np.concatenate(
        [np.full(len(f.scored), n, dtype=int) for n, f in enumerate(all_feats)] or [np.zeros(0, int)]
    )
    width = len(extractor.get_feature_names_out())
    intrinsic = np.vstack([f.intrinsic for f in all_feats]) if texts else np.zeros((0, width))
    rows = np.vstack([f.document_rows for f in all_feats]) if texts else np.zeros((0, 2))
    final, alone = model.predict_proba(intrinsic, texts, rows, doc_index)
    results = []
    offset = 0
    for feats in all_feats:
        n = len(feats.scored)
        results.append(_assemble(model, feats, final[offset:offset + n],
                                 alone[offset:offset + n], cut))
        offset += n
    return results


def _assemble(
    model: DetectorModel,
    feats: DocumentFeatures,
    final: np.ndarray,
    alone: np.ndarray,
    cut: float,
) -> DocumentResult:
    segments = feats.segments
    n_flagged = int(np.sum(final >= cut))
    by_segment = {seg: k for k, seg in enumerate(feats.scored)}
    paragraphs = []
    for index, segment in enumerate(segments):
        k = by_segment.get(index)
        if k is None:
            paragraphs.append(ParagraphResult(
                index, segment.line, segment.end_line, segment.start, segment.end,
                None, False, segment.skipped, (),
            ))
            continue
        score = float(final[k])
        flagged = score >= cut
        reasons = list(feats.reasons[k])
        if flagged and alone[k] < cut:
            reasons.insert(0, Reason(
                "ctx.document",
                f"the rest of the document looks mangled ({n_flagged - 1} of "
                f"{len(feats.scored) - 1} other paragraphs flagged); on its own this "
                f"paragraph scores {alone[k]:.2f}",
            ))
        if flagged and not reasons:
            reasons.append(_model_reason(model, feats.intrinsic[k]))
        paragraphs.append(ParagraphResult(
            index, segment.line, segment.end_line, segment.start, segment.end,
            round(score, 4), flagged, None, tuple(reasons[:MAX_REASONS]),
        ))
    return _document_result(paragraphs, feats, final, cut)


def _model_reason(model: DetectorModel, row: np.ndarray) -> Reason:
    strongest = model.strongest_features(row)
    if strongest:
        detail = "; ".join(
            f"{feature_label(name)} ({name}) {z:.1f} sd from human text" for name, z in strongest
        )
        return Reason("model.style", f"unusual for human text: {detail}")
    return Reason("model.style", "the combination of style measures resembles mangled text")


def _document_result(
    paragraphs: list[ParagraphResult],
    feats: DocumentFeatures,
    final: np.ndarray,
    cut: float,
) -> DocumentResult:
    if len(final) == 0:
        return DocumentResult(None, False, "unscored", cut, tuple(paragraphs), (
            Reason("doc.no_prose", "no prose paragraph to score"),
        ))
    weights = np.array([max(1, len(feats.segments[i].text)) for i in feats.scored], dtype=float)
    doc_score = float(np.average(final, weights=weights))
    flagged = doc_score >= cut
    n_flagged = int(np.sum(final >= cut))
    reasons = [Reason(
        "doc.flagged_share",
        f"{n_flagged} of {len(final)} prose paragraphs flagged",
    )]
    variants = int(feats.document_rows[0, 1]) if len(feats.document_rows) else 0
    if variants:
        reasons.append(Reason(
            "doc.name_variant", f"{variants} name(s) spelled two ways in the document"
        ))
    return DocumentResult(
        round(doc_score, 4), flagged, "mangled" if flagged else "clean", cut,
        tuple(paragraphs), tuple(reasons),
    )
