"""The features of one window of a document's paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from detector.features import FeatureExtractor, ParagraphView, document
from detector.results import Reason
from detector.segment.paragraphs import Segment

if TYPE_CHECKING:
    pass

__all__ = ["DocumentFeatures", "document_features"]


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
