"""Alignment features: how a paragraph differs from its source in the reference.

Computed only in reference mode, from the :class:`~detector.reference.index.SourceMatch`
of every paragraph of a document. Per paragraph: the share of words kept,
substituted, inserted and deleted; what the substitutions look like (a common
word for a rarer one, a name respelled, a month name lost, capitals moved,
articles and prepositions swapped, or one-letter fixes as an editor makes);
which names, numbers and rare words of the source were kept. Per document: how
the *other* paragraphs were changed, since a content farm spins a whole
article and leaves some paragraphs untouched.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from detector.reference.alignment import raw_word_count, words
from detector.reference.index import ReferenceIndex, SourceMatch
from detector.resources import word_zipf
from detector.results import Change, Reason

__all__ = ["NAMES", "compute_document", "reference_features", "source_label"]


PARAGRAPH_NAMES = (
    "ref.has_source",
    "ref.cosine",
    "ref.coverage",
    "ref.n_sources",
    "ref.reciprocal",
    "ref.verbatim",
    "ref.kept",
    "ref.source_kept",
    "ref.replaced",
    "ref.inserted",
    "ref.deleted",
    "ref.longest_insert",
    "ref.longest_delete",
    "ref.moved",
    "ref.blocks_per_word",
    "ref.longest_equal",
    "ref.shared_phrases",
    "ref.case_changes",
    "ref.word_subs",
    "ref.function_subs",
    "ref.spelling_subs",
    "ref.inflection_subs",
    "ref.rarer_subs",
    "ref.zipf_delta",
    "ref.names_changed",
    "ref.numbers_changed",
    "ref.dates_changed",
    "ref.immutables_kept",
    "ref.log_words",
)


DOCUMENT_NAMES = (
    "ref.neighbour_consistent",
    "ref.doc_strong_share",
    "ref.doc_matched_share",
    "ref.doc_others_kept",
    "ref.doc_others_word_subs",
    "ref.doc_others_verbatim",
    "ref.doc_others_changed",
)


NAMES = PARAGRAPH_NAMES + DOCUMENT_NAMES


# A substitution is towards a rarer word when the Zipf frequency drops this much.
RARER = 0.5


# At most this many word substitutions are named in reasons.
SHOWN_SUBSTITUTIONS = 2


def _per_100(count: int, words: int) -> float:
    return 100.0 * count / max(1, words)


def _paragraph_values(match: SourceMatch | None, n_words: int) -> list[float]:
    if match is None:
        return [0.0] * len(PARAGRAPH_NAMES)
    a = match.alignment
    n = max(1, a.n_words)
    kinds = [c.kind for c in a.changes]
    subs = [c for c in a.changes if c.kind == "word"]
    deltas = [word_zipf(c.new.lower()) - word_zipf(c.old.lower()) for c in subs]
    return [
        1.0,
        match.cosine,
        match.coverage,
        float(len(match.sources)),
        float(match.reciprocal),
        float(match.verbatim),
        a.kept / n,
        a.kept / max(1, a.n_source_words),
        a.replaced / n,
        a.inserted / n,
        a.deleted / max(1, a.n_source_words),
        a.longest_insert / n,
        a.longest_delete / max(1, a.n_source_words),
        a.moved / n,
        _per_100(a.equal_blocks, n),
        float(min(a.longest_equal, 20)),
        _per_100(a.shared_phrases, n),
        _per_100(kinds.count("case"), n),
        _per_100(len(subs), n),
        _per_100(kinds.count("function_word"), n),
        _per_100(kinds.count("spelling"), n),
        _per_100(kinds.count("inflection"), n),
        sum(1 for d in deltas if d <= -RARER) / len(deltas) if deltas else 0.0,
        float(np.mean(deltas)) if deltas else 0.0,
        float(kinds.count("name")),
        float(kinds.count("number")),
        float(kinds.count("date")),
        a.immutables_kept / a.immutables if a.immutables else 1.0,
        math.log1p(n_words),
    ]


# A match this strong is a source beyond doubt; a weak match next to strong
# ones in the same order is far more likely a source than one on its own.
STRONG_COSINE = 0.5


NEIGHBOURHOOD = 2


def _neighbour_consistent(matches: Sequence[SourceMatch | None], k: int) -> float:
    """1 when the nearest paragraph before or after this one with a strong match
    was matched in the same reference, on the right side of this one's source
    and not much further from it than the two paragraphs are apart (a copy
    keeps the order of its source)."""
    match = matches[k]
    if match is None:
        return 0.0
    here = match.sources[0]
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(matches) and (matches[j] is None
                                         or matches[j].cosine < STRONG_COSINE):  # type: ignore[union-attr]
            j += step
        if not 0 <= j < len(matches):
            continue
        other = matches[j]
        assert other is not None
        there = other.sources[0] if step > 0 else other.sources[-1]
        if there.reference != here.reference:
            continue
        gap = (there.paragraph - here.paragraph) * step
        if 0 <= gap <= NEIGHBOURHOOD * abs(j - k) + 1:
            return 1.0
    return 0.0


def _document_values(rows: np.ndarray, matches: Sequence[SourceMatch | None]) -> np.ndarray:
    """Per paragraph: whether its neighbours' sources vouch for its own, and how
    the *other* paragraphs of the document were matched and changed."""
    n = len(rows)
    if n == 0:
        return np.zeros((0, len(DOCUMENT_NAMES)))
    col = {name: k for k, name in enumerate(PARAGRAPH_NAMES)}
    matched = rows[:, col["ref.has_source"]]
    strong = (rows[:, col["ref.cosine"]] >= STRONG_COSINE).astype(np.float64)
    others = n - 1
    others_matched = matched.sum() - matched
    safe = np.where(others_matched > 0, others_matched, 1.0)

    def over_other_matched(values: np.ndarray) -> np.ndarray:
        return np.where(others_matched > 0, (values.sum() - values) / safe, 0.0)

    def matched_mean_of(name: str) -> np.ndarray:
        return over_other_matched(rows[:, col[name]] * matched)

    columns = {
        "ref.neighbour_consistent": np.array([_neighbour_consistent(matches, k) for k in range(n)],
                                             dtype=np.float64),
        "ref.doc_strong_share": (strong.sum() - strong) / others if others else np.zeros(n),
        "ref.doc_matched_share": (matched.sum() - matched) / others if others else np.zeros(n),
        "ref.doc_others_kept": matched_mean_of("ref.kept"),
        "ref.doc_others_word_subs": matched_mean_of("ref.word_subs"),
        "ref.doc_others_verbatim": matched_mean_of("ref.verbatim"),
        "ref.doc_others_changed": over_other_matched(matched * (1.0 - rows[:, col["ref.verbatim"]])),
    }
    return np.column_stack([columns[name] for name in DOCUMENT_NAMES])


def source_label(match: SourceMatch) -> str:
    """'000.txt paragraph 12 (line 23)', and the further sources of a merge."""
    first = match.sources[0]
    label = f"{first.reference} paragraph {first.paragraph} (line {first.line})"
    if len(match.sources) > 1:
        label += " + " + ", ".join(f"{s.paragraph} (line {s.line})" for s in match.sources[1:])
    return label


_CHANGE_REASONS = {
    "name": ("ref.name_changed", "name respelled: '{old}' -> '{new}'"),
    "number": ("ref.number_changed", "number changed: '{old}' -> '{new}'"),
    "date": ("ref.date_changed", "month name lost: '{old}' -> '{new}'"),
    "case": ("ref.case_changed", "capitalisation changed: '{old}' -> '{new}'"),
}


def _change_reason(change: Change) -> Reason:
    code, template = _CHANGE_REASONS[change.kind]
    return Reason(code, template.format(old=change.old, new=change.new), change.start, change.end)


def _paragraph_reasons(match: SourceMatch | None) -> list[Reason]:
    if match is None:
        return [Reason("ref.no_source", "no source paragraph found in the reference")]
    if match.verbatim:
        return [Reason("ref.copy", f"copied verbatim from {source_label(match)}")]
    a = match.alignment
    n = max(1, a.n_words)
    reasons = [Reason(
        "ref.source",
        f"source: {source_label(match)}; {100 * a.replaced / n:.0f}% of words substituted, "
        f"{100 * a.inserted / n:.0f}% inserted, {100 * a.deleted / max(1, a.n_source_words):.0f}%"
        " of the source's words dropped",
    )]
    seen: set[tuple[str, str]] = set()
    for kind in ("name", "date", "number", "case"):
        for change in a.changes:
            if change.kind == kind and (change.old, change.new) not in seen:
                seen.add((change.old, change.new))
                reasons.append(_change_reason(change))
    substitutions = sorted(
        (c for c in a.changes if c.kind == "word"),
        key=lambda c: word_zipf(c.new.lower()) - word_zipf(c.old.lower()),
    )
    for change in substitutions[:SHOWN_SUBSTITUTIONS]:
        drop = word_zipf(change.old.lower()) - word_zipf(change.new.lower())
        detail = " (a rarer word)" if drop >= RARER else ""
        reasons.append(Reason("ref.word_substituted",
                              f"word substituted: '{change.old}' -> '{change.new}'{detail}",
                              change.start, change.end))
    return reasons


def compute_document(
    matches: Sequence[SourceMatch | None], n_words: Sequence[int]
) -> tuple[np.ndarray, list[list[Reason]]]:
    """The alignment columns (``NAMES``) of every paragraph of a document, and
    the reasons that show each paragraph's source and changes."""
    rows = np.array([_paragraph_values(m, w) for m, w in zip(matches, n_words)],
                    dtype=np.float64).reshape(len(matches), len(PARAGRAPH_NAMES))
    matrix = np.hstack([rows, _document_values(rows, matches)])
    return matrix, [_paragraph_reasons(m) for m in matches]


def reference_features(
    index: ReferenceIndex,
    texts: Sequence[str],
    offsets: Sequence[int],
) -> tuple[np.ndarray, list[list[Reason]], list[SourceMatch | None]]:
    """Match the paragraphs of one document (``texts``, starting at ``offsets``)
    against ``index``; return their alignment columns, reasons and matches.
    Each paragraph is tokenised once, for the match and for its word count."""
    tokens = [words(t, o) for t, o in zip(texts, offsets)]
    matches = index.match(texts, offsets, tokens)
    n_words = [raw_word_count(t, w) for t, w in zip(texts, tokens)]
    matrix, reasons = compute_document(matches, n_words)
    return matrix, reasons, matches
