"""The training recipe shared by build_default.py and the benchmarks: which
documents go into a model, and how they are split so nothing leaks.

Sources:
- WMT dev data (real MT vs human translation), paragraph chunks grouped into
  documents, for the chosen years;
- native human-written English (Lee news corpus, Wikipedia sample) with a
  copy spun / round-tripped by the project's simulators;
- optionally the seed pair;
- for the round-trip member (``roundtrip_rows``): every native document (Lee,
  Wikipedia, the original English of the WMT test sets) and every WMT human
  reference, each beside a copy round-tripped through Apertium's Spanish and
  Catalan pivots (``training.roundtrip_copies``).

A fixed share of the human corpora's documents is held out of every model so
false-positive rates can be measured on human text no model has seen.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from detector.fit.detector_fitting import DEFAULT_TARGET_FPR

from detector.fit.training_matrix import LabelledDocument

from . import corpora
from .datasets import dev_path, seed_documents, simulated_documents, wmt_documents
from .sources import HUMAN, ROUNDTRIP, SIMULATED, SPUN

__all__ = [
    "DEFAULT_TARGET_FPR",
    "Recipe",
    "balance_real_mt",
    "build_documents",
    "build_reference_cases",
    "held_out_human",
    "held_out_native",
    "is_held_out",
    "native_corpora",
    "roundtrip_rows",
    "native_clean_rows",
    "spin_rows",
    "summarize",
]


HELD_OUT_SHARE = 0.2


@dataclass(frozen=True)
class Recipe:
    """What goes into a model. ``years`` of WMT data; simulated copies of human
    text; the seed pair or not. ``spin_original`` names corpora of WMT original
    English (``"orig23"``) that the main stages also see, each document beside
    its simulated copy, as they see Lee and Wikipedia; the others reach only
    the members. ``spin_member`` gives every native corpus a simulated copy
    for the spin member (``spin_rows``); the copies of the WMT original English
    that the main stages do not see go to it alone."""

    years: tuple[int, ...] = (2021, 2023)
    wmt_files: tuple[str, ...] = ("para_balanced", "nodoc_para_balanced")
    simulate: bool = True
    include_seeds: bool = False
    seed: int = 0
    max_wiki_documents: int | None = 400
    roundtrip: bool = True
    spin_original: tuple[str, ...] = ()
    spin_member: bool = True


def is_held_out(key: str) -> bool:
    """True for the documents reserved for measuring false positives (a stable hash)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return digest[0] < 256 * HELD_OUT_SHARE


def _human_corpora(recipe: Recipe) -> dict[str, list[tuple[str, list[str]]]]:
    lee = [(f"lee:{i}", doc) for i, doc in enumerate(corpora.lee_documents())]
    wiki = [
        (f"wiki:{i}", doc)
        for i, doc in enumerate(corpora.wiki_documents(limit=recipe.max_wiki_documents))
    ]
    return {"lee": lee, "wiki": wiki}


def held_out_human(recipe: Recipe = Recipe()) -> list[tuple[str, list[str]]]:
    """Human documents that no model built by the recipe was trained on."""
    out = []
    for documents in _human_corpora(recipe).values():
        out.extend((key, doc) for key, doc in documents if is_held_out(key))
    return out


def native_corpora(recipe: Recipe) -> dict[str, list[tuple[str, list[str]]]]:
    """Every native English corpus by name: Lee, Wikipedia and the original
    English of the WMT test sets of the recipe's years (news in 2021; news,
    social posts and speech in 2023)."""
    out = _human_corpora(recipe)
    for year in recipe.years:
        path = dev_path(f"wmt{str(year)[2:]}_en_original_para.jsonl.gz")
        out[f"orig{str(year)[2:]}"] = corpora.wmt_original_documents(path)
    return out


def held_out_native(recipe: Recipe = Recipe()) -> dict[str, list[tuple[str, list[str]]]]:
    """The held-out documents of every native corpus, by corpus name: no model
    built by the recipe saw them, nor any copy of them."""
    return {name: [(key, doc) for key, doc in documents if is_held_out(key)]
            for name, documents in native_corpora(recipe).items()}


def _roundtrip_documents(recipe: Recipe, documents: list[LabelledDocument]) -> list[LabelledDocument]:
    """Native documents not yet in ``documents`` (the WMT original English),
    and a round-tripped copy of every native document and WMT reference that
    is not held out, each copy in its original's group."""
    from .manglers import load_thesaurus
    from .roundtrip import RoundTripper
    from .roundtrip_copies import roundtrip_copies

    thesaurus = load_thesaurus()
    tripper = RoundTripper()
    out: list[LabelledDocument] = []
    for offset, (name, native) in enumerate(sorted(native_corpora(recipe).items())):
        usable = [(key, doc) for key, doc in native if not is_held_out(key) and doc]
        if name.startswith("orig") and not _spun(recipe, name):
            out.extend(LabelledDocument(tuple(doc), tuple([0] * len(doc)), f"orig:{key}",
                                        f"{name}{HUMAN}") for key, doc in usable)
            groups = [(f"orig:{key}", doc) for key, doc in usable]
        else:  # the group simulated_documents gave the clean original
            groups = [(f"sim:{name}:{key}", doc) for key, doc in usable]
        out.extend(roundtrip_copies(groups, recipe.seed * 1000 + 500 + offset, tripper,
                                    thesaurus, name))
    references = [(d.group, list(d.paragraphs)) for d in documents
                  if d.source.startswith("wmt") and not any(d.labels)]
    out.extend(roundtrip_copies(references, recipe.seed * 1000 + 999, tripper, thesaurus, "ref"))
    return out


def _spin_member_copies(recipe: Recipe) -> list[LabelledDocument]:
    """A simulated copy of every WMT original-English document the main stages
    do not see (not held out), for the spin member only (source ``NAME:spun``),
    each in the group of its original (``orig:KEY``, as the round-trip member's
    rows have it). Its own seeds, so the other copies stay as they were."""
    from .manglers import load_thesaurus

    thesaurus = load_thesaurus()
    out: list[LabelledDocument] = []
    for offset, (name, native) in enumerate(sorted(native_corpora(recipe).items())):
        if not name.startswith("orig") or _spun(recipe, name):
            continue
        usable = [(key, doc) for key, doc in native if not is_held_out(key) and doc]
        if not recipe.roundtrip:  # otherwise _roundtrip_documents adds the originals
            out.extend(LabelledDocument(tuple(doc), tuple([0] * len(doc)), f"orig:{key}",
                                        f"{name}{HUMAN}") for key, doc in usable)
        prefix = f"sim:{name}:"
        for doc in simulated_documents(usable, recipe.seed * 1000 + 700 + offset, thesaurus, name):
            if doc.source.endswith(SIMULATED):
                out.append(replace(doc, group="orig:" + doc.group[len(prefix):],
                                   source=doc.source[:-len(SIMULATED)] + SPUN))
    return out


def _spun(recipe: Recipe, corpus: str) -> bool:
    """True when the recipe gives the main stages this corpus with simulated copies."""
    return recipe.simulate and corpus in recipe.spin_original


def roundtrip_rows(sources: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row masks of a featurized recipe: (rows of the main member, rows of the
    round-trip member).

    The main member keeps the recipe it had before round trips existed (WMT,
    simulated copies, seeds): Apertium output is so much cruder than neural
    MT that, trained together, it taught every stage that subtle neural MT
    is clean. A native corpus is in the main member's rows only when it has
    simulated copies there too. The round-trip member sees native English
    and WMT references (clean) against their Apertium copies, and no seed.
    """
    sources = np.asarray(sources).astype(str)
    labels = np.asarray(labels)
    tripped = np.char.endswith(sources, ROUNDTRIP)
    spin_only = np.char.endswith(sources, SPUN)
    native = np.char.endswith(sources, HUMAN)
    corpus = np.char.partition(sources, ":")[:, 0]
    spun = np.unique(corpus[np.char.endswith(sources, SIMULATED)])
    main = ~tripped & ~spin_only & ~(native & ~np.isin(corpus, spun))
    reference = np.char.startswith(sources, "wmt") & (labels == 0)
    return main, tripped | native | reference


def spin_rows(sources: np.ndarray) -> np.ndarray:
    """Row mask of the spin member: native English (clean) against its
    simulated copies, whether the main stages see them or not; no WMT text,
    no round trip, no seed."""
    sources = np.asarray(sources).astype(str)
    return (np.char.endswith(sources, HUMAN) | np.char.endswith(sources, SIMULATED)
            | np.char.endswith(sources, SPUN))


def native_clean_rows(sources: np.ndarray) -> np.ndarray:
    """Rows of native English (not translations, not copies): the rows whose
    false-positive rate the round-trip member's threshold holds."""
    return np.char.endswith(np.asarray(sources).astype(str), HUMAN)


def build_documents(recipe: Recipe) -> list[LabelledDocument]:
    """All labelled documents for one recipe."""
    wmt_paths = [
        dev_path(f"wmt{str(year)[2:]}_xen_{name}.jsonl.gz")
        for year in recipe.years
        for name in recipe.wmt_files
    ]
    documents = list(wmt_documents(wmt_paths))
    if recipe.simulate:
        from .manglers import load_thesaurus

        thesaurus = load_thesaurus()
        # Only native English is spun: simulated copies of the WMT human
        # references taught that translationese plus noise is mangled, which
        # works against real MT (training/README.md, "Data").
        sources = sorted(_human_corpora(recipe).items())
        # After the others, whose seeds stay as they were.
        sources += sorted((name, docs) for name, docs in native_corpora(recipe).items()
                          if name.startswith("orig") and _spun(recipe, name))
        for offset, (name, human) in enumerate(sources):
            usable = [(key, doc) for key, doc in human if not is_held_out(key)]
            documents.extend(
                simulated_documents(usable, recipe.seed * 1000 + offset, thesaurus, name)
            )
    if recipe.include_seeds:
        documents.extend(seed_documents())
    documents = balance_real_mt(documents)
    if recipe.roundtrip:
        documents.extend(_roundtrip_documents(recipe, documents))
    if recipe.simulate and recipe.spin_member:
        documents.extend(_spin_member_copies(recipe))
    random.Random(recipe.seed).shuffle(documents)
    return documents


def balance_real_mt(documents: list[LabelledDocument]) -> list[LabelledDocument]:
    """Weight the WMT documents so real MT and everything else (native English,
    its simulated copies, the seeds) weigh the same in fitting.

    Simulated text outnumbers the WMT paragraphs and, unweighted, pulled
    every stage towards spinner artefacts, at the cost of real MT across
    years; training/README.md ("Data") has the measurements.
    """
    real = sum(len(d.labels) for d in documents if d.source.startswith("wmt"))
    other = sum(len(d.labels) for d in documents if not d.source.startswith("wmt"))
    if not real or not other:
        return documents
    return [replace(d, weight=other / real) if d.source.startswith("wmt") else d
            for d in documents]


def summarize(documents: Sequence[LabelledDocument]) -> dict[str, dict[str, int]]:
    """Paragraph counts per source and label, for the model's metadata."""
    summary: dict[str, dict[str, int]] = {}
    for doc in documents:
        row = summary.setdefault(doc.source.split(":")[0] + ":" + doc.source.split(":")[-1], {})
        for label in doc.labels:
            key = "mangled" if label else "clean"
            row[key] = row.get(key, 0) + 1
    return dict(sorted(summary.items()))


def build_reference_cases(recipe: Recipe) -> list:
    """The reference stage's training cases for one recipe (see
    ``training.reference_cases``): spun, edited, copied and unrelated versions of
    the human documents that are not held out, WMT machine translations
    against their references, and the seed pair unless the recipe leaves it out."""
    from .manglers import load_thesaurus
    from .reference_cases import human_cases, seed_cases, wmt_cases

    thesaurus = load_thesaurus()
    rng = random.Random(recipe.seed + 7919)
    cases = []
    for name, human in sorted(_human_corpora(recipe).items()):
        usable = [(key, doc) for key, doc in human if not is_held_out(key)]
        cases.extend(human_cases(usable, rng, thesaurus, name))
    wmt_paths = [dev_path(f"wmt{str(year)[2:]}_xen_para_balanced.jsonl.gz")
                 for year in recipe.years]
    cases.extend(wmt_cases(wmt_paths, rng, thesaurus))
    if recipe.include_seeds:
        cases.extend(seed_cases())
    return cases
