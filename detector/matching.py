"""Corpus mode: which suspect documents are spun copies of which originals.

All originals go into one :class:`~detector.reference.ReferenceIndex`; each
suspect is read and scored against it by the same code as
``detector flag --reference`` (:func:`detector.batch.score_documents`), so a suspect's paragraphs find their sources among thousands of
originals through the index, never by comparing every pair of documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from detector.batch import score_documents
from detector.inputs import iter_documents
from detector.results import DocumentResult

__all__ = ["SuspectMatch", "match_documents"]


@dataclass(frozen=True)
class SuspectMatch:
    """One suspect document: its best-matching original and the verdict."""

    path: str
    original: str | None
    matched: int
    prose: int
    score: float | None
    flagged: bool
    verdict: str
    message: str
    result: DocumentResult

    @property
    def is_copy(self) -> bool:
        """True when the suspect is a spun copy of an original."""
        return self.verdict == "ref.spun_copy"

    def to_dict(self) -> dict[str, Any]:
        """The match as a JSON-ready dict (without the paragraph details)."""
        return {"path": self.path, "original": self.original, "matched": self.matched,
                "prose": self.prose, "score": self.score, "flagged": self.flagged,
                "verdict": self.verdict, "message": self.message}


def _summary(path: str, result: DocumentResult) -> SuspectMatch:
    verdict = next((r for r in result.reasons if r.code.startswith("ref.")), None)
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
