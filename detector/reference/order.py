"""Which of a document's candidate sources are taken: the model's choice, and
the order a copy keeps (a weak candidate between two accepted ones in the
right place is its source too)."""

from __future__ import annotations

from typing import Sequence

from detector.reference.index import SourceMatch

__all__ = ["GAP_MIN_COSINE", "accept_sources"]


# A candidate the model rejects is still the source when it sits in the right
# place between accepted sources and is at least this similar (see
# :func:`accept_sources`).
GAP_MIN_COSINE = 0.2


def accept_sources(
    matches: Sequence[SourceMatch | None], p_source: Sequence[float], cutoff: float = 0.5
) -> list[bool]:
    """Which candidates are taken as sources: those the model gives at least
    ``cutoff``, and, between them, weak candidates in the right order.

    A copy keeps the order of its source. A candidate the model rejects is
    accepted when it lies in the same reference strictly after the source of
    the nearest accepted paragraph before it and strictly before the source of
    the nearest accepted paragraph after it (either may be absent, not both),
    and has a cosine of at least :data:`GAP_MIN_COSINE`: a paragraph rewritten beyond the
    model's confidence, as when a copy was made from another version of the
    story. A paragraph whose own source is missing from the reference gets a
    neighbour of the accepted sources as candidate, which this order rule does
    not let through.
    """
    accepted = [m is not None and p >= cutoff for m, p in zip(matches, p_source)]
    anchors = [k for k, ok in enumerate(accepted) if ok]
    if not anchors:
        return accepted
    out = list(accepted)
    for k, match in enumerate(matches):
        if accepted[k] or match is None or match.cosine < GAP_MIN_COSINE:
            continue
        before = [a for a in anchors if a < k]
        after = [a for a in anchors if a > k]
        here = match.sources[0]
        sides = []
        for neighbours, last in ((before, True), (after, False)):
            if not neighbours:
                continue
            other = matches[neighbours[-1] if last else neighbours[0]]
            assert other is not None
            there = other.sources[-1] if last else other.sources[0]
            in_order = (there.paragraph < here.paragraph if last
                        else here.paragraph < there.paragraph)
            sides.append(there.reference == here.reference and in_order)
        out[k] = all(sides)
    return out
