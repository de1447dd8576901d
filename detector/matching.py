"""Corpus mode: which suspect documents are spun copies of which originals.

All originals go into one :class:`~detector.reference.ReferenceIndex`; each
suspect is scored against it exactly as ``detector flag --reference`` scores
a file, so a suspect's paragraphs find their sources among thousands of
originals through the index, never by comparing every pair of documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .model import DetectorModel
from .reference import ReferenceIndex
from .results import DocumentResult
from .scoring import score_document
from .text import DecodeError, read_text

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
    index: ReferenceIndex,
    *,
    model: DetectorModel | None = None,
    threshold: float | None = None,
    on_error: Callable[[Path, str], None] | None = None,
) -> list[SuspectMatch]:
    """Score each suspect file against the originals in ``index``. A file that
    cannot be read is reported through ``on_error`` and left out."""
    out = []
    for path in suspects:
        try:
            text = read_text(str(path))
        except (OSError, DecodeError) as exc:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if on_error is not None:
                on_error(path, message)
            continue
        result = score_document(text, reference=index, model=model, threshold=threshold)
        out.append(_summary(str(path), result))
    return out
