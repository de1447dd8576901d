"""Labelled documents for training and measuring: WMT dev data, simulated
spins/round trips of human text, and the seed pair.

Every document gets a group; an original and each of its mangled renderings
share one, so grouped cross-validation never splits them.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Sequence

from detector.io.decode import decode_bytes
from detector.segment.paragraphs import split_paragraphs
from detector.fit.training_matrix import LabelledDocument

from .corpora import read_jsonl
from .sources import HUMAN, SIMULATED

__all__ = [
    "DEV_DIR",
    "SEEDS_DIR",
    "dev_path",
    "wmt_documents",
    "wmt_paragraphs",
    "simulated_documents",
    "seed_documents",
    "text_paragraphs",
]

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT.parent / "shared" / "data" / "dev"
SEEDS_DIR = ROOT / "seeds"
ORIGINAL_SEED = "000_b8c68d1ff3b8ca38.txt"
MANGLED_SEED = "002_2c1e469cce9ae44f.txt"

_SEGMENT_RANGE = re.compile(r":(\d+)-(\d+)(?::|$)")


def dev_path(name: str) -> Path:
    """Path of a file in ../shared/data/dev, with a clear error when it is absent."""
    path = DEV_DIR / name
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found: the WMT dev data is expected in ../shared/data/dev "
            "beside the project (see training/README.md to rebuild it)"
        )
    return path


def _position(record: dict) -> int:
    match = _SEGMENT_RANGE.search(record.get("id", ""))
    return int(match.group(1)) if match else 0


def _group(record: dict) -> str:
    if record.get("doc_id"):
        return f"wmt{record['year']}:{record['lang_pair']}:{record['doc_id']}"
    return str(record["pair_id"])


def wmt_documents(paths: Iterable[Path]) -> list[LabelledDocument]:
    """WMT chunks grouped into documents: the human reference of a source document
    is one clean document, its machine translations one mangled document.
    Chunks without a document id become one-paragraph documents.
    """
    by_doc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for path in paths:
        for record in read_jsonl(path):
            if not str(record.get("text", "")).strip():
                continue
            key = (_group(record), record["label"])
            by_doc[key].append(record)
    documents = []
    for (group, label), records in sorted(by_doc.items()):
        records.sort(key=_position)
        value = 1 if label == "mangled" else 0
        source = f"wmt{records[0]['year']}:{records[0]['lang_pair']}"
        documents.append(LabelledDocument(
            tuple(r["text"] for r in records), tuple([value] * len(records)), group, source,
        ))
    return documents


def wmt_paragraphs(path: Path) -> list[dict]:
    """The records of a WMT file, each to be scored as its own paragraph."""
    return [r for r in read_jsonl(path) if str(r.get("text", "")).strip()]


def simulated_documents(
    documents: Sequence[tuple[str, list[str]]],
    seed: int,
    thesaurus: object,
    source: str,
) -> list[LabelledDocument]:
    """Each human document as a clean document plus one spun/round-tripped copy made
    by the project's simulators, in the same group. Every paragraph of the copy is
    labelled mangled, touched or not: the copy as a whole is what a user must find.
    """
    from .manglers import mangle_document

    rng = random.Random(seed)
    out = []
    for group, paragraphs in documents:
        if not paragraphs:
            continue
        mangled = mangle_document(paragraphs, rng, thesaurus)
        if not any(changed for _, changed in mangled):
            continue
        sim_group = f"sim:{source}:{group}"
        out.append(LabelledDocument(tuple(paragraphs), tuple([0] * len(paragraphs)),
                                    sim_group, f"{source}{HUMAN}"))
        out.append(LabelledDocument(tuple(text for text, _ in mangled),
                                    tuple([1] * len(mangled)), sim_group, f"{source}{SIMULATED}"))
    return out


def text_paragraphs(path: Path) -> list[str]:
    """The prose paragraphs of a text file, segmented exactly as scoring does."""
    segments = split_paragraphs(decode_bytes(path.read_bytes()))
    return [s.text for s in segments if s.skipped is None]


def seed_documents() -> list[LabelledDocument]:
    """The seed pair: 000 (original, clean) and 002 (round-tripped copy), one group."""
    clean = text_paragraphs(SEEDS_DIR / ORIGINAL_SEED)
    mangled = text_paragraphs(SEEDS_DIR / MANGLED_SEED)
    return [
        LabelledDocument(tuple(clean), tuple([0] * len(clean)), "seed", "seed:000"),
        LabelledDocument(tuple(mangled), tuple([1] * len(mangled)), "seed", "seed:002"),
    ]
