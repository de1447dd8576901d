"""Corpus scale: `detector flag --format jsonl` over a large JSON Lines file,
with one and with two worker processes, and its memory over time.

    python -m benchmarks.corpus_scale [--paragraphs 1000000] [--per-record 10] [--jobs 1,2]

Writes a JSON Lines file of N paragraphs of human-written English that the
project can install (the Lee corpus and the Wikipedia sample in gensim's test
data, cut into paragraphs of two sentences, news length) in records of
``--per-record`` paragraphs, then runs
`detector flag --format jsonl -j J -o OUT FILE` for each J, sampling the
resident memory of the whole process tree every second. Prints wall time,
paragraphs per second, the speed-up over the first J, the peak memory in the
first and the last quarter of the run (flat memory: the two are alike), and
checks that the output has exactly one complete JSON line per record.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from training import corpora

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def paragraphs() -> list[str]:
    """News-length paragraphs (two sentences) of the installable human corpora."""
    out = []
    for doc in corpora.lee_documents() + corpora.wiki_documents():
        for paragraph in doc:
            sentences = _SENTENCE.split(paragraph)
            out.extend(" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2))
    return [p for p in out if len(p.split()) >= 8]


def write_corpus(path: Path, n: int, per_record: int) -> int:
    """Write n paragraphs in records of per_record; return the number of records."""
    base = paragraphs()
    records = 0
    with path.open("w", encoding="utf-8") as out:
        for start in range(0, n, per_record):
            chunk = [base[(start + k) % len(base)] for k in range(min(per_record, n - start))]
            out.write(json.dumps({"id": f"r{records}", "text": "\n\n".join(chunk)}) + "\n")
            records += 1
    return records


def _tree_rss_mb(root: int) -> float:
    """Resident memory (MB) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1e6


def run(source: Path, out: Path, jobs: int) -> tuple[float, list[tuple[float, float]]]:
    """Wall seconds and (seconds, MB) memory samples of one run."""
    command = [sys.executable, "-m", "detector", "flag", "--format", "jsonl", "-j", str(jobs),
               "-o", str(out), str(source)]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    samples = []
    while proc.poll() is None:
        samples.append((time.perf_counter() - started, _tree_rss_mb(proc.pid)))
        time.sleep(1.0)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"detector flag -j {jobs} failed with exit code {proc.returncode}")
    return elapsed, samples


def main() -> None:
    """Build the corpus, run each job count, print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus_scale")
    parser.add_argument("--paragraphs", type=int, default=1_000_000)
    parser.add_argument("--per-record", type=int, default=10)
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "corpus.jsonl"
        records = write_corpus(source, args.paragraphs, args.per_record)
        size = source.stat().st_size / 1e6
        base_rate = None
        for jobs in [int(j) for j in args.jobs.split(",")]:
            out = Path(tmp) / f"out{jobs}.jsonl"
            elapsed, samples = run(source, out, jobs)
            lines = 0
            with out.open(encoding="utf-8") as handle:
                for line in handle:
                    json.loads(line)
                    lines += 1
            if lines != records:
                raise SystemExit(f"-j {jobs}: {lines} output lines for {records} records")
            rate = args.paragraphs / elapsed
            base_rate = base_rate or rate
            quarter = max(1, len(samples) // 4)
            early = max((mb for _, mb in samples[:quarter]), default=0.0)
            late = max((mb for _, mb in samples[-quarter:]), default=0.0)
            rows.append((jobs, elapsed, rate, rate / base_rate, early, late,
                         max((mb for _, mb in samples), default=0.0)))
            out.unlink()
    print(f"input: {args.paragraphs} paragraphs in {records} JSON Lines records, {size:.0f} MB\n")
    print("| jobs | wall time | paragraphs/s | speed-up | peak memory, first quarter | "
          "peak memory, last quarter | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for jobs, elapsed, rate, speedup, early, late, peak in rows:
        print(f"| {jobs} | {elapsed:.0f} s | {rate:.0f} | {speedup:.2f}x | {early:.0f} MB | "
              f"{late:.0f} MB | {peak:.0f} MB |")
    print(f"\nmachine: {os.cpu_count()} cores; command: python -m benchmarks.corpus_scale "
          f"--paragraphs {args.paragraphs} --per-record {args.per_record} --jobs {args.jobs}")


if __name__ == "__main__":
    main()
