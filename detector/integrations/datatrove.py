"""A datatrove filter step: keep or drop documents by the detector's document
score, and annotate their metadata with it.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from detector.integrations.datatrove import DetectorFilter

    if __name__ == "__main__":  # workers start with forkserver, which imports the script
        LocalPipelineExecutor(pipeline=[
            JsonlReader("corpus/"),
            DetectorFilter(exclusion_writer=JsonlWriter("dropped/")),
            JsonlWriter("kept/"),
        ], tasks=4, workers=2).run()

A document is dropped when the detector flags it: its document score (the
length-weighted mean of its prose paragraphs' scores) reaches the threshold,
by default the model's. A document with no prose paragraph to score (a table,
code, a list of links) is not flagged, so it is kept. With ``label_only`` every
document is kept and only annotated. The annotation, under
``doc.metadata["detector"]`` (see :func:`metadata_of`), is plain JSON.

The model is loaded once per worker, on the first document it scores, and is
never pickled with the step (datatrove ships steps to workers by pickling or
copying them). Needs the ``datatrove`` extra: ``pip install 'detector[datatrove]'``.
"""

from __future__ import annotations

import os
from typing import Any

try:
    from datatrove.data import Document
    from datatrove.pipeline.filters.base_filter import BaseFilter
    from datatrove.pipeline.writers.disk_base import DiskWriter
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without datatrove
    raise ImportError(
        "detector.integrations.datatrove needs datatrove: pip install 'detector[datatrove]'"
    ) from exc

from detector import DetectorModel, DocumentResult, load_model, score_document

__all__ = ["DROP_REASON", "DetectorFilter", "metadata_of"]

# The reason a dropped document is given: datatrove counts it as the stat
# ``dropped_mangled`` and an exclusion writer stores it as ``filter_reason``.
DROP_REASON = "mangled"


def _codes(reasons: tuple[Any, ...]) -> list[str]:
    """The distinct reason codes, in order (the strongest first)."""
    return list(dict.fromkeys(r.code for r in reasons))


def metadata_of(result: DocumentResult, paragraphs: bool = True) -> dict[str, Any]:
    """The JSON-ready annotation of a scored document.

    ``score`` (None when no paragraph was prose), ``flagged``, ``label``
    (``clean``, ``mangled`` or ``unscored``), ``threshold``, the paragraph
    counts ``n_paragraphs``, ``n_scored`` and ``n_flagged``, the document's
    reason ``codes``, and with ``paragraphs`` one entry per paragraph, skipped
    ones too, in order: ``start`` and ``end`` (character offsets in the text),
    ``score``, ``flagged``, ``codes`` (its reason codes, strongest first) and
    ``skipped`` (the skip code, or None). ``detector explain CODE`` says what
    a code means.
    """
    summary = result.summary_dict()
    annotation: dict[str, Any] = {key: summary[key] for key in (
        "score", "flagged", "label", "threshold", "n_paragraphs", "n_scored", "n_flagged")}
    annotation["codes"] = _codes(result.reasons)
    if paragraphs:
        annotation["paragraphs"] = [
            {"start": p.start, "end": p.end, "score": p.score, "flagged": p.flagged,
             "codes": _codes(p.reasons), "skipped": p.skipped}
            for p in result.paragraphs
        ]
    return annotation


class DetectorFilter(BaseFilter):
    """Drop documents the detector flags as spun or machine-translated, and/or
    annotate them.

    Args:
        model: a model file (``detector train``); None for the shipped model.
        threshold: the probability at which a paragraph, and the document, is
            flagged; None for the model's own.
        label_only: keep every document, only annotate it.
        annotate: write the annotation to ``doc.metadata[metadata_key]``.
        paragraphs: include the per-paragraph entries in the annotation.
        metadata_key: where in ``doc.metadata`` the annotation goes.
        exclusion_writer: a datatrove writer that saves the dropped documents.
    """

    name = "🔎 detector"

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        threshold: float | None = None,
        label_only: bool = False,
        annotate: bool = True,
        paragraphs: bool = True,
        metadata_key: str = "detector",
        exclusion_writer: DiskWriter | None = None,
    ) -> None:
        """Configure the step; the model is loaded later, in the worker."""
        super().__init__(exclusion_writer)
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        if label_only and not annotate:
            raise ValueError("label_only without annotate would keep every document and record nothing")
        self.model_path = None if model is None else os.fspath(model)
        self.threshold = threshold
        self.label_only = label_only
        self.annotate = annotate
        self.paragraphs = paragraphs
        self.metadata_key = metadata_key
        self._model: DetectorModel | None = None

    def __getstate__(self) -> dict[str, Any]:
        """The step's state without the loaded model: a worker loads its own."""
        return {**self.__dict__, "_model": None}

    @property
    def model(self) -> DetectorModel:
        """The detector model, loaded on first use in this process."""
        if self._model is None:
            self._model = load_model(self.model_path)
        return self._model

    def score(self, doc: Document) -> DocumentResult:
        """The detector's result for a document's text."""
        return score_document(doc.text, model=self.model, threshold=self.threshold)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        """Score ``doc``, annotate it, and keep it unless it is flagged."""
        result = self.score(doc)
        self.stat_update(result.label)
        self.stat_update("paragraphs_scored", value=result.n_scored)
        self.stat_update("paragraphs_flagged", value=result.n_flagged)
        if self.annotate:
            doc.metadata[self.metadata_key] = metadata_of(result, self.paragraphs)
        if result.flagged and not self.label_only:
            return False, DROP_REASON
        return True
