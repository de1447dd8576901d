"""Whether evaluation data overlaps a model's training data.

A model made by ``detector train`` records the SHA-256 of each training file
and a digest of each training paragraph (:mod:`detector.fit.digests`).
``detector evaluate`` compares the data file's hash with the first and the
digests of its records' prose paragraphs with the second: metrics measured on
text a model was trained on overstate how it does on new text. A model whose
metadata records neither (the shipped model, built from public corpora) can
not be checked, and :attr:`TrainingOverlap.checked` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from detector.fit.digests import paragraph_digest, path_digest
from detector.segment.paragraphs import split_paragraphs

__all__ = ["TrainingOverlap", "training_overlap"]


@dataclass(frozen=True)
class TrainingOverlap:
    """What of the evaluation data a model was trained on.

    ``same_files`` are the training files (as the metadata names them) with
    the data file's SHA-256; ``records`` counts the records with at least one
    prose paragraph that is a training paragraph, ``paragraphs`` those
    paragraphs, of ``n_records`` and ``n_paragraphs``. ``checked`` names what
    the metadata allowed to compare: ``file``, ``paragraphs``, both or neither.
    """

    same_files: tuple[str, ...]
    records: int
    paragraphs: int
    n_records: int
    n_paragraphs: int
    checked: tuple[str, ...]

    @property
    def found(self) -> bool:
        """True when the data shares a file or a paragraph with the training data."""
        return bool(self.same_files) or self.paragraphs > 0

    def message(self, data: str, model: str) -> str:
        """One sentence for the standard error: what overlaps, by how much, and why it matters."""
        parts = []
        if self.same_files:
            parts.append(f"it is the same file (same SHA-256) as its training file "
                         f"{', '.join(self.same_files)}")
        if self.paragraphs:
            parts.append(f"{self.records} of {self.n_records} records have prose paragraphs "
                         f"it was trained on ({self.paragraphs} of {self.n_paragraphs} "
                         "paragraphs)")
        return (f"{data} overlaps the training data of model {model}: {'; '.join(parts)}. "
                "Metrics on training data overstate how the model does on new text.")

    def to_dict(self) -> dict[str, Any]:
        """The overlap as a JSON-ready dict."""
        return {"same_files": list(self.same_files), "records": self.records,
                "paragraphs": self.paragraphs, "n_records": self.n_records,
                "n_paragraphs": self.n_paragraphs, "checked": list(self.checked)}


def training_overlap(data: str | Path, texts: Sequence[str],
                     metadata: Mapping[str, Any]) -> TrainingOverlap:
    """Compare the data file at ``data`` (whose records have ``texts``) with
    the training data recorded in a model's ``metadata``."""
    recorded = (metadata.get("training") or {}).get("data") or {}
    files = [f for f in recorded.get("files") or () if isinstance(f, Mapping) and f.get("sha256")]
    digests = set(recorded.get("paragraph_digests") or ())
    checked = (("file",) if files else ()) + (("paragraphs",) if digests else ())
    same: tuple[str, ...] = ()
    if files:
        own = path_digest(data)
        same = tuple(str(f.get("path")) for f in files if f["sha256"] == own)
    records = paragraphs = n_paragraphs = 0
    if digests:
        for text in texts:
            prose = [s.text for s in split_paragraphs(text) if s.skipped is None]
            hits = sum(paragraph_digest(p) in digests for p in prose)
            n_paragraphs += len(prose)
            paragraphs += hits
            records += hits > 0
    return TrainingOverlap(same, records, paragraphs, len(texts), n_paragraphs, checked)
