"""Speed and memory of `detector flag`, on one core.

    python -m benchmarks.speed [--paragraphs 10000] [--corpus human|seeds]

Writes one file of N distinct paragraphs (human-written Lee corpus and
Wikipedia sample from gensim's test data plus the human references of
../shared/data/dev, or the prose paragraphs of the two
seeds; a repeated paragraph is made distinct by a numbered sentence), then measures, each in a fresh process pinned to one core
(taskset -c 0, BLAS/OpenMP threads = 1):

- start-up as the issue defines it: `import detector` + loading the default model;
- time to the first score: the same plus scoring one short paragraph, which
  loads the LM, bigram, frequency and CMUdict tables on first use;
- `detector flag FILE --format jsonl` wall time and peak RSS;
- throughput after start-up = paragraphs / (flag time - time to first score).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LOAD = "import detector; detector.load_model()"
STARTUP = (
    "import detector; m = detector.load_model(); "
    "detector.score_document('The minister said on Tuesday that talks would resume.', model=m)"
)


def make_corpus(n: int, corpus: str = "human") -> list[str]:
    """n distinct paragraphs: human-written Lee/Wikipedia paragraphs and the WMT
    human references (about 500 characters each), or the prose paragraphs of the two seeds (news-length,
    about 230 characters)."""
    if corpus == "seeds":
        from detector.text import read_text, split_paragraphs

        root = Path(__file__).resolve().parent.parent / "seeds"
        base = [s.text for path in sorted(root.glob("*.txt"))
                for s in split_paragraphs(read_text(str(path))) if s.skipped is None]
    else:
        from training.corpora import lee_documents, read_jsonl, wiki_documents
        from training.datasets import DEV_DIR

        base = [p for doc in lee_documents() + wiki_documents() for p in doc]
        # The human references of the WMT dev data, when it is beside the
        # project: with them 10,000 paragraphs need no repeats, so caches
        # inside the scorer cannot profit from repeated text.
        for name in ("wmt21_xen_para", "wmt21_xen_nodoc_para", "wmt23_xen_para",
                     "wmt23_xen_nodoc_para"):
            path = DEV_DIR / f"{name}.jsonl.gz"
            if path.exists():
                base.extend(r["text"] for r in read_jsonl(path)
                            if r.get("label") == "clean" and r.get("text", "").strip())
        base = list(dict.fromkeys(base))
    out = []
    i = 0
    while len(out) < n:
        paragraph = base[i % len(base)]
        round_ = i // len(base)
        out.append(paragraph if round_ == 0 else f"{paragraph} This is note {round_}.")
        i += 1
    return out


def _run(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) of the child, exit code."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    prefix = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(prefix + args, env=env, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024, proc.returncode


def main() -> None:
    """Build the input, run the measurements, print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed")
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="start-up runs (best is kept)")
    parser.add_argument("--corpus", choices=("human", "seeds"), default="human")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        paragraphs = make_corpus(args.paragraphs, args.corpus)
        mean_length = sum(map(len, paragraphs)) / len(paragraphs)
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        load = min(_run([sys.executable, "-c", LOAD])[0] for _ in range(args.repeat))
        startup = min(_run([sys.executable, "-c", STARTUP])[0] for _ in range(args.repeat))
        elapsed, peak, code = _run(
            [sys.executable, "-m", "detector", "flag", str(path), "--format", "jsonl"]
        )
        if code not in (0, 1):
            raise SystemExit(f"detector flag failed with exit code {code}")
        size_mb = path.stat().st_size / 1e6
    rate = args.paragraphs / max(elapsed - startup, 1e-9)
    print(f"| measure | value |\n|---|---|")
    print(f"| input | {args.paragraphs} paragraphs ({args.corpus}, mean {mean_length:.0f} "
          f"characters), {size_mb:.1f} MB |")
    print(f"| start-up (interpreter + import + model load) | {load:.2f} s |")
    print(f"| time to first score (+ lazily loaded tables) | {startup:.2f} s |")
    print(f"| `detector flag` wall time | {elapsed:.1f} s |")
    print(f"| throughput after start-up, one core | {rate:.0f} paragraphs/s |")
    print(f"| peak memory (max RSS) | {peak:.0f} MB |")
    print(f"\nmachine: {os.cpu_count()} cores; command: python -m benchmarks.speed "
          f"--paragraphs {args.paragraphs} --corpus {args.corpus}")


if __name__ == "__main__":
    main()
