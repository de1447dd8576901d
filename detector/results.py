"""Result types shared by scoring, the CLI and every renderer.

Results are frozen dataclasses with ``to_dict()``; reasons are data
(code, message, character span) so the text, JSON, SARIF and HTML outputs
all render the same objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Reason", "ParagraphResult", "DocumentResult"]


@dataclass(frozen=True)
class Reason:
    """Why a paragraph looks mangled: a stable code, a message, and a span.

    ``start``/``end`` are character offsets into the scored document text, or
    None when the reason concerns the whole paragraph.
    """

    code: str
    message: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The reason as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class ParagraphResult:
    """One paragraph of a document: where it is, its score, and why."""

    index: int
    line: int
    end_line: int
    start: int
    end: int
    score: float | None
    flagged: bool
    skipped: str | None
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The paragraph result as a JSON-ready dict."""
        return {
            "index": self.index,
            "line": self.line,
            "end_line": self.end_line,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "flagged": self.flagged,
            "skipped": self.skipped,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class DocumentResult:
    """A scored document: its score, label, threshold and paragraphs."""

    score: float | None
    flagged: bool
    label: str
    threshold: float
    paragraphs: tuple[ParagraphResult, ...]
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def flagged_paragraphs(self) -> tuple[ParagraphResult, ...]:
        """The paragraphs whose score reached the threshold."""
        return tuple(p for p in self.paragraphs if p.flagged)

    def to_dict(self) -> dict[str, Any]:
        """The document result as a JSON-ready dict."""
        return {
            "score": self.score,
            "flagged": self.flagged,
            "label": self.label,
            "threshold": self.threshold,
            "n_paragraphs": len(self.paragraphs),
            "n_scored": sum(p.score is not None for p in self.paragraphs),
            "n_flagged": len(self.flagged_paragraphs),
            "reasons": [r.to_dict() for r in self.reasons],
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }
