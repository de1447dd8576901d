"""Scoring for the service: the same results and the same JSON and HTML as
``detector flag``, within a deadline.

A text sent to the service is the document ``<request>`` (:data:`LABEL`),
as ``detector flag --stdin-filename '<request>' -`` names standard input, so
``/v1/score`` answers byte for byte what ``detector flag --format json``
prints for that text; a reference sent with it is the document
``<reference>`` (:data:`REFERENCE_LABEL`). These functions are CPU-bound and
run in the service's scoring thread, never on the event loop.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator

from detector.io.inputs import InputDocument
from detector.reference.files import has_prose
from detector.reference.index import ReferenceIndex
from detector.report.html import render_html
from detector.report.text import render_json
from detector.results import DocumentResult, ParagraphResult
from detector.score.batch import ScoredDocument, output_record
from detector.score.document import iter_document
from detector.service.requests import BatchRequest, RequestError, ScoreRequest

__all__ = ["LABEL", "REFERENCE_LABEL", "Scorer", "TimeLimitExceeded"]


LABEL = "<request>"
REFERENCE_LABEL = "<reference>"


class TimeLimitExceeded(Exception):
    """Scoring went past the request's deadline."""


def _within(items: Iterable[ParagraphResult | DocumentResult],
            deadline: float) -> Iterator[ParagraphResult | DocumentResult]:
    """``items`` until ``deadline`` (a :func:`time.monotonic` time) passes.
    They come a window of paragraphs at a time, so scoring stops at most one
    window (40 paragraphs) after the deadline."""
    for item in items:
        if time.monotonic() > deadline:
            raise TimeLimitExceeded
        yield item


@dataclass(frozen=True)
class Scorer:
    """The model and the server's reference index (None without
    ``--reference``), loaded once per worker process."""

    model: Any
    index: ReferenceIndex | None = None

    def _index(self, reference: str | None) -> ReferenceIndex | None:
        """The references a request is compared with: its own, else the server's."""
        if reference is None:
            return self.index
        if self.model.reference is None:
            raise RequestError(422, "this server's model has no reference stage, so it cannot "
                                    "compare with a reference")
        if not has_prose(reference):
            raise RequestError(422, "the reference has no prose paragraph to match against")
        return ReferenceIndex([(REFERENCE_LABEL, reference)])

    def _score(self, document: InputDocument, index: ReferenceIndex | None,
               threshold: float | None, deadline: float) -> ScoredDocument:
        paragraphs: list[ParagraphResult] = []
        items = iter_document(document.text or "", model=self.model, threshold=threshold,
                              reference=index)
        for item in _within(items, deadline):
            if isinstance(item, DocumentResult):
                result = replace(item, paragraphs=tuple(paragraphs))
                return ScoredDocument(document, result, flagged=result.n_flagged > 0,
                                      counts=(result.n_flagged, result.n_scored))
            paragraphs.append(item)
        raise ValueError("the stream of results ended without the document summary")

    def score_json(self, request: ScoreRequest | BatchRequest, deadline: float) -> str:
        """What ``detector flag --format json`` prints for the request's
        text(s): ``{"files": [record, ...]}``, a batch's documents in order
        with their ids."""
        index = self._index(request.reference)
        if isinstance(request, ScoreRequest):
            documents = [InputDocument(LABEL, None, request.text)]
        else:
            documents = [InputDocument(LABEL, ident if ident is not None else str(number), text)
                         for number, (ident, text) in enumerate(request.documents, start=1)]
        scored = [self._score(d, index, request.threshold, deadline) for d in documents]
        out = io.StringIO()
        render_json([output_record(s) for s in scored], out)
        return out.getvalue()

    def score_html(self, request: ScoreRequest, deadline: float) -> str:
        """The ``detector flag --format html`` report of the request's text."""
        document = InputDocument(LABEL, None, request.text)
        scored = self._score(document, self._index(request.reference), request.threshold,
                             deadline)
        out = io.StringIO()
        render_html([(LABEL, request.text, scored.result)], out)  # type: ignore[list-item]
        return out.getvalue()

    def warm_up(self) -> None:
        """Score one short text, so that the language resources are mapped
        before the first request arrives."""
        request = ScoreRequest("The council met on Monday and agreed to repair the bridge "
                               "before the winter, the mayor said.")
        self.score_json(request, time.monotonic() + 3600)
