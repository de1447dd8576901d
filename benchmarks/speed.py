"""Speed and memory of `detector flag`, on one core.

    python -m benchmarks.speed [--paragraphs 10000] [--corpus human|seeds] [--repeat 3]
        [--cpu 0] [--no-peers]

Writes one file of N distinct paragraphs (human-written Lee corpus and
Wikipedia sample from gensim's test data plus the human references of
../shared/data/dev, or the prose paragraphs of the two
seeds; a repeated paragraph is made distinct by a numbered sentence), then measures, each in a fresh process pinned to one core
(taskset -c 0, or the core --cpu names; BLAS/OpenMP threads = 1):

- start-up as the issue defines it: `import detector` + loading the default model;
- time to the first score: the same plus scoring one short paragraph, which
  loads the LM, bigram, frequency and CMUdict tables on first use;
- `detector flag FILE --format jsonl` wall time and peak RSS;
- throughput after start-up = paragraphs / (flag time - time to first score);
- then, unless --no-peers, :mod:`benchmarks.speed_peers`: one article through
  `detector flag` beside a textstat-alone script, and throughput beside
  textstat's measures and the char-LR baseline on the same paragraphs, with
  ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

# The one short paragraph whose scoring counts as start-up ("time to first score").
FIRST_PARAGRAPH = "The minister said on Tuesday that talks would resume."
LOAD = "import detector; detector.load_model()"
STARTUP = (
    "import detector; m = detector.load_model(); "
    f"detector.score_document({FIRST_PARAGRAPH!r}, model=m)"
)


def make_corpus(n: int, corpus: str = "human") -> list[str]:
    """n distinct paragraphs: human-written Lee/Wikipedia paragraphs and the WMT
    human references (about 500 characters each), or the prose paragraphs of the two seeds (news-length,
    about 230 characters)."""
    if corpus == "seeds":
        from detector.io.decode import read_text
        from detector.segment.paragraphs import split_paragraphs

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


# A small process starts each measured command, times it and waits for it: a
# child forked straight from this process would report this process's own peak
# RSS (which it inherits at fork) whenever that is the larger.
_LAUNCHER = """
import json, resource, subprocess, sys, time
out, timeout, args = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
started = time.perf_counter()
try:
    code = subprocess.call(args, stdout=subprocess.DEVNULL, timeout=timeout or None)
except subprocess.TimeoutExpired:
    code = -9
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as handle:
    json.dump([elapsed, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime], handle)
"""


class Run(NamedTuple):
    """One measured command: wall seconds, peak RSS (MB), exit code, CPU seconds."""

    elapsed: float
    peak: float
    code: int
    cpu_seconds: float


def run_measured(args: list[str], timeout: float | None = None, cpu: str = "0",
                 env: dict[str, str] | None = None) -> Run:
    """Run a command on one core (taskset -c ``cpu``, BLAS/OpenMP threads = 1;
    ``env`` adds to the environment), output discarded, and measure it: wall
    seconds, peak RSS (MB) of that command alone, exit code (-9 when killed
    after ``timeout`` seconds) and the CPU seconds it used (user + system;
    unlike wall time, not inflated by other processes on the same core)."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               **(env or {}))
    prefix = ["taskset", "-c", cpu] if shutil.which("taskset") else []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.json"
        subprocess.run([sys.executable, "-c", _LAUNCHER, str(out), str(timeout or 0), *prefix,
                        *args], env=env, check=True)
        elapsed, peak, code, cpu_seconds = json.loads(out.read_text())
    return Run(float(elapsed), float(peak), int(code), float(cpu_seconds))


def run_pinned(args: list[str], timeout: float | None = None, cpu: str = "0",
               env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """:func:`run_measured` without the CPU time: wall seconds, peak RSS (MB), exit code."""
    run = run_measured(args, timeout, cpu, env)
    return run.elapsed, run.peak, run.code


def main() -> None:
    """Build the input, run the measurements, print markdown tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed")
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="start-up runs (best is kept)")
    parser.add_argument("--corpus", choices=("human", "seeds"), default="human")
    parser.add_argument("--cpu", default="0", help="the core to pin to (taskset -c CPU)")
    parser.add_argument("--no-peers", dest="peers", action="store_false",
                        help="skip the comparison with textstat and char-LR")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        paragraphs = make_corpus(args.paragraphs, args.corpus)
        mean_length = sum(map(len, paragraphs)) / len(paragraphs)
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        # The language resources are compiled into the user's cache on their
        # first use (once per installation); that run is not counted here.
        run_pinned([sys.executable, "-c", STARTUP], cpu=args.cpu)
        load = min(run_pinned([sys.executable, "-c", LOAD], cpu=args.cpu)[0]
                   for _ in range(args.repeat))
        firsts = [run_measured([sys.executable, "-c", STARTUP], cpu=args.cpu)
                  for _ in range(args.repeat)]
        startup = min(r.elapsed for r in firsts)
        startup_cpu = min(r.cpu_seconds for r in firsts)
        elapsed, peak, code = run_pinned(
            [sys.executable, "-m", "detector", "flag", str(path), "--format", "jsonl"],
            cpu=args.cpu,
        )
        if code not in (0, 1):
            raise SystemExit(f"detector flag failed with exit code {code}")
        size_mb = path.stat().st_size / 1e6
        rate = args.paragraphs / max(elapsed - startup, 1e-9)
        print("| measure | value |\n|---|---|")
        print(f"| input | {args.paragraphs} paragraphs ({args.corpus}, mean {mean_length:.0f} "
              f"characters), {size_mb:.1f} MB |")
        print(f"| start-up (interpreter + import + model load) | {load:.2f} s |")
        print(f"| time to first score (+ lazily loaded tables) | {startup:.2f} s |")
        print(f"| `detector flag` wall time | {elapsed:.1f} s |")
        print(f"| throughput after start-up, one core | {rate:.0f} paragraphs/s |")
        print(f"| peak memory (max RSS) | {peak:.0f} MB |", flush=True)
        if args.peers:
            _peers(paragraphs, (startup, startup_cpu), args.repeat, args.cpu, Path(tmp))
    print(f"\nmachine: {os.cpu_count()} cores; command: python -m benchmarks.speed "
          f"--paragraphs {args.paragraphs} --corpus {args.corpus} --repeat {args.repeat}"
          f"{'' if args.peers else ' --no-peers'}")


def _peers(paragraphs: list[str], startup: tuple[float, float], repeat: int, cpu: str,
           tmp: Path) -> None:
    """Print the side-by-side tables of :mod:`benchmarks.speed_peers`."""
    from benchmarks import speed_peers
    from detector.segment.paragraphs import split_paragraphs

    seed = next((Path(__file__).resolve().parent.parent / "seeds").glob("000_*.txt"))
    print(f"\nOne article: {seed.name}\n")
    print("\n".join(speed_peers.one_article(seed, repeat, cpu)), flush=True)
    prose = [s.text for s in split_paragraphs("\n\n".join(paragraphs)) if s.skipped is None]
    print("\nThe prose paragraphs of the corpus above (those `detector flag` scores), "
          "each method in its own process:\n")
    print("\n".join(speed_peers.throughput(prose, startup, repeat, cpu, tmp)))


if __name__ == "__main__":
    main()
