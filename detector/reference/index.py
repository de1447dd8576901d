"""Reference mode: find the source paragraph(s) of each paragraph among originals.

The originals (one text or many thousands of paragraphs) are segmented like
any input and indexed as sparse TF-IDF vectors of their content words (names,
numbers and other words of three letters or more, case- and accent-folded).
A paragraph's candidates are the reference paragraphs with the highest cosine
similarity, one sparse matrix product for a whole document, not a loop over
raw text. Names, numbers and rare words survive spinning and translation round
trips, so they anchor the match even when half the words were substituted.

The best candidate is kept when it shares enough of the paragraph's content
words; neighbouring reference paragraphs that cover words the first one lacks
are added, so a paragraph that merges two sources gets both. The chosen
sources are then aligned word by word (:mod:`detector.reference.alignment`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

import numpy as np

from detector.errors import ReferenceError
from detector.reference.alignment import Word, WordAlignment, align_words, words
from detector.results import SourceParagraph
from detector.segment.paragraphs import Segment, split_paragraphs
from detector.segment.tokens import FUNCTION_WORDS

__all__ = ["ReferenceIndex", "SourceMatch", "as_reference_index", "content_terms"]


# Reference segments worth indexing: prose, photo captions (a copy may draw
# on them: seed 000 names 'Lecornu' only in a caption), and paragraphs in
# another language (they match nothing English, so a reference in another
# language gives a plain "no match" rather than an error).
_INDEXED_SKIPS = (None, "photo_credit", "not_english")


# A paragraph's best candidate is considered only when the two share at least
# this much: the cosine of their TF-IDF vectors, and the share of the
# paragraph's content words found in the candidate. Whether it is the source
# is then decided by the model's reference stage.
MIN_COSINE = 0.1


MIN_COVERAGE = 0.15


# A neighbouring reference paragraph joins the sources when it adds this much
# coverage of the paragraph's content words.
MERGE_GAIN = 0.12


MAX_SOURCES = 4


CANDIDATES = 5


_STOP = FUNCTION_WORDS | frozenset("said says also would could more most than".split())


_CONTENT = re.compile(r"^(?:\d[\d.,:]*|[^\W\d_]{3,}.*)$")


def content_terms(tokens: Sequence[Word]) -> list[str]:
    """The content words of a token list (folded), as indexed and matched."""
    return [w.key for w in tokens if w.key not in _STOP and _CONTENT.match(w.key)]


@dataclass(frozen=True)
class SourceMatch:
    """A paragraph's source(s) in the references, how similar, and the word alignment."""

    sources: tuple[SourceParagraph, ...]
    cosine: float
    coverage: float
    verbatim: bool
    alignment: WordAlignment
    reciprocal: bool = False


@dataclass(frozen=True)
class _Document:
    name: str
    text: str
    segments: tuple[Segment, ...]


class ReferenceIndex:
    """The paragraphs of one or many reference documents, indexed for lookup.

    ``documents`` are ``(name, text)`` pairs; names appear in reasons and output.
    Raises :class:`ReferenceError` when no document has a paragraph to index.
    """

    def __init__(self, documents: Sequence[tuple[str, str]]) -> None:
        self._documents: list[_Document] = []
        self._entries: list[tuple[int, int]] = []  # (document, segment index)
        self._words: list[list[Word]] = []
        rows: list[Counter[str]] = []
        for doc_id, (name, text) in enumerate(documents):
            segments = tuple(split_paragraphs(text))
            self._documents.append(_Document(name, text, segments))
            for seg_id, segment in enumerate(segments):
                if segment.skipped not in _INDEXED_SKIPS:
                    continue
                tokens = words(segment.text, segment.start)
                terms = content_terms(tokens)
                if not terms:
                    continue
                self._entries.append((doc_id, seg_id))
                self._words.append(tokens)
                rows.append(Counter(terms))
        if not self._entries:
            shown = ", ".join(name for name, _ in documents[:3]) or "(none)"
            raise ReferenceError(f"no prose paragraph to match against in the references given: {shown}")
        vocabulary: dict[str, int] = {}
        for row in rows:
            for term in row:
                vocabulary.setdefault(term, len(vocabulary))
        df = np.zeros(len(vocabulary))
        for row in rows:
            for term in row:
                df[vocabulary[term]] += 1
        n = len(rows)
        self._vocabulary = vocabulary
        self._idf = np.log((1 + n) / (1 + df)) + 1.0
        self._matrix = self._vectors(rows)
        self._terms = [frozenset(row) for row in rows]
        self._position = {entry: k for k, entry in enumerate(self._entries)}

    @property
    def names(self) -> list[str]:
        """The reference documents' names, in the order given."""
        return [d.name for d in self._documents]

    def __len__(self) -> int:
        return len(self._entries)

    def _vectors(self, rows: Sequence[Counter[str]]) -> Any:
        from scipy import sparse

        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for row in rows:
            for term, count in row.items():
                column = self._vocabulary.get(term)
                if column is None:
                    continue
                indices.append(column)
                data.append((1.0 + math.log(count)) * self._idf[column])
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(rows), len(self._vocabulary)))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ matrix

    def source_paragraph(self, entry: int) -> SourceParagraph:
        """The :class:`SourceParagraph` of an index entry."""
        doc_id, seg_id = self._entries[entry]
        document = self._documents[doc_id]
        segment = document.segments[seg_id]
        return SourceParagraph(document.name, seg_id, segment.line, segment.end_line,
                               segment.start, segment.end)

    def match(
        self,
        texts: Sequence[str],
        offsets: Sequence[int],
        tokens: Sequence[list[Word]] | None = None,
    ) -> list[SourceMatch | None]:
        """The best candidate source (or None) of each paragraph of one scored
        document. ``texts`` are the paragraphs, ``offsets`` where each starts in
        the document, so alignment spans are document offsets. ``tokens`` are
        their ``words(text, offset)`` when the caller has them already (each
        paragraph is then tokenised once); without them they are computed here.
        """
        if tokens is None:
            tokens = [words(t, o) for t, o in zip(texts, offsets)]
        elif len(tokens) != len(texts):
            raise ValueError(f"{len(tokens)} token lists for {len(texts)} paragraphs")
        term_lists = [content_terms(t) for t in tokens]
        if not texts:
            return []
        similarities = (self._vectors([Counter(t) for t in term_lists]) @ self._matrix.T).tocsr()
        found: list[tuple[SourceMatch, int] | None] = []
        for k, (text, paragraph_tokens, terms) in enumerate(zip(texts, tokens, term_lists)):
            row = similarities.getrow(k)
            if row.nnz == 0 or not terms:
                found.append(None)
                continue
            order = np.argsort(-row.data)[:CANDIDATES]
            candidates = [(int(row.indices[i]), float(row.data[i])) for i in order]
            found.append(self._best_match(text, offsets[k], paragraph_tokens, set(terms),
                                          candidates))
        # Which paragraph of this document each chosen source resembles most
        # (the first on a tie): a paragraph and its source usually choose
        # each other. Only the chosen sources' columns are looked at.
        firsts = sorted({f[1] for f in found if f is not None})
        best_row = dict(zip(firsts, similarities[:, firsts].toarray().argmax(axis=0).tolist())) \
            if firsts else {}
        return [None if f is None else replace(f[0], reciprocal=best_row[f[1]] == k)
                for k, f in enumerate(found)]

    def _coverage(self, terms: set[str], entries: Sequence[int]) -> float:
        covered = set().union(*(self._terms[e] for e in entries))
        return len(terms & covered) / len(terms)

    def _best_match(
        self,
        text: str,
        offset: int,
        tokens: list[Word],
        terms: set[str],
        candidates: list[tuple[int, float]],
    ) -> tuple[SourceMatch, int] | None:
        """The best candidate with its merged neighbours, aligned, and the index
        entry of its first source; None when no candidate is close enough."""
        best, cosine = max(candidates, key=lambda c: (c[1] + self._coverage(terms, [c[0]]), -c[0]))
        coverage = self._coverage(terms, [best])
        if cosine < MIN_COSINE or coverage < MIN_COVERAGE:
            return None
        chosen = [best]
        while len(chosen) < MAX_SOURCES:
            doc_id = self._entries[chosen[0]][0]
            neighbours = {
                self._position.get((doc_id, seg))
                for entry in chosen
                for seg in (self._entries[entry][1] - 1, self._entries[entry][1] + 1,
                            self._entries[entry][1] - 2, self._entries[entry][1] + 2)
            } - {None} - set(chosen)
            gains = [(self._coverage(terms, chosen + [n]) - coverage, n)
                     for n in neighbours if n is not None]
            if not gains:
                break
            gain, neighbour = max(gains)
            if gain < MERGE_GAIN:
                break
            chosen.append(neighbour)
            coverage += gain
        chosen.sort(key=lambda e: self._entries[e][1])
        doc_id = self._entries[chosen[0]][0]
        source_tokens = [w for e in chosen for w in self._words[e]]
        reference = self._documents[doc_id]
        alignment = align_words(source_tokens, tokens, reference.text, text, offset)
        verbatim = (len(chosen) == 1
                    and [w.text for w in source_tokens] == [w.text for w in tokens])
        match = SourceMatch(tuple(self.source_paragraph(e) for e in chosen), cosine, coverage,
                            verbatim, alignment)
        return match, chosen[0]


def as_reference_index(
    reference: "str | Sequence[str] | Mapping[str, str] | ReferenceIndex",
) -> ReferenceIndex:
    """A :class:`ReferenceIndex` from one text, a list of texts (named
    'reference 1', 'reference 2', ...), a mapping of names to texts, or an
    index already built (returned as is, so it can serve many documents)."""
    if isinstance(reference, ReferenceIndex):
        return reference
    if isinstance(reference, str):
        return ReferenceIndex([("reference", reference)])
    if isinstance(reference, Mapping):
        items = list(reference.items())
    else:
        items = [(f"reference {k}", text) for k, text in enumerate(reference, start=1)]
    for name, text in items:
        if not isinstance(text, str):
            raise TypeError(f"reference {name!r} must be a str, not {type(text).__name__}")
    return ReferenceIndex(items)
