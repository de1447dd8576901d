"""False positives of a model on human text no model built by the recipe saw.

    python -m benchmarks.false_positives [--model PATH]

Writes each held-out human document (the Lee news corpus and the Wikipedia
sample in gensim's test data; 20% of their documents are never used for
training, see training/recipe.py) to its own file in a temporary directory,
runs `detector flag --format json` on them exactly as a user would, and
counts the flagged paragraphs per corpus at the model's threshold.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from training.recipe import held_out_human


def main() -> None:
    """Run `detector flag` over the held-out documents and print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.false_positives")
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    args = parser.parse_args()

    documents = held_out_human()
    with tempfile.TemporaryDirectory() as tmp:
        corpus_of = {}
        for key, paragraphs in documents:
            path = Path(tmp) / f"{key.replace(':', '_')}.txt"
            path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
            corpus_of[str(path)] = key.split(":")[0]
        command = [sys.executable, "-m", "detector", "flag", "--format", "json", *sorted(corpus_of)]
        if args.model:
            command[4:4] = ["--model", args.model]
        proc = subprocess.run(command, capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"detector flag failed ({proc.returncode}): {proc.stderr}")
    report = json.loads(proc.stdout)
    files = report["files"] if isinstance(report, dict) else report
    scored: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    docs_flagged: Counter[str] = Counter()
    threshold = None
    for item in files:
        corpus = corpus_of[item["path"]]
        threshold = item.get("threshold", threshold)
        for paragraph in item["paragraphs"]:
            if paragraph["score"] is not None:
                scored[corpus] += 1
                flagged[corpus] += bool(paragraph["flagged"])
        docs_flagged[corpus] += bool(item["flagged"])
    print("| held-out human corpus | documents | paragraphs scored | paragraphs flagged | FPR |")
    print("|---|---|---|---|---|")
    for corpus in sorted(scored):
        n_docs = sum(1 for c in corpus_of.values() if c == corpus)
        print(f"| {corpus} | {n_docs} | {scored[corpus]} | {flagged[corpus]} | "
              f"{flagged[corpus] / scored[corpus]:.3f} |")
    total, hits = sum(scored.values()), sum(flagged.values())
    print(f"| all | {len(documents)} | {total} | {hits} | {hits / total:.3f} |")
    print(f"\nthreshold: {threshold}; command: python -m benchmarks.false_positives"
          + (f" --model {args.model}" if args.model else ""))


if __name__ == "__main__":
    main()
