"""Training and measuring data for reference mode: suspect documents with the
references they are matched against.

From each human-written document (Lee news corpus, Wikipedia sample) the
recipe makes, each matched against the original among three distractor
documents of the same corpus:

- ``spun``: a copy made by the spin / MT-noise simulators, in one to three
  passes, half of them from a drifted version of the story, and for 30% of
  them with a paragraph or two missing from the reference (label 1 on every
  paragraph, touched or not, as in the intrinsic recipe);
- ``edited``: a lightly edited copy (a typo fixed or added, a sentence added
  or dropped, one word changed in one to three paragraphs; label 0);
- ``copy``: the document itself, verbatim (label 0);
- ``unrelated``: every other paragraph of the document, matched against the
  remaining ones (same topic, no source; label 0).

From the WMT dev data (``para_balanced``): the machine translation of a
document matched against its human reference translation (label 1), and a
lightly edited copy of the reference (label 0). And the seed pair: 002
against 000 (label 1) and 000 against itself (label 0).
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Sequence

from detector.fit.reference_stage import ReferenceCase

from detector.io.decode import decode_bytes

from .datasets import MANGLED_SEED, ORIGINAL_SEED, SEEDS_DIR, text_paragraphs, wmt_documents
from .manglers import Thesaurus, drift_version, light_edit_document, mangle_document

__all__ = ["KINDS", "human_cases", "seed_cases", "wmt_cases"]

KINDS = ("spun", "edited", "copy", "unrelated")
DISTRACTORS = 3


def _joined(paragraphs: Sequence[str]) -> str:
    return "\n\n".join(paragraphs)


def _distractors(
    documents: Sequence[tuple[str, list[str]]], skip: int, rng: random.Random
) -> list[tuple[str, str]]:
    others = [k for k in range(len(documents)) if k != skip]
    chosen = rng.sample(others, min(DISTRACTORS, len(others)))
    return [(documents[k][0], _joined(documents[k][1])) for k in chosen]


def _reference_side(
    paragraphs: Sequence[str], rng: random.Random, missing_share: float
) -> tuple[list[str], tuple[int | None, ...]]:
    """The original as the reference holds it, and the source of each paragraph
    of a copy in it. For ``missing_share`` of the documents one or two
    paragraphs are missing from the reference, as when a copy was made from
    another version of the article (seed 002 has paragraphs 000 lacks): their
    copies have no source."""
    n = len(paragraphs)
    missing: set[int] = set()
    if n >= 3 and rng.random() < missing_share:
        missing = set(rng.sample(range(n), rng.randint(1, min(2, n - 2))))
    kept = [k for k in range(n) if k not in missing]
    position = {k: i for i, k in enumerate(kept)}
    return [paragraphs[k] for k in kept], tuple(position.get(k) for k in range(n))


def human_cases(
    documents: Sequence[tuple[str, list[str]]],
    rng: random.Random,
    thesaurus: Thesaurus,
    corpus: str,
    kinds: Sequence[str] = KINDS,
    copy_share: float = 0.25,
    missing_share: float = 0.3,
) -> list[ReferenceCase]:
    """The cases of :data:`KINDS` made from human documents ``(key, paragraphs)``.
    All cases of one document share a group, so cross-validation keeps them
    together. Verbatim copies are made for ``copy_share`` of the documents; for
    ``missing_share`` of the spun copies the reference lacks a paragraph or two."""
    cases = []
    for k, (key, paragraphs) in enumerate(documents):
        if not paragraphs:
            continue
        group = f"ref:{corpus}:{key}"
        distractors = _distractors(documents, k, rng)
        original = [(key, _joined(paragraphs))]
        in_order = tuple(range(len(paragraphs)))
        if "spun" in kinds:
            # A round trip is two translations: one to three passes of the
            # simulators, so copies range from lightly to heavily rewritten;
            # half are made from another version of the story.
            spun = list(paragraphs)
            if rng.random() < 0.5:
                pool = [p for _, text in distractors for p in text.split("\n\n")]
                spun = drift_version(spun, rng, pool)
            for _ in range(rng.choice([1, 1, 2, 3])):
                spun = [text for text, _ in mangle_document(spun, rng, thesaurus)]
            if spun != list(paragraphs):
                kept, sources = _reference_side(paragraphs, rng, missing_share)
                cases.append(ReferenceCase(tuple(spun), (1,) * len(spun),
                                           tuple([(key, _joined(kept))] + distractors), group,
                                           "spun", sources))
        if "edited" in kinds:
            pool = [p for _, text in distractors for p in text.split("\n\n")]
            edits = light_edit_document(paragraphs, rng, pool, thesaurus)
            cases.append(ReferenceCase(
                tuple(e for _, e, _ in edits), (0,) * len(edits),
                tuple([(key, _joined([o for o, _, _ in edits]))] + distractors), group,
                "edited", in_order))
        if "copy" in kinds and rng.random() < copy_share:
            cases.append(ReferenceCase(tuple(paragraphs), (0,) * len(paragraphs),
                                       tuple(original + distractors), group, "copy", in_order))
        if "unrelated" in kinds and len(paragraphs) >= 2:
            suspect, rest = list(paragraphs[::2]), list(paragraphs[1::2])
            cases.append(ReferenceCase(tuple(suspect), (0,) * len(suspect),
                                       tuple([(key, _joined(rest))] + distractors), group,
                                       "unrelated", (None,) * len(suspect)))
    return cases


def wmt_cases(paths: Sequence, rng: random.Random, thesaurus: Thesaurus) -> list[ReferenceCase]:
    """Machine translations matched against their human reference translation
    (label 1; half of them of a drifted version of the document, and for 30%
    the reference lacks a paragraph or two), and lightly edited copies of the
    references (label 0)."""
    by_group: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    for document in wmt_documents(paths):
        if len(document.paragraphs) >= 1:
            by_group[document.group][document.labels[0]] = document.paragraphs
    groups = sorted(g for g, sides in by_group.items() if 0 in sides and 1 in sides)
    humans = [(g, list(by_group[g][0])) for g in groups]
    cases = []
    for k, group in enumerate(groups):
        human, machine = by_group[group][0], by_group[group][1]
        distractors = _distractors(humans, k, rng)
        if len(machine) == len(human):
            kept, sources = _reference_side(human, rng, 0.3)
        else:
            kept, sources = list(human), None
        pool = [p for _, text in distractors for p in text.split("\n\n")]
        if rng.random() < 0.5:  # a translation of another version of the document
            machine = tuple(drift_version(machine, rng, pool, rate=0.6))
        cases.append(ReferenceCase(machine, (1,) * len(machine),
                                   tuple([(group, _joined(kept))] + distractors),
                                   f"ref:{group}", "wmt_mt", sources))
        edits = light_edit_document(human, rng, pool, thesaurus)
        cases.append(ReferenceCase(
            tuple(e for _, e, _ in edits), (0,) * len(edits),
            tuple([(group, _joined([o for o, _, _ in edits]))] + distractors),
            f"ref:{group}", "wmt_edited", tuple(range(len(edits)))))
    return cases


def seed_cases() -> list[ReferenceCase]:
    """002 matched against 000 (label 1), and 000 against itself (label 0)."""
    original = decode_bytes((SEEDS_DIR / ORIGINAL_SEED).read_bytes())
    clean = tuple(text_paragraphs(SEEDS_DIR / ORIGINAL_SEED))
    mangled = tuple(text_paragraphs(SEEDS_DIR / MANGLED_SEED))
    references = (("000", original),)
    return [
        ReferenceCase(mangled, (1,) * len(mangled), references, "ref:seed", "seed"),
        ReferenceCase(clean, (0,) * len(clean), references, "ref:seed", "seed"),
    ]
