"""Labelled documents and their feature matrix: what every fitting step reads.

Every document carries a group (the pair it belongs to: an original and its
spun copy share one), so cross-validation never puts two renderings of the
same text on both sides of a split.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Callable, Sequence

import numpy as np

from detector.features import FeatureExtractor
from detector.features.document import NAMES as DOCUMENT_COLUMNS
from detector.features.window import document_features
from detector.model.detector_model import dense_families
from detector.segment.paragraphs import Segment

__all__ = ["LabelledDocument", "TrainingMatrix", "featurize", "paragraph_segments"]


@dataclass(frozen=True)
class LabelledDocument:
    """Paragraphs of one document with a label each (1 = mangled), a group id,
    where it came from, and the weight of each of its paragraphs in fitting."""

    paragraphs: tuple[str, ...]
    labels: tuple[int, ...]
    group: str
    source: str = ""
    weight: float = 1.0

    def __post_init__(self) -> None:
        if len(self.paragraphs) != len(self.labels):
            raise ValueError("a LabelledDocument needs one label per paragraph")
        if not self.weight > 0:
            raise ValueError("a LabelledDocument's weight must be positive")


@dataclass(frozen=True)
class TrainingMatrix:
    """Features of many labelled documents, one row per paragraph."""

    X: np.ndarray
    texts: np.ndarray
    document_rows: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    doc_index: np.ndarray
    sources: np.ndarray
    weights: np.ndarray

    def take(self, rows: np.ndarray) -> "TrainingMatrix":
        """The rows selected by a boolean mask or an index array, in order."""
        return TrainingMatrix(*(np.asarray(getattr(self, f.name))[rows]
                                for f in fields(self)))


def paragraph_segments(paragraphs: Sequence[str]) -> list[Segment]:
    """Segments for a document given as a list of paragraphs (two newlines apart)."""
    out = []
    pos = 0
    for text in paragraphs:
        out.append(Segment(text, 1, 1, pos, pos + len(text)))
        pos += len(text) + 2
    return out


def _featurize_chunk(
    documents: Sequence[LabelledDocument], families: Sequence[str] | None, parent: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    from detector.io.lifecycle import watch_parent

    watch_parent(parent)  # a worker of --jobs ends with the run, however it ends
    extractor = FeatureExtractor(dense_families(families)).fit()
    out = []
    for doc in documents:
        feats = document_features(paragraph_segments(doc.paragraphs), extractor)
        out.append((feats.intrinsic, feats.document_rows))
    return out


def featurize(
    documents: Sequence[LabelledDocument],
    families: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    n_jobs: int = 1,
) -> TrainingMatrix:
    """Extract intrinsic and document features for every paragraph of every document.

    ``n_jobs`` > 1 spreads documents over worker processes; the result is the same.
    """
    from joblib import Parallel, delayed

    width = len(FeatureExtractor(dense_families(families)).fit().get_feature_names_out())
    chunk = 200
    batches = [documents[i:i + chunk] for i in range(0, len(documents), chunk)]
    results: list[tuple[np.ndarray, np.ndarray]] = []
    runner = Parallel(n_jobs=n_jobs, return_as="generator")
    done = 0
    parent = os.getpid()
    for part in runner(delayed(_featurize_chunk)(b, families, parent) for b in batches):
        results.extend(part)
        done += len(part)
        if progress is not None:
            progress(done, len(documents))
    ys, groups, doc_index, sources, texts, weights = [], [], [], [], [], []
    for number, doc in enumerate(documents):
        texts.extend(doc.paragraphs)
        weights.extend([doc.weight] * len(doc.labels))
        ys.extend(doc.labels)
        groups.extend([doc.group] * len(doc.labels))
        doc_index.extend([number] * len(doc.labels))
        sources.extend([doc.source] * len(doc.labels))
    return TrainingMatrix(
        X=np.vstack([r[0] for r in results]) if results else np.zeros((0, width)),
        texts=np.asarray(texts, dtype=object),
        document_rows=np.vstack([r[1] for r in results]) if results else np.zeros((0, len(DOCUMENT_COLUMNS))),
        y=np.asarray(ys, dtype=int),
        groups=np.asarray(groups, dtype=object),
        doc_index=np.asarray(doc_index, dtype=int),
        sources=np.asarray(sources, dtype=object),
        weights=np.asarray(weights, dtype=np.float64),
    )
