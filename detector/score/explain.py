"""Reasons: what the evidence behind a paragraph's score says."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from detector.features.labels import feature_label
from detector.features.window import DocumentFeatures
from detector.model.detector_model import DetectorModel
from detector.results import Alignment, Reason

if TYPE_CHECKING:
    from detector.reference.index import SourceMatch

MAX_REASONS = 5


@dataclass(frozen=True)
class ReferenceEvidence:
    """What reference mode found for the scored paragraphs of one document."""

    matches: "list[SourceMatch | None]"
    accepted: list[bool]
    scores: np.ndarray
    reasons: list[list[Reason]]


@dataclass
class Tally:
    """Running totals over the paragraphs of one document, window by window
    (local to one scoring call; never shared)."""

    paragraphs: int = 0
    scored: int = 0
    flagged: int = 0
    weight: float = 0.0
    weighted_score: float = 0.0
    name_variants: int = 0
    reference: bool = False
    matched: int = 0
    matched_spun: int = 0
    verbatim: int = 0
    votes: Counter = field(default_factory=Counter)


def varied(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Reasons with the first of each code before any repeat, otherwise in
    order, so that a cut to :data:`MAX_REASONS` keeps as many kinds of
    evidence as it can (three unlikely words must not hide an inverted
    compound)."""
    seen: set[str] = set()
    first, repeats = [], []
    for reason in reasons:
        (repeats if reason.code in seen else first).append(reason)
        seen.add(reason.code)
    return tuple(first + repeats)


def intrinsic_reasons(
    model: DetectorModel,
    feats: DocumentFeatures,
    k: int,
    flagged: bool,
    alone: float,
    members: np.ndarray,
    n_flagged: int,
    cut: float,
) -> list[Reason]:
    """A paragraph's own evidence, led by the document context when only the
    context got it over the threshold; a flag a member raised (``members``:
    the round-trip and spin members' scores on the model's scale) says so first."""
    reasons = list(feats.reasons[k])
    tripped, spun = float(members[0]), float(members[1])
    if flagged and spun >= cut:
        reasons.insert(0, Reason(
            "model.spin",
            f"reads like a synonym spin of English: words swapped for rarer or wrong-sense "
            f"synonyms (spin detector {spun:.2f} on the model's scale)",
        ))
    if flagged and tripped >= cut:
        reasons.insert(0, Reason(
            "model.roundtrip",
            f"reads like a literal machine-translation round trip (round-trip detector "
            f"{tripped:.2f} on the model's scale)",
        ))
    if flagged and alone < cut:
        reasons.insert(0, Reason(
            "ctx.document",
            f"the rest of the document looks mangled ({n_flagged - 1} of "
            f"{len(feats.scored) - 1} other paragraphs flagged); on its own this "
            f"paragraph scores {alone:.2f}",
        ))
    if flagged and not reasons:
        reasons.append(model_reason(model, feats.intrinsic[k]))
    return reasons


def reference_reasons(
    evidence: ReferenceEvidence,
    feats: DocumentFeatures,
    final: np.ndarray,
    cut: float,
    k: int,
    match: "SourceMatch",
    flagged: bool,
) -> list[Reason]:
    """The source and its changes first; for a flagged verbatim copy, the
    spun paragraphs around it; then the paragraph's own evidence if flagged."""
    reasons = list(evidence.reasons[k])
    if flagged and match.verbatim:
        matched = [j for j, ok in enumerate(evidence.accepted) if ok and j != k]
        spun = sum(1 for j in matched if final[j] >= cut)
        reasons.append(Reason(
            "ctx.reference",
            f"copied unchanged inside a spun copy: {spun} of {len(matched)} other "
            f"matched paragraphs were spun from {match.sources[0].reference}",
        ))
    if flagged:
        reasons.extend(feats.reasons[k])
    return reasons


def paragraph_alignment(match: "SourceMatch", flagged: bool) -> Alignment:
    a = match.alignment
    n = max(1, a.n_words)
    verdict = "spun" if flagged else ("copy" if match.verbatim else "edited")
    return Alignment(
        verdict=verdict,
        sources=match.sources,
        similarity=round(match.cosine, 4),
        kept=round(a.kept / n, 4),
        substituted=round(a.replaced / n, 4),
        inserted=round(a.inserted / n, 4),
        dropped=round(a.deleted / max(1, a.n_source_words), 4),
        changes=a.changes,
        ops=a.ops,
    )


def reference_verdict(tally: Tally) -> tuple[Reason, str | None]:
    """The document-level verdict of reference mode, and the reference most
    paragraphs were matched to."""
    n = tally.scored
    if not tally.matched:
        return Reason("ref.no_match", "no paragraph matches the reference"), None
    source, count = tally.votes.most_common(1)[0]
    spun = tally.matched_spun
    share = f"{count} of {n} prose paragraphs matched"
    if count * 2 < n:
        return Reason("ref.partial_match", f"{share} in {source}; not a copy of it"), source
    if spun * 2 > tally.matched:
        return Reason("ref.spun_copy", f"spun copy of {source} ({share}, {spun} spun)"), source
    if tally.verbatim == tally.matched:
        return Reason("ref.copy", f"verbatim copy of {source} ({share})"), source
    return Reason("ref.edited_copy",
                  f"close copy of {source} ({share}, {tally.matched - tally.verbatim} edited, "
                  f"{spun} spun)"), source


def model_reason(model: DetectorModel, row: np.ndarray) -> Reason:
    strongest = model.strongest_features(row)
    if strongest:
        detail = "; ".join(
            f"{feature_label(name)} ({name}) {z:.1f} sd from human text" for name, z in strongest
        )
        return Reason("model.style", f"unusual for human text: {detail}")
    return Reason("model.style", "the combination of style measures resembles mangled text")
