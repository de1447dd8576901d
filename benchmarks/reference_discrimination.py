"""Reference mode on human text no model saw: spun vs edited vs unrelated.

    python -m benchmarks.reference_discrimination [--model PATH] [--seed N]

From each held-out human document (the Lee news corpus and the Wikipedia
sample; 20% of their documents are never used for training, see
training/recipe.py) the benchmark makes, with the training recipe's own
simulators and a seed that differs from training:

- a spun copy (spin / MT-noise simulators, one to three passes, half of them
  of a drifted version of the story, and for 30% of them with a paragraph or
  two missing from the reference): every paragraph should be flagged;
- a lightly edited copy (a typo fixed or added, a sentence added or dropped,
  one word changed, in one to three paragraphs): matched, not flagged;
- a verbatim copy: matched, not flagged (the copy reason);
- unrelated paragraphs on the same topic (every other paragraph of the
  document, matched against the remaining ones): no source.

Each suspect is scored with ``score_document(text, reference=...)`` against
its original among three distractor documents, exactly as a user would. The
script prints the confusion table (true kind x what the detector said) and
how often the source found is the right paragraph.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

from detector.model.persistence import load_model
from detector.score.document import score_document
from detector.reference.index import ReferenceIndex
from training.manglers import load_thesaurus
from training.recipe import held_out_human
from training.reference_cases import human_cases

OUTCOMES = ("spun", "faithful", "no source", "no source, flagged")


def outcome(paragraph) -> str:  # type: ignore[no-untyped-def]
    """What the detector said of one paragraph, in the table's terms."""
    if paragraph.alignment is not None:
        return "spun" if paragraph.flagged else "faithful"
    return "no source, flagged" if paragraph.flagged else "no source"


def main() -> None:
    """Score the held-out cases and print the confusion table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reference_discrimination")
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()

    model = load_model(args.model)
    cases = human_cases(held_out_human(), random.Random(args.seed), load_thesaurus(), "held-out")
    table: dict[str, Counter[str]] = {}
    right = Counter[str]()
    with_source = Counter[str]()
    for case in cases:
        text = "\n\n".join(case.paragraphs)
        result = score_document(text, reference=ReferenceIndex(case.references), model=model)
        prose = [p for p in result.paragraphs if p.score is not None]
        if len(prose) != len(case.paragraphs):
            raise SystemExit(f"{case.group}: segmentation changed the paragraphs")
        original = case.references[0][0]
        for k, paragraph in enumerate(prose):
            kind = "missing source" if (case.kind == "spun" and case.sources is not None
                                        and case.sources[k] is None) else case.kind
            table.setdefault(kind, Counter())[outcome(paragraph)] += 1
            if paragraph.alignment is not None and case.sources is not None:
                with_source[kind] += 1
                right[kind] += any(s.reference == original and s.paragraph == case.sources[k]
                                   for s in paragraph.alignment.sources)
    print("| true kind | paragraphs | " + " | ".join(OUTCOMES) + " | right source |")
    print("|---|---|" + "---|" * len(OUTCOMES) + "---|")
    for kind in ("spun", "missing source", "edited", "copy", "unrelated"):
        row = table.get(kind, Counter())
        n = sum(row.values())
        if not n:
            continue
        cells = " | ".join(f"{row[o]} ({row[o] / n:.1%})" for o in OUTCOMES)
        source = (f"{right[kind]} of {with_source[kind]}" if with_source[kind] else "-")
        print(f"| {kind} | {n} | {cells} | {source} |")
    print(f"\n{len(cases)} cases from {len(held_out_human())} held-out documents; "
          f"threshold {model.threshold:.3f}; command: python -m benchmarks.reference_discrimination"
          f"{' --model ' + args.model if args.model else ''} --seed {args.seed}")


if __name__ == "__main__":
    main()
