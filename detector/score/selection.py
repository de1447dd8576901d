"""``--select`` and ``--ignore``: which reason codes a run reports.

A flagged paragraph is reported when at least one of its reasons is
selected (every code by default) and not ignored; it then shows only those
reasons. A paragraph whose every reason is filtered out is reported as not
flagged, and its document's count of flagged paragraphs goes down with it.
Scores, the document's score and its verdict do not change: the filter
chooses what is reported, as a linter's rule selection does, not what the
model found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from detector.results import DocumentResult, ParagraphResult

__all__ = ["ReasonFilter", "matches_code"]


def matches_code(code: str, selector: str) -> bool:
    """True when ``selector`` names ``code`` itself or a family of codes it
    belongs to (``art`` or ``art.`` for ``art.mangled_date``)."""
    family = selector if selector.endswith(".") else selector + "."
    return code == selector or code.startswith(family)


@dataclass(frozen=True)
class ReasonFilter:
    """Reason codes or families to report (``select``: empty for all) and to
    leave out (``ignore``, which wins)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """True when the filter can change anything."""
        return bool(self.select or self.ignore)

    def keeps(self, code: str) -> bool:
        """True when a reason with this code is reported."""
        if any(matches_code(code, s) for s in self.ignore):
            return False
        return not self.select or any(matches_code(code, s) for s in self.select)

    def paragraph(self, paragraph: ParagraphResult) -> ParagraphResult:
        """The paragraph with only the reasons reported; not flagged when none is."""
        if not self.active or paragraph.score is None:
            return paragraph
        reasons = tuple(r for r in paragraph.reasons if self.keeps(r.code))
        return replace(paragraph, reasons=reasons, flagged=paragraph.flagged and bool(reasons))

    def document(self, result: DocumentResult) -> DocumentResult:
        """The document with its paragraphs filtered and counted again."""
        if not self.active:
            return result
        paragraphs = tuple(self.paragraph(p) for p in result.paragraphs)
        return replace(result, paragraphs=paragraphs,
                       n_flagged=sum(p.flagged for p in paragraphs))

    def stream(self, items: Iterable[ParagraphResult | DocumentResult]
               ) -> Iterator[ParagraphResult | DocumentResult]:
        """A streamed document (:func:`detector.score.document.iter_document`)
        filtered as it comes; the closing summary counts the paragraphs still
        flagged."""
        flagged = 0
        for item in items:
            if isinstance(item, DocumentResult):
                yield replace(item, n_flagged=flagged) if self.active else item
                return
            item = self.paragraph(item)
            flagged += item.flagged
            yield item
