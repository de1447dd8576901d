"""Scoring a document: windows of paragraphs through the model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence

import numpy as np

from detector.features import FeatureExtractor
from detector.features.document import NAMES as DOCUMENT_COLUMNS
from detector.features.window import DocumentFeatures, document_features
from detector.model.detector_model import DetectorModel, dense_families
from detector.model.persistence import as_model
from detector.results import DocumentResult, ParagraphResult
from detector.score.assembly import document_result, window_paragraphs
from detector.score.explain import ReferenceEvidence, Tally
from detector.segment.paragraphs import Segment, iter_paragraphs, split_paragraphs

if TYPE_CHECKING:
    from detector.reference.index import ReferenceIndex

__all__ = ["WINDOW", "iter_document", "score_document", "score_many", "score_segments"]


# A document is scored in windows of this many prose paragraphs; the document
# context (how the other paragraphs look, names spelled two ways, the order of
# sources in reference mode) is taken within a window. The context stage was
# fitted on short documents: given hundreds of others, a slight lean of a
# long text's paragraphs became certainty (the README's "Long documents"
# measures it). The window also bounds the memory of scoring a 100 MB file.
WINDOW = 40


def score_document(
    text: str,
    *,
    reference: "str | Sequence[str] | Mapping[str, str] | ReferenceIndex | None" = None,
    model: DetectorModel | None = None,
    threshold: float | None = None,
) -> DocumentResult:
    """Score every paragraph of ``text`` and the document as a whole.

    Returns a :class:`DocumentResult`: for each paragraph its lines, character
    span, probability of being spun or machine-translated, whether it is
    flagged (probability >= threshold), why it was skipped if it was, and the
    reasons; plus a document score (length-weighted mean of the paragraph
    probabilities) and label.

    ``reference`` is the suspected original(s): a text, a list of texts, a
    mapping of names to texts, or a :class:`~detector.reference.index.ReferenceIndex`
    (build one to score many documents against the same originals). Each
    paragraph is then matched to its source, aligned word by word, and scored
    from how it was changed; a paragraph without a source is scored as without
    a reference.

    A document of more than :data:`WINDOW` prose paragraphs is scored in
    windows of that many; to score a very long text without holding every
    paragraph's result, use :func:`iter_document`.
    """
    if not isinstance(text, str):
        raise TypeError(f"score_document expects str, not {type(text).__name__}")
    return score_segments(split_paragraphs(text), model=model, threshold=threshold,
                          reference=_as_index(reference))


def _as_index(reference: "str | Sequence[str] | Mapping[str, str] | ReferenceIndex | None"
              ) -> "ReferenceIndex | None":
    if reference is None:
        return None
    from detector.reference.index import as_reference_index

    return as_reference_index(reference)


def score_segments(
    segments: Sequence[Segment],
    *,
    model: DetectorModel | None = None,
    threshold: float | None = None,
    reference: "ReferenceIndex | None" = None,
) -> DocumentResult:
    """Score already-segmented paragraphs (see :func:`score_document`)."""
    return score_many([segments], model=model, threshold=threshold, reference=reference)[0]


def _reference_evidence(
    model: DetectorModel, feats: DocumentFeatures, index: "ReferenceIndex"
) -> ReferenceEvidence:
    from detector.reference.features import reference_features
    from detector.reference.order import accept_sources

    texts = [feats.segments[i].text for i in feats.scored]
    offsets = [feats.segments[i].start for i in feats.scored]
    matrix, reasons, matches = reference_features(index, texts, offsets)
    if not texts:
        return ReferenceEvidence(matches, [], np.zeros(0), reasons)
    p_source, scores = model.reference_scores(matrix)
    return ReferenceEvidence(matches, accept_sources(matches, p_source), scores, reasons)


def _windows(segments: Iterable[Segment], size: int) -> Iterator[list[Segment]]:
    """Consecutive runs of segments holding at most ``size`` prose paragraphs."""
    window: list[Segment] = []
    prose = 0
    for segment in segments:
        if segment.skipped is None:
            if prose == size:
                yield window
                window, prose = [], 0
            prose += 1
        window.append(segment)
    if window:
        yield window


def _score_windows(
    windows: Sequence[Sequence[Segment]],
    model: DetectorModel,
    cut: float,
    reference: "ReferenceIndex | None",
    offsets: Sequence[int],
    tallies: Sequence[Tally],
) -> list[list[ParagraphResult]]:
    """Paragraph results of several windows with one batched model call; each
    window is its own document context. ``offsets`` are the index of each
    window's first paragraph in its document, ``tallies`` its document's totals."""
    extractor = FeatureExtractor(dense_families(model.families))
    all_feats = [document_features(segments, extractor) for segments in windows]
    texts = [f.segments[i].text for f in all_feats for i in f.scored]
    doc_index = np.concatenate(
        [np.full(len(f.scored), n, dtype=int) for n, f in enumerate(all_feats)] or [np.zeros(0, int)]
    )
    width = len(extractor.get_feature_names_out())
    intrinsic = np.vstack([f.intrinsic for f in all_feats]) if texts else np.zeros((0, width))
    rows = np.vstack([f.document_rows for f in all_feats]) if texts else np.zeros((0, len(DOCUMENT_COLUMNS)))
    final, alone, tripped, spun = model.predict_scores(intrinsic, texts, rows, doc_index)
    members = np.column_stack([tripped, spun])
    results = []
    start = 0
    for feats, offset, tally in zip(all_feats, offsets, tallies):
        n = len(feats.scored)
        evidence = _reference_evidence(model, feats, reference) if reference is not None else None
        results.append(window_paragraphs(model, feats, final[start:start + n], alone[start:start + n],
                                 members[start:start + n], cut, evidence, offset, tally))
        start += n
    return results


def _cut(model: DetectorModel, threshold: float | None) -> float:
    cut = model.threshold if threshold is None else float(threshold)
    if not 0.0 <= cut <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {cut}")
    return cut


def score_many(
    documents: Sequence[Sequence[Segment]],
    *,
    model: DetectorModel | None = None,
    threshold: float | None = None,
    reference: "ReferenceIndex | None" = None,
) -> list[DocumentResult]:
    """Score several segmented documents with one batched model call.

    Each document is scored exactly as :func:`score_document` would score it
    alone; batching only saves per-call overhead. With ``reference`` every
    document is matched against the same index.
    """
    model = as_model(model)
    cut = _cut(model, threshold)
    windows, offsets, tallies, owners = [], [], [], []
    doc_tallies = [Tally(reference=reference is not None) for _ in documents]
    for n, segments in enumerate(documents):
        offset = 0
        for window in _windows(segments, WINDOW):
            windows.append(window)
            offsets.append(offset)
            tallies.append(doc_tallies[n])
            owners.append(n)
            offset += len(window)
    paragraphs: list[list[ParagraphResult]] = [[] for _ in documents]
    for owner, scored in zip(owners, _score_windows(windows, model, cut, reference, offsets,
                                                    tallies)):
        paragraphs[owner].extend(scored)
    return [document_result(tuple(p), tally, cut) for p, tally in zip(paragraphs, doc_tallies)]


def iter_document(
    text: str | Iterable[str],
    *,
    reference: "str | Sequence[str] | Mapping[str, str] | ReferenceIndex | None" = None,
    model: DetectorModel | None = None,
    threshold: float | None = None,
) -> Iterator[ParagraphResult | DocumentResult]:
    """Score ``text`` as :func:`score_document` does, streaming: yields each
    :class:`ParagraphResult` as soon as its window of :data:`WINDOW` prose
    paragraphs is scored, then the :class:`DocumentResult` summary, with no
    ``paragraphs`` but the same score, reasons and counts. Memory stays that
    of one window, whatever the length of the text. ``text`` may also be the
    lines of a text without their newlines, e.g. a large file's lines from
    :func:`detector.io.large_files.iter_text_lines`."""
    if isinstance(text, (bytes, bytearray)) or not isinstance(text, (str, Iterable)):
        raise TypeError(f"iter_document expects str, not {type(text).__name__}")
    model = as_model(model)
    cut = _cut(model, threshold)
    index = _as_index(reference)
    tally = Tally(reference=index is not None)
    offset = 0
    for window in _windows(iter_paragraphs(text), WINDOW):
        yield from _score_windows([window], model, cut, index, [offset], [tally])[0]
        offset += len(window)
    yield document_result((), tally, cut)
