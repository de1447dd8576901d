"""Scale-out on Dask: score JSON Lines records in a ``dask.bag``.

    from detector.score.dask import read_jsonl, score_bag
    bag = read_jsonl("s3://corpus/part-*.jsonl.gz")          # or any bag of dicts
    score_bag(bag).map(json.dumps).to_textfiles("out/*.jsonl")

Each partition is scored by :func:`score_records` with the same code as
``detector flag --format jsonl``, so every record gives the same output
object (path, id, result, or an ``error`` in its place). Each worker process
loads the model once and keeps it (:func:`detector.score.batch.score_documents`).
Needs the ``dask`` extra: ``pip install 'detector[dask]'``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from detector.io.inputs import InputDocument, record_document
from detector.score.batch import output_record, score_documents

__all__ = ["read_jsonl", "score_bag", "score_records"]


def _document(record: Any, path: str, text_field: str, id_field: str) -> InputDocument:
    if isinstance(record, (str, bytes)):
        try:
            record = json.loads(record)
        except ValueError as exc:
            return InputDocument(path, None, None, f"not valid JSON ({exc})")
    return record_document(record, path, None, text_field, id_field)


def score_records(
    records: Iterable[Any],
    *,
    text_field: str = "text",
    id_field: str = "id",
    path: str = "",
    model_path: str | None = None,
    threshold: float | None = None,
    references: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Output objects for records (JSON Lines lines, or parsed dicts), in
    order; a record that is not valid JSON, not an object or has no string text
    gets an ``error`` entry in its place."""
    documents = [_document(r, path, text_field, id_field) for r in records]
    return [output_record(s) for s in score_documents(
        documents, model_path=model_path, references=references, threshold=threshold)]


def read_jsonl(paths: Any, blocksize: int | str | None = "64MiB") -> Any:
    """A ``dask.bag`` of the non-blank lines of JSON Lines files (local paths,
    globs or URLs that Dask can read; a ``.gz`` file is one partition)."""
    import dask.bag as db

    return db.read_text(paths, blocksize=blocksize).filter(str.strip)


def score_bag(bag: Any, **options: Any) -> Any:
    """A bag of output objects, one per record of ``bag`` (JSON lines or dicts;
    see :func:`score_records` for the options)."""
    return bag.map_partitions(score_records, **options)
