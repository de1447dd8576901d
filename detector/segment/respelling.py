"""Respelled words: edit distance, consonant skeletons, close pairs among many
names, and the one test of whether two spellings are one name respelled
('Lecornu' / 'Lecorno', 'Kiev' / 'Kyiv'), shared by the document's
name-consistency feature and reference mode's change labels."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from detector.resources import word_zipf

__all__ = ["candidate_pairs", "deletions", "edit_distance", "is_respelling", "skeleton"]


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


def deletions(word: str, depth: int) -> set[str]:
    """``word`` with up to ``depth`` characters deleted."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def candidate_pairs(names: Iterable[str], pairwise_up_to: int = 300) -> set[tuple[str, str]]:
    """Pairs (a < b) with the same first letter whose tails are within two edits:
    names sharing a deletion key (as in SymSpell), instead of comparing edit
    distances of all pairs, which is quadratic in a long document's names.

    Up to ``pairwise_up_to`` distinct names, each pair with the same first
    letter is tested for a shared key directly, which is cheaper than filling
    the index; more names go through the index. Both give the same pairs."""
    unique = sorted(set(names))
    keys = {name: deletions(name[1:], 2) for name in unique}
    pairs = set()
    if len(unique) <= pairwise_up_to:
        by_first: dict[str, list[str]] = defaultdict(list)
        for name in unique:
            by_first[name[0]].append(name)
        for group in by_first.values():
            for i, a in enumerate(group):
                near = keys[a]
                pairs.update((a, b) for b in group[i + 1:] if not near.isdisjoint(keys[b]))
        return pairs
    buckets: dict[str, list[str]] = defaultdict(list)
    for name in unique:
        for key in keys[name]:
            buckets[name[0] + key].append(name)
    for bucket in buckets.values():
        if len(bucket) > 1:
            ordered = sorted(set(bucket))
            pairs.update(
                (a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
            )
    return pairs


def is_respelling(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` (two different spellings, compared as given) look
    like one name respelled: the same first letter, not both common words, and
    one edit apart, or two on a long name or with the consonants unchanged."""
    if a[0] != b[0]:
        return False
    if min(word_zipf(a.lower()), word_zipf(b.lower())) >= 3.5:
        return False  # two well-known words (Iran/Iraq, Austria/Australia, Defence/Defense)
    distance = edit_distance(a, b, 2)
    if distance <= 1:
        return True
    # Two edits: a long name, or a short one whose consonants are unchanged
    # (Kiev/Kyiv), not two different short names (Gaza/Gita).
    return distance == 2 and (min(len(a), len(b)) >= 7 or skeleton(a) == skeleton(b))
