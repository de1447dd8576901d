"""Speed, memory and accuracy of `detector match` on a corpus of thousands of documents.

    python -m benchmarks.match_speed [--originals 2000] [--suspects 2000] [--seed 0]

The documents come from human text the project can install (the Lee news
corpus and the Wikipedia sample in gensim's test data), cut into documents of
two paragraphs. The originals are the first N of them; the suspects are, in
equal thirds, spun copies of originals (the training simulators, one to two
passes), lightly edited copies of originals (a typo, a sentence added or
dropped, a word changed), and documents that are not among the originals
(often another part of the same Wikipedia article: same topic, no source).
The script writes both sets to a temporary directory, runs
`detector match --originals DIR --suspects DIR --format jsonl --all` in a
fresh process, and reports its wall time, peak memory and how each kind of
suspect was judged.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from training import corpora
from training.manglers import light_edit_document, load_thesaurus, mangle_document


def documents() -> list[list[str]]:
    """All installable human paragraphs, as documents of two paragraphs."""
    paragraphs = [p for doc in corpora.lee_documents() + corpora.wiki_documents() for p in doc]
    return [paragraphs[i:i + 2] for i in range(0, len(paragraphs) - 1, 2)]


def main() -> None:
    """Build the corpus, run `detector match`, print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.match_speed")
    parser.add_argument("--originals", type=int, default=2000)
    parser.add_argument("--suspects", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    docs = documents()
    if args.originals >= len(docs):
        raise SystemExit(f"only {len(docs)} documents available")
    rng = random.Random(args.seed)
    thesaurus = load_thesaurus()
    originals = docs[:args.originals]
    spare = docs[args.originals:]
    third = args.suspects // 3
    kinds: dict[str, str] = {}
    expected: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        orig_dir, sus_dir = Path(tmp) / "originals", Path(tmp) / "suspects"
        orig_dir.mkdir()
        sus_dir.mkdir()
        for k, doc in enumerate(originals):
            (orig_dir / f"o{k:05d}.txt").write_text("\n\n".join(doc) + "\n", encoding="utf-8")
        for n in range(args.suspects):
            kind = "spun" if n < third else "edited" if n < 2 * third else "unrelated"
            if kind == "unrelated":
                doc = spare[n % len(spare)]
                source = None
            else:
                k = rng.randrange(len(originals))
                source = str(orig_dir / f"o{k:05d}.txt")
                doc = list(originals[k])
                if kind == "spun":
                    for _ in range(rng.choice([1, 2])):
                        doc = [t for t, _ in mangle_document(doc, rng, thesaurus)]
                else:
                    pool = rng.choice(originals)
                    doc = [e for _, e, _ in light_edit_document(doc, rng, pool, thesaurus)]
            path = sus_dir / f"s{n:05d}.txt"
            path.write_text("\n\n".join(doc) + "\n", encoding="utf-8")
            kinds[str(path)] = kind
            expected[str(path)] = source or ""
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "detector", "match", "--originals", str(orig_dir),
             "--suspects", str(sus_dir), "--format", "jsonl", "--all"],
            capture_output=True, text=True,
            env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1"))
        elapsed = time.perf_counter() - started
        peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        if proc.returncode not in (0, 1):
            raise SystemExit(f"detector match failed ({proc.returncode}): {proc.stderr}")
    verdicts: dict[str, Counter[str]] = {}
    right_original = Counter[str]()
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        kind = kinds[record["path"]]
        verdicts.setdefault(kind, Counter())[record["verdict"]] += 1
        if record["original"] and record["original"] == expected[record["path"]]:
            right_original[kind] += 1
    n_paragraphs = sum(len(d) for d in originals)
    print("| measure | value |\n|---|---|")
    print(f"| originals | {len(originals)} documents, {n_paragraphs} paragraphs |")
    print(f"| suspects | {args.suspects} documents ({third} spun, {third} edited, "
          f"{args.suspects - 2 * third} unrelated) |")
    print(f"| `detector match` wall time | {elapsed:.1f} s |")
    print(f"| peak memory (max RSS) | {peak:.0f} MB |")
    codes = sorted({c for v in verdicts.values() for c in v})
    print("\n| suspect kind | " + " | ".join(codes) + " | right original |")
    print("|---|" + "---|" * (len(codes) + 1))
    for kind in ("spun", "edited", "unrelated"):
        row = verdicts.get(kind, Counter())
        print(f"| {kind} | " + " | ".join(str(row[c]) for c in codes)
              + f" | {right_original[kind] if kind != 'unrelated' else '-'} |")
    print(f"\nmachine: {os.cpu_count()} cores; command: python -m benchmarks.match_speed "
          f"--originals {args.originals} --suspects {args.suspects} --seed {args.seed}")


if __name__ == "__main__":
    main()
