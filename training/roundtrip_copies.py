"""Round-tripped copies of whole documents, as a content farm publishes them.

Each document gets one plan, drawn from a seeded ``random.Random``: the chain
of languages (one round trip through Spanish or Catalan, a chain through
both, or two round trips one after the other), which paragraphs stay
untouched (seed 002 has a few), and, for some documents, paragraphs spun by
the thesaurus simulator instead of translated. Every paragraph of a copy is
labelled mangled: the copy as a whole is what a user must find.

All paragraphs that take the same chain go through Apertium in one batch
(``training.roundtrip.RoundTripper``), so a corpus costs one engine run per
chain and direction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

from detector.fit.training_matrix import LabelledDocument

from .manglers import Thesaurus
from .roundtrip import RoundTripper
from .sources import ROUNDTRIP

__all__ = ["TRAINING_CHAINS", "CopyPlan", "plan_copy", "roundtrip_copies", "apply_plans"]

# Training chains only: Spanish and Catalan. The held-out pivots never appear here.
TRAINING_CHAINS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("eng", "spa", "eng"), 0.35),
    (("eng", "cat", "eng"), 0.35),
    (("eng", "spa", "cat", "eng"), 0.15),
    (("eng", "cat", "eng", "spa", "eng"), 0.15),
)


@dataclass(frozen=True)
class CopyPlan:
    """How one document is copied: its chain, and per paragraph 'trip', 'spin' or 'keep'."""

    chain: tuple[str, ...]
    actions: tuple[str, ...]


def plan_copy(n_paragraphs: int, rng: random.Random,
              chains: Sequence[tuple[tuple[str, ...], float]] = TRAINING_CHAINS) -> CopyPlan:
    """A seeded plan for one document of ``n_paragraphs``."""
    chain = rng.choices([c for c, _ in chains], [w for _, w in chains])[0]
    keep = rng.choice((0.0, 0.0, 0.1, 0.2))
    spin = rng.choice((0.0, 0.0, 0.0, 0.3))
    actions = []
    for _ in range(n_paragraphs):
        draw = rng.random()
        actions.append("keep" if draw < keep else "spin" if draw < keep + spin else "trip")
    if n_paragraphs and "trip" not in actions:
        actions[rng.randrange(n_paragraphs)] = "trip"
    return CopyPlan(chain, tuple(actions))


def apply_plans(documents: Sequence[Sequence[str]], plans: Sequence[CopyPlan],
                tripper: RoundTripper, rng: random.Random,
                thesaurus: Thesaurus | None) -> list[list[str]]:
    """The copies of ``documents`` made by their ``plans``: one Apertium batch per chain.
    ``thesaurus`` is needed only when a plan spins a paragraph."""
    from .manglers import spin

    todo: dict[tuple[str, ...], list[str]] = {}
    for paragraphs, plan in zip(documents, plans):
        todo.setdefault(plan.chain, []).extend(
            p for p, action in zip(paragraphs, plan.actions) if action == "trip")
    done = {chain: iter(tripper(texts, chain)) for chain, texts in todo.items()}
    copies = []
    for paragraphs, plan in zip(documents, plans):
        copy = []
        for paragraph, action in zip(paragraphs, plan.actions):
            if action == "trip":
                copy.append(next(done[plan.chain]))
            elif action == "spin":
                if thesaurus is None:
                    raise ValueError("a plan spins a paragraph but no thesaurus was given")
                copy.append(spin(paragraph, rng, rng.uniform(0.15, 0.35), thesaurus))
            else:
                copy.append(paragraph)
        copies.append(copy)
    return copies


def roundtrip_copies(documents: Sequence[tuple[str, Sequence[str]]], seed: int,
                     tripper: RoundTripper, thesaurus: Thesaurus,
                     source: str) -> list[LabelledDocument]:
    """A round-tripped copy of each (group, paragraphs) document, labelled mangled,
    in the document's own group so grouped cross-validation keeps them together."""
    rng = random.Random(seed)
    usable = [(group, list(p)) for group, p in documents if p]
    plans = [plan_copy(len(p), rng) for _, p in usable]
    copies = apply_plans([p for _, p in usable], plans, tripper, rng, thesaurus)
    return [LabelledDocument(tuple(copy), tuple([1] * len(copy)), group, f"{source}{ROUNDTRIP}")
            for (group, _), copy in zip(usable, copies)]
