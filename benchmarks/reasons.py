"""Do reasons point at the right words, and stay quiet on human text?

    python -m benchmarks.reasons [--model PATH] [--sample 300]

Two measurements of the reasons a user sees (``detector flag --all``):

- **Human text**: the held-out human documents of the recipe (Lee and
  Wikipedia, ``training.recipe.held_out_human``; no model the recipe builds
  saw them) are scored whole, as a user would score them; of a seeded sample
  of their prose paragraphs, the share that carry any reason with a span
  (words underlined as wrong, flagged or not), and which codes those are.
- **Seed 002**: for each flagged prose paragraph of seed 002, whether its
  first reason points at words that the round trip changed. The changed
  words are the words of the 002 paragraph that a word diff against its
  source paragraphs in seed 000 does not find there; the sources are the
  hand alignment of ``tests/fixtures/seed_alignment.json`` (``sources``, or
  ``partial`` when 000 has only part of it; paragraphs with neither are
  counted apart). A first reason without a span (a style or context reason)
  points at no word and counts as a miss.
- **A sample the reason checks were not written on**: the held-out WMT
  original English of ``benchmarks.roundtrip`` (news, social posts, meeting
  transcripts), every prose paragraph, counted as the human text is.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_000 = REPO_ROOT / "seeds" / "000_b8c68d1ff3b8ca38.txt"
SEED_002 = REPO_ROOT / "seeds" / "002_2c1e469cce9ae44f.txt"
ALIGNMENT = REPO_ROOT / "tests" / "fixtures" / "seed_alignment.json"
SEED = 20261203
WORD = re.compile(r"\w+(?:['’]\w+)*")


def _spanned(paragraph) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.code for r in paragraph.reasons if r.start is not None]


def human_reasons(model, sample: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The report lines of the human-text measurement."""
    from detector import score_document
    from training.recipe import held_out_human

    paragraphs = []
    for key, doc in held_out_human():
        result = score_document("\n\n".join(doc) + "\n", model=model)
        paragraphs.extend((key, p) for p in result.paragraphs if p.score is not None)
    chosen = random.Random(SEED).sample(paragraphs, min(sample, len(paragraphs)))

    with_span = [p for _, p in chosen if _spanned(p)]
    codes = Counter(code for p in with_span for code in set(_spanned(p)))
    everywhere = sum(1 for _, p in paragraphs if _spanned(p))
    lines = [
        f"Human text: {len(chosen)} of {len(paragraphs)} held-out prose paragraphs "
        f"(seeded sample {SEED}).",
        "",
        "| paragraphs | with a span reason | flagged | span reasons by code |",
        "|---|---|---|---|",
        f"| sample of {len(chosen)} | {len(with_span)} ({len(with_span) / len(chosen):.1%}) | "
        f"{sum(p.flagged for _, p in chosen)} | "
        + ", ".join(f"{c} {n}" for c, n in codes.most_common()) + " |",
        f"| all {len(paragraphs)} | {everywhere} ({everywhere / len(paragraphs):.1%}) | "
        f"{sum(p.flagged for _, p in paragraphs)} | |",
    ]
    return lines


def unseen_reasons(model) -> list[str]:  # type: ignore[no-untyped-def]
    """The report lines of the WMT original English: span reasons on text the
    reason checks were not written on."""
    from benchmarks.roundtrip import held_out_documents
    from detector import score_document

    paragraphs = []
    for corpus, _, doc in held_out_documents(None):
        if corpus.startswith("orig"):
            result = score_document("\n\n".join(doc) + "\n", model=model)
            paragraphs.extend(p for p in result.paragraphs if p.score is not None)
    with_span = [p for p in paragraphs if _spanned(p)]
    codes = Counter(code for p in with_span for code in set(_spanned(p)))
    return [
        "WMT original English held out by the round-trip benchmark (news, posts, transcripts):",
        "",
        "| paragraphs | with a span reason | of those flagged | span reasons by code |",
        "|---|---|---|---|",
        f"| {len(paragraphs)} | {len(with_span)} ({len(with_span) / max(len(paragraphs), 1):.1%}) | "
        f"{sum(p.flagged for p in with_span)} | "
        + ", ".join(f"{c} {n}" for c, n in codes.most_common()) + " |",
    ]


def _changed_spans(suspect: str, source: str) -> list[tuple[int, int]]:
    """Character spans of the suspect's words that a word diff does not find in the source."""
    words = [(m.group(0).lower(), m.start(), m.end()) for m in WORD.finditer(suspect)]
    original = [m.group(0).lower() for m in WORD.finditer(source)]
    matcher = difflib.SequenceMatcher(a=original, b=[w for w, _, _ in words], autojunk=False)
    spans = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            spans.extend((start, end) for _, start, end in words[j1:j2])
    return spans


def seed_reasons(model) -> list[str]:  # type: ignore[no-untyped-def]
    """The report lines of the seed-002 measurement."""
    from detector import score_document
    from detector.io.decode import read_text

    alignment = json.loads(ALIGNMENT.read_text(encoding="utf-8"))["paragraphs"]
    original = read_text(str(SEED_000))
    suspect_text = read_text(str(SEED_002))
    source_paragraphs = [p for p in score_document(original, model=model).paragraphs]
    result = score_document(suspect_text, model=model)
    prose = [p for p in result.paragraphs if p.score is not None]
    hits = misses = unaligned = 0
    first_codes: Counter = Counter()
    for number, paragraph in enumerate(prose):
        if not paragraph.flagged:
            continue
        entry = alignment.get(str(number), {})
        sources = entry.get("sources") or entry.get("partial")
        if not sources:
            unaligned += 1
            continue
        first = paragraph.reasons[0] if paragraph.reasons else None
        first_codes[first.code if first else "-"] += 1
        if first is None or first.start is None or first.end is None:
            misses += 1
            continue
        source = " ".join(original[source_paragraphs[i].start:source_paragraphs[i].end]
                          for i in sources)
        text = suspect_text[paragraph.start:paragraph.end]
        start, end = first.start - paragraph.start, first.end - paragraph.start
        changed = _changed_spans(text, source)
        if any(s < end and start < e for s, e in changed):
            hits += 1
        else:
            misses += 1
    measured = hits + misses
    flagged = sum(p.flagged for p in prose)
    return [
        f"Seed 002: {flagged} of {len(prose)} prose paragraphs flagged; {unaligned} of them "
        f"{'has' if unaligned == 1 else 'have'} no source in 000 in the hand alignment and "
        f"{'is' if unaligned == 1 else 'are'} not counted.",
        "",
        "| flagged paragraphs with a source | first reason on changed words | first reason on "
        "unchanged words or on none | first reasons by code |",
        "|---|---|---|---|",
        f"| {measured} | {hits} ({hits / max(measured, 1):.0%}) | {misses} | "
        + ", ".join(f"{c} {n}" for c, n in first_codes.most_common()) + " |",
    ]


def main() -> None:
    """Print both measurements as markdown."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reasons",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    parser.add_argument("--sample", type=int, default=300,
                        help="human paragraphs in the sample (default 300)")
    args = parser.parse_args()
    from detector import load_model

    model = load_model(args.model)
    lines = [f"# Reasons (`python -m benchmarks.reasons`{' --model ' + args.model if args.model else ''})",
             "", *human_reasons(model, args.sample), "", *seed_reasons(model), "",
             *unseen_reasons(model)]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
