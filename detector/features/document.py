"""Consistency across a whole document: the same name spelled two ways.

A round trip renders each occurrence of a name on its own, so one document
ends up with 'Kyiv' and 'Kiev', 'Zelensky' and 'Zelenskyy', 'Lecornu' and
'Lecorno'. Human editors keep one spelling.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Sequence

from detector.features.view import ParagraphView
from detector.resources import lowercase_words, word_zipf
from detector.results import Reason

__all__ = ["NAMES", "compute_document", "edit_distance", "skeleton"]

NAMES = ("doc.name_variants_here", "doc.name_variant_pairs")

_POSSESSIVE = re.compile(r"['\u2019]s?$")


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1")


def skeleton(word: str) -> str:
    """Consonants only, doubled letters once: 'Kiev' and 'Kyiv' both give 'kv'."""
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", word.lower()))


def _is_variant(a: str, b: str) -> bool:
    if a[0] != b[0] or a.lower() == b.lower():
        return False
    ordinary = lowercase_words()
    if a.lower() in ordinary or b.lower() in ordinary:
        return False  # 'Mind' is a word, not a spelling of 'Mond'
    if min(word_zipf(a.lower()), word_zipf(b.lower())) >= 3.5:
        return False  # two well-known words (Iran/Iraq, Austria/Australia)
    if max(word_zipf(a.lower()), word_zipf(b.lower())) >= 4.5:
        return False  # a common name beside a rare one (Union/Unwin, Mary/Murry)
    if b.startswith(a) or a.startswith(b):
        shorter, longer = sorted((a, b), key=len)
        if longer[len(shorter):] in {"s", "es", "n", "an", "ian", "'s"}:
            return False  # plural, possessive or demonym, not a respelling
    distance = edit_distance(a, b, 2)
    if distance <= 1:
        return True
    # Two edits: a long name, or a short one whose consonants are unchanged
    # (Kiev/Kyiv), not two different short names (Gaza/Gita).
    return distance == 2 and (min(len(a), len(b)) >= 7 or skeleton(a) == skeleton(b))


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` with up to ``depth`` characters deleted."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _candidate_pairs(names: Iterable[str]) -> set[tuple[str, str]]:
    """Pairs (a < b) with the same first letter whose tails are within two edits:
    names sharing a deletion key (as in SymSpell), instead of comparing all pairs,
    which is quadratic in a long document's names."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for key in _deletions(name[1:], 2):
            buckets[name[0] + key].append(name)
    pairs = set()
    for bucket in buckets.values():
        if len(bucket) > 1:
            ordered = sorted(set(bucket))
            pairs.update(
                (a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
            )
    return pairs


def compute_document(
    views: Sequence[ParagraphView],
) -> tuple[list[list[float]], list[list[Reason]]]:
    """Per paragraph: how many of its names are spelled differently elsewhere in
    the document, and how many such pairs the document has; with reasons.
    """
    where: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for index, view in enumerate(views):
        for token in view.words:
            name = _POSSESSIVE.sub("", token.text)
            if len(name) < 4 or not token.is_capitalised:
                continue
            if token.first_in_sentence and word_zipf(name.lower()) >= 4.0:
                continue  # an ordinary word that starts a sentence
            where[name].append((index, token.start, token.start + len(name)))
    partner: dict[str, str] = {}
    pairs = 0
    for a, b in sorted(_candidate_pairs(where)):
        if _is_variant(a, b):
            pairs += 1
            partner.setdefault(a, b)
            partner.setdefault(b, a)
    variants_in: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for name in partner:
        for i, start, end in where[name]:
            variants_in[i].append((name, start, end))
    rows: list[list[float]] = []
    reasons: list[list[Reason]] = []
    for index, view in enumerate(views):
        here = variants_in.get(index, [])
        rows.append([float(len(here)), float(pairs)])
        seen: set[str] = set()
        paragraph_reasons = []
        for name, start, end in sorted(here, key=lambda h: h[1]):
            if name in seen:
                continue
            seen.add(name)
            other = partner[name]
            paragraph_reasons.append(Reason(
                "doc.name_variant",
                f"'{name}' is spelled '{other}' elsewhere in the document",
                *view.span(start, end),
            ))
        reasons.append(paragraph_reasons[:2])
    return rows, reasons
