"""The text format's closing lines: one per JSON Lines file, and the run's total."""

from __future__ import annotations

from dataclasses import dataclass, field

from detector.io.escape import printable
from detector.report.wording import plural

__all__ = ["RunSummary"]


@dataclass
class _Tally:
    documents: int = 0
    flagged_documents: int = 0
    paragraphs: int = 0
    flagged_paragraphs: int = 0

    def add(self, flagged: int, scored: int) -> None:
        self.documents += 1
        self.flagged_documents += flagged > 0
        self.paragraphs += scored
        self.flagged_paragraphs += flagged


@dataclass
class RunSummary:
    """Totals of one ``detector flag`` run (local to the run). The records
    of a JSON Lines file get one summary line when the file ends, not one
    each; the run ends with its total when it scored more than one document."""

    _run: _Tally = field(default_factory=_Tally)
    _file: _Tally = field(default_factory=_Tally)
    _path: str | None = None

    def begin(self, path: str) -> list[str]:
        """The lines due before the output of a document from ``path``: the
        summary of the JSON Lines file before it, when that file has ended."""
        return self._end_file() if self._path is not None and self._path != path else []

    def add(self, path: str, is_record: bool, counts: tuple[int, int] | None) -> None:
        """Count one scored document (``counts``: paragraphs flagged, scored;
        None when it could not be scored)."""
        if is_record:
            self._path = path
        if counts is None:
            return
        self._run.add(*counts)
        if is_record:
            self._file.add(*counts)

    def _end_file(self) -> list[str]:
        tally, path = self._file, self._path
        self._file, self._path = _Tally(), None
        if not tally.documents:
            return []
        return [f"{printable(path or '')}: {tally.flagged_documents} of "
                f"{plural(tally.documents, 'record')} flagged ({tally.flagged_paragraphs} of "
                f"{plural(tally.paragraphs, 'prose paragraph')})"]

    def finish(self) -> list[str]:
        """The last file's line, if a JSON Lines file was last, and the total."""
        lines = self._end_file()
        run = self._run
        if run.documents > 1:
            lines.append(f"total: {run.flagged_documents} of {plural(run.documents, 'document')} "
                         f"flagged ({run.flagged_paragraphs} of "
                         f"{plural(run.paragraphs, 'prose paragraph')})")
        return lines
