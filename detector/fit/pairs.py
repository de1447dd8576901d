"""Reading a user's labelled training data (the input side of ``detector train``).

Three forms, in any mix:

- two files given as a pair (clean, mangled);
- a directory of ``NAME.clean.txt`` / ``NAME.mangled.txt`` files;
- JSON Lines (optionally gzipped), one object per line, either
  ``{"clean": ..., "mangled": ...}`` (a pair) or
  ``{"text": ..., "label": "clean"|"mangled"}``, each with an optional ``group``
  (the text, label and group fields can be renamed, see :class:`JsonlFields`).

Texts are segmented exactly as scoring segments them; only prose paragraphs
are kept. Both sides of a pair share one group, so cross-validation never puts
a text and its copy on opposite sides of a split. Every paragraph of a
mangled side is aligned to its most similar paragraph of the clean side.
Bad input raises :class:`DataError` naming the file (and line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from detector.errors import DataError, DecodeError
from detector.fit.digests import file_digest, paragraph_digest
from detector.fit.training_matrix import LabelledDocument
from detector.io.decode import decode_bytes
from detector.io.jsonl import LABELS, get_label, get_string, is_jsonl, iter_objects
from detector.segment.paragraphs import split_paragraphs

__all__ = ["PairAlignment", "JsonlFields", "TrainingData", "align_paragraphs", "read_training_data"]


# A mangled paragraph is aligned only when it shares at least this share of
# its content words with a clean paragraph.
MIN_ALIGNMENT = 0.1


# At most this many duplicate locations are listed in a model's metadata.
MAX_LISTED = 100


_NAMES = {0: "clean", 1: "mangled"}


_CONTENT_WORD = re.compile(r"[^\W_]{3,}|\d+")


@dataclass(frozen=True)
class PairAlignment:
    """For each paragraph of a mangled text: the index of its source paragraph in
    the clean text (or None) and the content-word overlap that chose it."""

    group: str
    source: tuple[int | None, ...]
    similarity: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """The alignment as a JSON-ready dict."""
        return {"group": self.group, "source": list(self.source),
                "similarity": [round(s, 3) for s in self.similarity]}


@dataclass(frozen=True)
class TrainingData:
    """Labelled documents read from the user's files, and what reading them found."""

    documents: tuple[LabelledDocument, ...]
    files: tuple[dict[str, Any], ...]
    alignments: tuple[PairAlignment, ...] = ()
    duplicates: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """Files with hashes, the digest of every training paragraph
        (:func:`paragraph_digest`), and counts of documents, paragraphs and
        groups per label."""
        counts: dict[str, dict[str, int]] = {}
        for name, label in LABELS.items():
            docs = [d for d in self.documents if d.labels and d.labels[0] == label]
            counts[name] = {
                "documents": len(docs),
                "paragraphs": sum(len(d.labels) for d in docs),
                "groups": len({d.group for d in docs}),
            }
        return {
            "files": list(self.files),
            "paragraph_digests": sorted({paragraph_digest(p) for d in self.documents
                                         for p in d.paragraphs}),
            "counts": counts,
            "groups": len({d.group for d in self.documents}),
            "duplicates_dropped": len(self.duplicates),
            "duplicates": list(self.duplicates[:MAX_LISTED]),
            "conflicts_dropped": len(self.conflicts),
            "conflicts": list(self.conflicts[:MAX_LISTED]),
            "alignments": [a.to_dict() for a in self.alignments],
        }


def _words(text: str) -> set[str]:
    return {w.lower() for w in _CONTENT_WORD.findall(text)}


def align_paragraphs(
    clean: Sequence[str], mangled: Sequence[str]
) -> tuple[tuple[int | None, ...], tuple[float, ...]]:
    """Index of the most similar clean paragraph for each mangled paragraph.

    Similarity is the share of the mangled paragraph's content words (3+
    letters, or digits) found in the clean paragraph: names and numbers
    survive spinning and translation round trips, so they anchor the match.
    Below :data:`MIN_ALIGNMENT` the paragraph gets None (no source found).
    """
    clean_words = [_words(p) for p in clean]
    sources: list[int | None] = []
    similarities: list[float] = []
    for paragraph in mangled:
        words = _words(paragraph)
        best, best_score = None, 0.0
        for index, candidate in enumerate(clean_words):
            score = len(words & candidate) / len(words) if words else 0.0
            if score > best_score:
                best, best_score = index, score
        if best_score < MIN_ALIGNMENT:
            best = None
        sources.append(best)
        similarities.append(best_score)
    return tuple(sources), tuple(similarities)


def _prose(text: str) -> tuple[str, ...]:
    return tuple(s.text for s in split_paragraphs(text) if s.skipped is None)


def _read_file(path: Path) -> tuple[str, bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return decode_bytes(data), data
    except DecodeError as exc:
        raise DataError(f"{path}: {exc}") from None


class _Collector:
    """Builds documents one text or pair at a time, checking each as it comes."""

    def __init__(self) -> None:
        # A document later found under both labels is replaced by None.
        self.documents: list[LabelledDocument | None] = []
        self.files: list[dict[str, Any]] = []
        self.alignments: list[PairAlignment] = []
        # Texts given again: text, where, its label, the first label, where first.
        self._repeats: list[tuple[str, str, int, int, str]] = []
        self._seen: dict[str, tuple[int, str, str, int]] = {}  # text -> label, group, where, document
        self._conflicting: set[str] = set()
        # What the documents being read are reported under in the model's
        # metrics: the JSON Lines file, the directory, or "--pair".
        self.source = ""

    def text(self, text: str, label: int, group: str, where: str) -> str:
        """Add one labelled text; returns the group it is filed under (the group
        of its first occurrence when it is a duplicate). A text seen before with
        the other label teaches nothing (real MT output can equal its human
        reference, "Thank you."): every copy of it is left out and listed."""
        paragraphs = _prose(text)
        if not paragraphs:
            raise DataError(f"{where}: empty text (no prose paragraph to learn from)")
        key = "\n\n".join(paragraphs)
        seen = self._seen.get(key)
        if seen is not None:
            first_label, first_group, first_where, document = seen
            self._repeats.append((key, where, label, first_label, first_where))
            if first_label != label:
                self._conflicting.add(key)
                self.documents[document] = None
            return first_group
        self._seen[key] = (label, group, where, len(self.documents))
        self.documents.append(
            LabelledDocument(paragraphs, (label,) * len(paragraphs), group, self.source))
        return group

    def kept(self) -> tuple[LabelledDocument, ...]:
        """The documents to learn from: all but those found under both labels."""
        return tuple(d for d in self.documents if d is not None)

    def duplicates(self) -> tuple[str, ...]:
        """Where a text was given again with its label and counted once."""
        return tuple(f"{where} ({_NAMES[label]}, as {first_where})"
                     for key, where, label, _, first_where in self._repeats
                     if key not in self._conflicting)

    def conflicts(self) -> tuple[str, ...]:
        """Where a text found under both labels was given again (every copy is left out)."""
        return tuple(f"{where} ({_NAMES[label]}; {_NAMES[first]} at {first_where})"
                     for key, where, label, first, first_where in self._repeats
                     if key in self._conflicting)

    def pair(self, clean: str, mangled: str, group: str, where: str,
             mangled_where: str | None = None) -> None:
        clean_prose, mangled_prose = _prose(clean), _prose(mangled)
        if clean_prose and clean_prose == mangled_prose:
            raise DataError(f"{where}: the clean and mangled texts are identical")
        # A side seen before keeps its first group, so a text and all its
        # copies stay on one side of every cross-validation split.
        group = self.text(clean, 0, group, where)
        before = len(self.documents)
        self.text(mangled, 1, group, mangled_where or where)
        if len(self.documents) > before:  # a new mangled text: align it with its source
            sources, similarity = align_paragraphs(clean_prose, mangled_prose)
            self.alignments.append(PairAlignment(group, sources, similarity))


@dataclass(frozen=True)
class JsonlFields:
    """Which JSON Lines fields hold the text, the label and the group."""

    text: str = "text"
    label: str = "label"
    group: str = "group"


def _read_jsonl(path: Path, collector: _Collector, fields: JsonlFields) -> None:
    collector.source = str(path)
    count = 0
    for where, obj in iter_objects(path):
        value = obj.get(fields.group)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
            raise DataError(f"{where}: field '{fields.group}' must be a string or an integer")
        group = str(value) if value is not None else where
        if "clean" in obj or "mangled" in obj:
            collector.pair(get_string(obj, "clean", where),
                           get_string(obj, "mangled", where), group, where)
        else:
            label = get_label(obj, fields.label, where)
            collector.text(get_string(obj, fields.text, where), label, group, where)
        count += 1
    if count == 0:
        raise DataError(f"{path}: no records")
    collector.files.append({"path": str(path), "sha256": file_digest(path.read_bytes()),
                            "records": count})


def _read_pair(clean_path: Path, mangled_path: Path, collector: _Collector) -> None:
    clean, clean_bytes = _read_file(clean_path)
    mangled, mangled_bytes = _read_file(mangled_path)
    collector.pair(clean, mangled, f"pair:{clean_path}", str(clean_path), str(mangled_path))
    for path, data in ((clean_path, clean_bytes), (mangled_path, mangled_bytes)):
        collector.files.append({"path": str(path), "sha256": file_digest(data)})


def _read_directory(directory: Path, collector: _Collector) -> None:
    collector.source = str(directory)
    names: dict[str, dict[str, Path]] = {}
    for path in sorted(directory.iterdir()):
        for label in LABELS:
            suffix = f".{label}.txt"
            if path.name.endswith(suffix):
                names.setdefault(path.name[: -len(suffix)], {})[label] = path
    if not names:
        raise DataError(f"{directory}: no NAME.clean.txt / NAME.mangled.txt files "
                        "(subdirectories are not searched)")
    for name, sides in sorted(names.items()):
        for label, other in (("clean", "mangled"), ("mangled", "clean")):
            if label in sides and other not in sides:
                raise DataError(f"{sides[label]}: no matching {name}.{other}.txt beside it")
        _read_pair(sides["clean"], sides["mangled"], collector)


def read_training_data(
    paths: Iterable[str | Path] = (),
    pairs: Iterable[tuple[str | Path, str | Path]] = (),
    fields: JsonlFields = JsonlFields(),
    require_both_labels: bool = True,
) -> TrainingData:
    """Read directories, JSON Lines files and explicit (clean, mangled) file pairs.

    Raises :class:`DataError` (naming the file and line) for missing fields,
    empty texts, identical pair sides, text that is not UTF-8, or data with
    only one label (unless ``require_both_labels`` is False, for data added to
    a base). A text given twice is kept once, under its first group, and
    listed in ``duplicates``; a text given with both labels is left out
    (every copy) and listed in ``conflicts``.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    collector = _Collector()
    collector.source = "--pair"
    for clean, mangled in pairs:
        _read_pair(Path(clean), Path(mangled), collector)
    for raw in paths:
        path = Path(raw)
        try:
            if not path.exists():
                raise DataError(f"{path}: no such file or directory")
            if path.is_dir():
                _read_directory(path, collector)
            elif is_jsonl(path.name):
                _read_jsonl(path, collector, fields)
            else:
                raise DataError(
                    f"{path}: not a directory or JSON Lines file; give text files as "
                    "--pair CLEAN MANGLED")
        except OSError as exc:
            raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    documents = collector.kept()
    if not documents:
        raise DataError("no training data given" if not collector.conflicts() else
                        "no training data left: every text is given with both labels")
    present = {label for doc in documents for label in doc.labels}
    if require_both_labels and present != {0, 1}:
        only = "clean" if present == {0} else "mangled"
        raise DataError(f"only {only} texts given: training needs both clean and mangled text")
    return TrainingData(documents, tuple(collector.files), tuple(collector.alignments),
                        collector.duplicates(), collector.conflicts())
