"""Scoring a stream of documents, in this process or in parallel worker processes.

The stream is consumed lazily and results come back in input order, so a
corpus of any size is scored with memory that does not grow with it. With
``jobs > 1`` the documents go in chunks to joblib worker processes; each
worker loads the model (and builds the reference index) once and keeps it.
Every document yields exactly one :class:`ScoredDocument`: its result, or the
reason it could not be scored.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable, Iterator

from .inputs import InputDocument
from .results import DocumentResult

__all__ = ["ScoredDocument", "load_scorer", "output_record", "score_documents"]

CHUNK = 16


@dataclass(frozen=True)
class ScoredDocument:
    """A document and its result (None when ``document.error`` or ``error`` says why).

    With ``as_json`` scoring, ``line`` holds the document's output record as
    one JSON line, made where it was scored, and ``result`` and the text are
    left out (a worker then sends back a string, not the result objects).
    """

    document: InputDocument
    result: DocumentResult | None
    error: str | None = None
    line: str | None = None
    flagged: bool = False

    @property
    def problem(self) -> str | None:
        """Why the document has no result, if it has none."""
        return self.document.error or self.error


def output_record(scored: ScoredDocument) -> dict[str, Any]:
    """The JSON object written for one document (``--format jsonl``, Dask):
    path, id, and the full result, or an ``error`` in its place."""
    record: dict[str, Any] = {"path": scored.document.path, "id": scored.document.id}
    if scored.result is None:
        record["error"] = scored.problem
        return record
    record.update(scored.result.to_dict())
    return record


@lru_cache(maxsize=4)
def load_scorer(model_path: str | None, references: tuple[str, ...] = ()) -> tuple[Any, Any]:
    """The model and the reference index (None without references) of this
    process, loaded once per process and cached."""
    from .model import load_model

    model = load_model(model_path)
    index = None
    if references:
        from .reference import ReferenceIndex
        from .references_io import read_references

        index = ReferenceIndex(read_references(references))
    return model, index


def _score_one(document: InputDocument, model: Any, index: Any,
               threshold: float | None, as_json: bool = False) -> ScoredDocument:
    from .scoring import score_document

    scored = ScoredDocument(document, None)
    if document.text is not None:
        try:
            result = score_document(document.text, model=model, threshold=threshold,
                                    reference=index)
            scored = ScoredDocument(document, result, flagged=bool(result.flagged_paragraphs))
        except Exception as exc:  # one bad document must not stop a corpus run
            scored = ScoredDocument(document, None,
                                    f"could not be scored ({type(exc).__name__}: {exc})")
    if not as_json:
        return scored
    line = json.dumps(output_record(scored), ensure_ascii=False)
    return replace(scored, document=replace(document, text=None), result=None, line=line)


def _score_chunk(documents: list[InputDocument], model_path: str | None,
                 references: tuple[str, ...], threshold: float | None,
                 as_json: bool) -> list[ScoredDocument]:
    model, index = load_scorer(model_path, references)
    return [_score_one(d, model, index, threshold, as_json) for d in documents]


def _chunks(documents: Iterable[InputDocument], size: int) -> Iterator[list[InputDocument]]:
    iterator = iter(documents)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def score_documents(
    documents: Iterable[InputDocument],
    *,
    model_path: str | None = None,
    references: tuple[str, ...] = (),
    threshold: float | None = None,
    jobs: int = 1,
    progress: bool = False,
    as_json: bool = False,
) -> Iterator[ScoredDocument]:
    """Score every document, in input order; ``jobs`` worker processes when > 1.

    ``model_path`` (None: the shipped model) and ``references`` (paths) are
    loaded once per process. With ``as_json`` each document comes back as its
    JSON output line (``ScoredDocument.line``), rendered where it was scored.
    With ``progress``, documents per second are shown on standard error.
    """
    if jobs == 1:
        model, index = load_scorer(model_path, references)
        results: Iterable[ScoredDocument] = (
            _score_one(d, model, index, threshold, as_json) for d in documents)
    else:
        from joblib import Parallel, delayed

        load_scorer(model_path, references)  # fail here, once, on a bad model or reference
        parallel = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs",
                            batch_size=1)
        chunks = parallel(delayed(_score_chunk)(chunk, model_path, references, threshold,
                                                as_json)
                          for chunk in _chunks(documents, CHUNK))
        results = (scored for chunk in chunks for scored in chunk)
    started = time.perf_counter()
    for count, scored in enumerate(results, start=1):
        if progress:
            rate = count / max(time.perf_counter() - started, 1e-9)
            sys.stderr.write(f"\r{count} documents, {rate:.0f} documents/s")
            sys.stderr.flush()
        yield scored
    if progress:
        sys.stderr.write("\n")
