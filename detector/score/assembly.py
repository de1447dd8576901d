"""From model scores to results: a window's paragraph results with their
reasons, the document's running totals, and the document result."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from detector.features.document import NAMES as DOCUMENT_COLUMNS
from detector.features.window import DocumentFeatures
from detector.model.detector_model import DetectorModel
from detector.report.wording import plural
from detector.results import DocumentResult, ParagraphResult, Reason
from detector.segment.paragraphs import Segment
from detector.score.explain import (
    ReferenceEvidence,
    Tally,
    intrinsic_reasons,
    paragraph_alignment,
    ranked,
    reference_reasons,
    reference_verdict,
)

__all__ = ["count_window", "document_result", "window_paragraphs"]


_NAME_VARIANT_PAIRS = DOCUMENT_COLUMNS.index("doc.name_variant_pairs")


def window_paragraphs(
    model: DetectorModel,
    feats: DocumentFeatures,
    final: np.ndarray,
    alone: np.ndarray,
    members: np.ndarray,
    cut: float,
    evidence: ReferenceEvidence | None,
    offset: int,
    tally: Tally,
) -> list[ParagraphResult]:
    """The paragraph results of one window (indices counted from ``offset``),
    added to the document's ``tally``. In reference mode a paragraph with a
    source is scored by the reference stage and shows its source and changes
    first; one without keeps its intrinsic score and reasons, and says that no
    source was found."""
    if evidence is not None and len(final):
        final = np.where(evidence.accepted, evidence.scores, final)
    segments = feats.segments
    n_flagged = int(np.sum(final >= cut))
    by_segment = {seg: k for k, seg in enumerate(feats.scored)}
    paragraphs = []
    for index, segment in enumerate(segments, start=offset):
        k = by_segment.get(index - offset)
        if k is None:
            paragraphs.append(ParagraphResult(
                index, segment.line, segment.end_line, segment.start, segment.end,
                None, False, segment.skipped, (), column=segment.column,
            ))
            continue
        score = float(final[k])
        flagged = score >= cut
        match = evidence.matches[k] if evidence is not None and evidence.accepted[k] else None
        alignment = None
        if match is not None:
            assert evidence is not None
            reasons = reference_reasons(evidence, feats, final, cut, k, match, flagged)
            alignment = paragraph_alignment(match, flagged)
        else:
            reasons = intrinsic_reasons(model, feats, k, flagged, float(alone[k]),
                                         members[k], n_flagged, cut)
            if evidence is not None:
                reasons.append(Reason("ref.no_source",
                                      "no source paragraph found in the reference"))
        located = tuple(_located(r, segment) for r in ranked(reasons))
        tally.context_only += flagged and any(r.code == "ctx.document" for r in located)
        paragraphs.append(ParagraphResult(
            index, segment.line, segment.end_line, segment.start, segment.end,
            round(score, 4), flagged, None, located, alignment, segment.column,
        ))
    count_window(tally, feats, final, cut, evidence)
    return paragraphs


def _located(reason: Reason, segment: Segment) -> Reason:
    """The reason with the line and column of its span's start (unchanged without a span)."""
    if reason.start is None:
        return reason
    line, column = segment.locate(reason.start)
    return replace(reason, line=line, column=column)


def count_window(tally: Tally, feats: DocumentFeatures, final: np.ndarray, cut: float,
           evidence: ReferenceEvidence | None) -> None:
    """Add one window's paragraphs to its document's totals."""
    tally.paragraphs += len(feats.segments)
    tally.scored += len(final)
    tally.flagged += int(np.sum(final >= cut))
    weights = np.array([max(1, len(feats.segments[i].text)) for i in feats.scored], dtype=float)
    tally.weight += float(weights.sum())
    tally.weighted_score += float(np.dot(weights, final)) if len(final) else 0.0
    if len(feats.document_rows):
        tally.name_variants = max(tally.name_variants, int(feats.document_rows[0, _NAME_VARIANT_PAIRS]))
    if evidence is None:
        return
    for k, accepted in enumerate(evidence.accepted):
        match = evidence.matches[k]
        if not accepted or match is None:
            continue
        tally.matched += 1
        tally.votes[match.sources[0].reference] += 1
        tally.matched_spun += bool(final[k] >= cut)
        tally.verbatim += bool(match.verbatim)


def document_result(
    paragraphs: tuple[ParagraphResult, ...], tally: Tally, cut: float
) -> DocumentResult:
    """The document's score (length-weighted mean of its paragraph scores),
    label and reasons, from its totals."""
    counts = {"n_paragraphs": tally.paragraphs, "n_scored": tally.scored,
              "n_flagged": tally.flagged}
    if tally.scored == 0:
        reasons = [Reason("doc.no_prose", "no prose paragraph to score")]
        if tally.reference:
            reasons.append(reference_verdict(tally)[0])
        return DocumentResult(None, False, "unscored", cut, paragraphs, tuple(reasons), **counts)
    doc_score = tally.weighted_score / tally.weight
    flagged = doc_score >= cut
    reasons = [Reason(
        "doc.flagged_share",
        f"{tally.flagged} of {plural(tally.scored, 'prose paragraph')} flagged",
    )]
    if tally.context_only:
        reasons.append(Reason(
            "ctx.document", f"{tally.context_only} flagged only with the rest of the document"))
    if tally.name_variants:
        names = "1 name" if tally.name_variants == 1 else f"{tally.name_variants} names"
        reasons.append(Reason("doc.name_variant", f"{names} spelled two ways in the document"))
    source = None
    if tally.reference:
        verdict, source = reference_verdict(tally)
        reasons.append(verdict)
    return DocumentResult(
        round(doc_score, 4), flagged, "mangled" if flagged else "clean", cut,
        paragraphs, tuple(reasons), source, **counts,
    )
