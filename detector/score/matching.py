"""Which documents of a corpus copy which originals (``detector match``)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from detector.io.inputs import iter_documents
from detector.results import DocumentResult, SuspectMatch
from detector.score.batch import score_documents

__all__ = ["match_documents"]


def _summary(path: str, result: DocumentResult) -> SuspectMatch:
    verdict = result.reference_verdict
    prose = [p for p in result.paragraphs if p.score is not None]
    matched = sum(1 for p in prose
                  if p.alignment is not None and p.alignment.sources[0].reference == result.source)
    return SuspectMatch(
        path=path,
        original=result.source,
        matched=matched,
        prose=len(prose),
        score=result.score,
        flagged=result.flagged,
        verdict=verdict.code if verdict else "ref.no_match",
        message=verdict.message if verdict else "no prose paragraph to score",
        result=result,
    )


def match_documents(
    suspects: Iterable[Path],
    originals: tuple[str, ...],
    *,
    model_path: str | None = None,
    threshold: float | None = None,
    on_error: Callable[[str, str], None] | None = None,
) -> list[SuspectMatch]:
    """Score each suspect file against the original files or directories in
    ``originals`` (indexed once per process, as ``detector flag --reference``
    does). A suspect that cannot be read is reported through ``on_error`` with
    its name and the reason, and left out."""
    out = []
    documents = iter_documents(str(path) for path in suspects)
    for scored in score_documents(documents, model_path=model_path, references=originals,
                                  threshold=threshold):
        if scored.result is None:
            if on_error is not None:
                on_error(scored.document.label, str(scored.problem))
            continue
        out.append(_summary(scored.document.path, scored.result))
    return out
