"""Scoring a stream of documents, in this process or in parallel worker processes.

The stream is consumed lazily and results come back in input order, so a
corpus of any size is scored with memory that does not grow with it. With
``jobs > 1`` the documents go in chunks to joblib worker processes; each
worker loads the model (and builds the reference index) once and keeps it.
Every document yields exactly one :class:`ScoredDocument`: its result, or the
reason it could not be scored.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable, Iterator, TextIO

from detector.io.escape import json_dumps
from detector.io.inputs import InputDocument
from detector.report.run_summary import RunSummary
from detector.report.wording import plural
from detector.report.text import TextOptions
from detector.score.selection import ReasonFilter
from detector.results import DocumentResult, ParagraphResult

__all__ = ["ScoredDocument", "StreamTarget", "load_scorer", "output_record", "score_documents", "write_json_line", "write_streamed"]


CHUNK = 16


# A document's streamed output is held in memory up to this size, then on disk.
SPOOL_BYTES = 8 * 1024 * 1024


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
    #: (paragraphs flagged, paragraphs scored), also when ``result`` was left out.
    counts: tuple[int, int] | None = None

    @property
    def problem(self) -> str | None:
        """Why the document has no result, if it has none."""
        return self.document.error or self.error


def output_record(scored: ScoredDocument) -> dict[str, Any]:
    """The JSON object written for one document (``--format json``/``jsonl``,
    Dask): path, id, the paragraphs, then the document's score, label, counts
    and reasons; or an ``error`` in their place. (The paragraphs come first
    so that a long document can be written as they are scored.)"""
    record: dict[str, Any] = {"path": scored.document.path, "id": scored.document.id}
    if scored.result is None:
        record["error"] = scored.problem
        return record
    record["paragraphs"] = [p.to_dict() for p in scored.result.paragraphs]
    record.update(scored.result.summary_dict())
    return record


def write_json_line(document: InputDocument,
                    items: Iterable[ParagraphResult | DocumentResult], out: TextIO) -> DocumentResult:
    """Write the :func:`output_record` of a streamed document
    (:func:`detector.score.document.iter_document`) as one JSON line, each paragraph
    as it comes; returns the document summary."""
    head = json_dumps({"path": document.path, "id": document.id})
    out.write(head[:-1] + ', "paragraphs": [')
    first = True
    for item in items:
        if isinstance(item, DocumentResult):
            out.write("], " + json_dumps(item.summary_dict())[1:] + "\n")
            return item
        out.write(("" if first else ", ") + json_dumps(item.to_dict()))
        first = False
    raise ValueError("the stream of results ended without the document summary")


def write_streamed(document: InputDocument, model: Any, index: Any, threshold: float | None,
                   out: TextIO, fmt: str, show_all: bool = False,
                   colour: bool = False, with_summary: bool = True,
                   text_options: TextOptions | None = None,
                   reason_filter: ReasonFilter | None = None) -> ScoredDocument:
    """Score one document window by window (:func:`detector.score.document.iter_document`)
    and write its ``text`` lines or ``jsonl`` line to ``out``; the result
    objects are never held all at once (``with_summary``: the text format's summary
    line; ``text_options``: excerpts and counts, :class:`detector.report.text.TextOptions`).
    The output goes through a spool file
    (memory for small documents, disk for large ones), so a document that
    fails midway leaves only its error: for ``jsonl`` an error record, for
    ``text`` nothing (the caller reports the error)."""
    from detector.report.text import render_text_stream
    from detector.score.document import iter_document

    content = document.content()
    if content is None:
        scored = ScoredDocument(document, None)
    else:
        # newline="": a carriage return inside an id must come back as written
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8",
                                           newline="") as spool:
            items = iter_document(content, model=model, threshold=threshold,
                                  reference=index)
            if reason_filter is not None:
                items = reason_filter.stream(items)
            try:
                if fmt == "jsonl":
                    summary = write_json_line(document, items, spool)  # type: ignore[arg-type]
                else:
                    source = document.full_text() if text_options and text_options.show_source \
                        else None
                    summary = render_text_stream(document.label, items, spool,  # type: ignore[arg-type]
                                                 show_all, colour, with_summary, source,
                                                 text_options)
            except Exception as exc:  # one bad document must not stop a corpus run
                scored = ScoredDocument(document, None,
                                        f"could not be scored ({type(exc).__name__}: {exc})")
            else:
                spool.seek(0)
                shutil.copyfileobj(spool, out)  # type: ignore[misc]
                out.flush()  # one record at a time: a killed run keeps its complete lines
                return ScoredDocument(replace(document, text=None), None,
                                      flagged=summary.n_flagged > 0,
                                      counts=(summary.n_flagged, summary.n_scored))
    if fmt == "jsonl":
        out.write(json_dumps(output_record(scored)) + "\n")
        out.flush()
    return scored


@lru_cache(maxsize=4)
def load_scorer(model_path: str | None, references: tuple[str, ...] = ()) -> tuple[Any, Any]:
    """The model and the reference index (None without references) of this
    process, loaded once per process and cached."""
    from detector.model.persistence import load_model

    model = load_model(model_path)
    index = None
    if references:
        from detector.reference.files import read_references
        from detector.reference.index import ReferenceIndex

        index = ReferenceIndex(read_references(references))
    return model, index


def _score_one(document: InputDocument, model: Any, index: Any,
               threshold: float | None, as_json: bool = False,
               reason_filter: ReasonFilter | None = None) -> ScoredDocument:
    from detector.score.document import score_document

    if as_json:
        buffer = io.StringIO()
        scored = write_streamed(document, model, index, threshold, buffer, "jsonl",
                                reason_filter=reason_filter)
        return replace(scored, document=replace(document, text=None),
                       line=buffer.getvalue().rstrip("\n"))
    text = document.full_text()
    if text is None:
        return ScoredDocument(document, None)
    try:
        result = score_document(text, model=model, threshold=threshold, reference=index)
        if reason_filter is not None:
            result = reason_filter.document(result)
    except Exception as exc:  # one bad document must not stop a corpus run
        return ScoredDocument(document, None,
                              f"could not be scored ({type(exc).__name__}: {exc})")
    return ScoredDocument(document, result, flagged=result.n_flagged > 0,
                          counts=(result.n_flagged, result.n_scored))


def _score_chunk(documents: list[InputDocument], model_path: str | None,
                 references: tuple[str, ...], threshold: float | None,
                 as_json: bool, parent: int,
                 reason_filter: ReasonFilter | None = None) -> list[ScoredDocument]:
    from detector.io.lifecycle import watch_parent

    watch_parent(parent)  # a worker ends with the run, however the run ends
    model, index = load_scorer(model_path, references)
    return [_score_one(d, model, index, threshold, as_json, reason_filter) for d in documents]


def _chunks(documents: Iterable[InputDocument], size: int) -> Iterator[list[InputDocument]]:
    iterator = iter(documents)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@dataclass(frozen=True)
class StreamTarget:
    """Where :func:`score_documents` writes each document as it is scored:
    ``text`` lines or ``jsonl`` lines on ``out``."""

    out: TextIO
    fmt: str
    show_all: bool = False
    colour: bool = False
    #: The text format without its summary lines (``--quiet``).
    quiet: bool = False
    text_options: TextOptions | None = None
    #: The run's totals, for the text format's closing lines.
    summary: RunSummary | None = None

    def begin(self, document: InputDocument) -> None:
        """Before a document's output: what the run summary says is due."""
        if self.summary is not None:
            for line in self.summary.begin(document.path):
                self.out.write(line + "\n")

    def end(self, scored: "ScoredDocument") -> "ScoredDocument":
        """After a document's output: count it in the run summary."""
        if self.summary is not None:
            self.summary.add(scored.document.path, scored.document.id is not None, scored.counts)
        return scored

    def with_summary(self, document: InputDocument) -> bool:
        """Whether the text format ends this document with its summary line:
        not with ``quiet`` or ``--statistics``, and for a record of a JSON
        Lines file only with ``show_all`` (the run summary sums records up per
        file)."""
        counting = self.text_options is not None and self.text_options.counts is not None
        return not self.quiet and not counting and (document.id is None or self.show_all)


def score_documents(
    documents: Iterable[InputDocument],
    *,
    model_path: str | None = None,
    references: tuple[str, ...] = (),
    threshold: float | None = None,
    jobs: int = 1,
    progress: bool = False,
    as_json: bool = False,
    stream: StreamTarget | None = None,
    reason_filter: ReasonFilter | None = None,
) -> Iterator[ScoredDocument]:
    """Score every document, in input order; ``jobs`` worker processes when > 1.

    ``model_path`` (None: the shipped model) and ``references`` (paths) are
    loaded once per process. With ``as_json`` each document comes back as its
    JSON output line (``ScoredDocument.line``), rendered where it was scored.
    With ``stream``, each document's output is written there as it is scored
    (in this process a document is scored window by window, so even a 100 MB
    one never holds all its results) and what comes back only says whether
    it was flagged or why it failed. With ``progress``, documents per second
    are shown on standard error. ``reason_filter`` (``--select``/``--ignore``)
    chooses which reasons, and so which flagged paragraphs, are reported.
    """
    as_json = as_json or (stream is not None and stream.fmt == "jsonl")
    if jobs == 1:
        model, index = load_scorer(model_path, references)
        if stream is not None:
            results: Iterable[ScoredDocument] = (
                _streamed(d, model, index, threshold, stream, reason_filter) for d in documents)
        else:
            results = (_score_one(d, model, index, threshold, as_json, reason_filter)
                       for d in documents)
    else:
        from joblib import Parallel, delayed

        load_scorer(model_path, references)  # fail here, once, on a bad model or reference
        parallel = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs",
                            batch_size=1)
        chunks = parallel(delayed(_score_chunk)(chunk, model_path, references, threshold,
                                                as_json, os.getpid(), reason_filter)
                          for chunk in _chunks(documents, CHUNK))
        results = (scored for chunk in chunks for scored in chunk)
        if stream is not None:
            results = (_write(scored, stream) for scored in results)
    started = time.perf_counter()
    for count, scored in enumerate(results, start=1):
        if progress:
            rate = count / max(time.perf_counter() - started, 1e-9)
            sys.stderr.write(f"\r{plural(count, 'document')}, {rate:.0f} documents/s")
            sys.stderr.flush()
        yield scored
    if progress:
        sys.stderr.write("\n")


def _streamed(document: InputDocument, model: Any, index: Any, threshold: float | None,
              stream: StreamTarget, reason_filter: ReasonFilter | None) -> ScoredDocument:
    """Score one document in this process and write it to ``stream``."""
    stream.begin(document)
    return stream.end(write_streamed(document, model, index, threshold, stream.out, stream.fmt,
                                     stream.show_all, stream.colour,
                                     stream.with_summary(document), stream.text_options,
                                     reason_filter))


def _write(scored: ScoredDocument, stream: StreamTarget) -> ScoredDocument:
    """Write a document scored in a worker to ``stream``; return it without
    its output."""
    stream.begin(scored.document)
    if scored.line is not None:
        stream.out.write(scored.line + "\n")
    elif scored.result is not None:
        from detector.report.text import render_text

        options = stream.text_options
        render_text(scored.document.label, scored.result, stream.out, stream.show_all,
                    stream.colour, stream.with_summary(scored.document),
                    scored.document.full_text() if options and options.show_source else None,
                    options)
    stream.out.flush()
    return stream.end(replace(scored, result=None, line=None))
