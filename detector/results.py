"""Result types shared by scoring, the CLI and every renderer.

Results are frozen dataclasses with ``to_dict()``; reasons are data
(code, message, character span) so the text, JSON, SARIF and HTML outputs
all render the same objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["COPY_VERDICTS", "Alignment", "Change", "DocumentResult", "EditOp", "ParagraphResult", "Reason", "SourceParagraph", "SuspectMatch"]


@dataclass(frozen=True)
class Reason:
    """Why a paragraph looks mangled: a stable code, a message, and a span.

    ``start``/``end`` are character offsets into the scored document text, or
    None when the reason concerns the whole paragraph; ``line`` and
    ``column`` (1-based) say where ``start`` is. ``value`` is the measure
    behind the reason where there is one (a word pair's log-odds against the
    word alone, a style measure's distance from human text in standard
    deviations, a score), kept out of the sentence.
    """

    code: str
    message: str
    start: int | None = None
    end: int | None = None
    line: int | None = None
    column: int | None = None
    value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The reason as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class SourceParagraph:
    """A paragraph of a reference document: which document, which paragraph, where."""

    reference: str
    paragraph: int
    line: int
    end_line: int
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The source paragraph as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class EditOp:
    """One step of a word alignment: ``equal``, ``replace``, ``insert`` or ``delete``.

    ``source_start``/``source_end`` are character offsets in the reference
    document, ``start``/``end`` in the scored document; the texts are those spans.
    """

    op: str
    source_start: int
    source_end: int
    start: int
    end: int
    source_text: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        """The operation as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Change:
    """A change read off an alignment: what ``old`` became (``new``), and where.

    ``kind`` is one of ``name`` (a name respelled), ``number``, ``date`` (a
    month name lost), ``case`` (capitalisation only), ``function_word`` (an
    article, preposition or pronoun swapped), ``spelling`` (a one- or two-letter
    fix, as an editor makes), ``inflection`` ('discussing' -> 'discussed') or
    ``word`` (another word, as a spinner or a translation makes).
    ``start``/``end`` is the span of ``new`` in the scored document.
    """

    kind: str
    old: str
    new: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Alignment:
    """How a paragraph relates to its source in the reference (reference mode).

    ``verdict`` is ``spun`` (flagged), ``copy`` (verbatim) or ``edited`` (a
    close copy, not flagged). The shares count words: ``kept``, ``substituted``
    and ``inserted`` of the paragraph's words, ``dropped`` of the source's.
    """

    verdict: str
    sources: tuple[SourceParagraph, ...]
    similarity: float
    kept: float
    substituted: float
    inserted: float
    dropped: float
    changes: tuple[Change, ...]
    ops: tuple[EditOp, ...]

    def to_dict(self) -> dict[str, Any]:
        """The alignment as a JSON-ready dict."""
        return {
            "verdict": self.verdict,
            "sources": [s.to_dict() for s in self.sources],
            "similarity": self.similarity,
            "kept": self.kept,
            "substituted": self.substituted,
            "inserted": self.inserted,
            "dropped": self.dropped,
            "changes": [c.to_dict() for c in self.changes],
            "ops": [o.to_dict() for o in self.ops],
        }


@dataclass(frozen=True)
class ParagraphResult:
    """One paragraph of a document: where it is, its score, and why.

    ``alignment`` is set in reference mode when a source was found;
    ``column`` is the 1-based column of the paragraph's first character.
    """

    index: int
    line: int
    end_line: int
    start: int
    end: int
    score: float | None
    flagged: bool
    skipped: str | None
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    alignment: Alignment | None = None
    column: int = 1

    def to_dict(self) -> dict[str, Any]:
        """The paragraph result as a JSON-ready dict."""
        return {
            "index": self.index,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "flagged": self.flagged,
            "skipped": self.skipped,
            "reasons": [r.to_dict() for r in self.reasons],
            "alignment": self.alignment.to_dict() if self.alignment else None,
        }


@dataclass(frozen=True)
class DocumentResult:
    """A scored document: its score, label, threshold and paragraphs.

    ``source`` names the reference document most of its paragraphs were
    matched to (reference mode only). ``n_paragraphs``, ``n_scored`` and
    ``n_flagged`` count the paragraphs (all, scored, flagged); they are
    filled in from ``paragraphs`` when not given. The summary that ends a
    streamed document (:func:`detector.score.document.iter_document`) has no
    ``paragraphs`` (they were yielded one by one) but keeps the counts.
    """

    score: float | None
    flagged: bool
    label: str
    threshold: float
    paragraphs: tuple[ParagraphResult, ...]
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    source: str | None = None
    n_paragraphs: int = -1
    n_scored: int = -1
    n_flagged: int = -1

    def __post_init__(self) -> None:
        if self.n_paragraphs < 0:
            object.__setattr__(self, "n_paragraphs", len(self.paragraphs))
        if self.n_scored < 0:
            object.__setattr__(self, "n_scored",
                               sum(p.score is not None for p in self.paragraphs))
        if self.n_flagged < 0:
            object.__setattr__(self, "n_flagged", sum(p.flagged for p in self.paragraphs))

    @property
    def flagged_paragraphs(self) -> tuple[ParagraphResult, ...]:
        """The paragraphs whose score reached the threshold."""
        return tuple(p for p in self.paragraphs if p.flagged)

    @property
    def reference_verdict(self) -> Reason | None:
        """The reference-mode verdict (the document's ``ref.*`` reason), or None."""
        return next((r for r in self.reasons if r.code.startswith("ref.")), None)

    def summary_dict(self) -> dict[str, Any]:
        """Everything of :meth:`to_dict` but the paragraphs."""
        return {
            "score": self.score,
            "flagged": self.flagged,
            "label": self.label,
            "threshold": self.threshold,
            "n_paragraphs": self.n_paragraphs,
            "n_scored": self.n_scored,
            "n_flagged": self.n_flagged,
            "reasons": [r.to_dict() for r in self.reasons],
            "source": self.source,
        }

    def to_dict(self) -> dict[str, Any]:
        """The document result as a JSON-ready dict."""
        return {**self.summary_dict(), "paragraphs": [p.to_dict() for p in self.paragraphs]}


# The document verdicts of reference mode that say a suspect copies an
# original: spun, verbatim, or a close copy with a few edits. A partial match
# (fewer than half the paragraphs) and no match are not copies.
COPY_VERDICTS = ("ref.spun_copy", "ref.copy", "ref.edited_copy")


@dataclass(frozen=True)
class SuspectMatch:
    """One suspect document: its best-matching original and the verdict.

    ``score`` is the document score (the length-weighted mean of its
    paragraphs' probabilities of being spun or machine-translated); a
    paragraph with a source is scored from how it was changed, one without
    from its text alone. ``verdict`` is a ``ref.*`` reason code.
    """

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
        """True when the suspect copies an original: spun, verbatim or closely
        edited (:data:`COPY_VERDICTS`)."""
        return self.verdict in COPY_VERDICTS

    @property
    def threshold(self) -> float:
        """The probability at which a paragraph counts as spun or machine-translated."""
        return self.result.threshold

    def to_dict(self) -> dict[str, Any]:
        """The match as a JSON-ready dict (without the paragraph details)."""
        return {"path": self.path, "original": self.original, "matched": self.matched,
                "prose": self.prose, "score": self.score, "flagged": self.flagged,
                "threshold": self.threshold, "verdict": self.verdict,
                "copy": self.is_copy, "message": self.message}
