"""Throughput of the datatrove filter step inside a real pipeline, beside
`detector flag --format jsonl` on the same file.

    python -m benchmarks.datatrove_filter [--records 300] [--per-record 10] [--repeat 3]

Writes ``--records`` JSON Lines records of ``--per-record`` news-length
paragraphs of installable human text (:func:`benchmarks.corpus_scale.write_corpus`),
then, each in a fresh process with one BLAS/OpenMP thread:

- `detector flag --format jsonl -o OUT FILE` (wall time);
- a datatrove pipeline, JsonlReader -> DetectorFilter (with an exclusion
  writer) -> JsonlWriter, on a LocalPipelineExecutor with one task and one
  worker (wall time, and the filter step's own time from datatrove's stats).

The two alternate ``--repeat`` times and the fastest run of each counts (the
machine's load average before and after is printed: another process on the
cores slows both). Prints documents and paragraphs per second for each, and checks that every
record came out of the pipeline once (kept or dropped) with the same document
score as `detector flag` gave it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus_scale import write_corpus

# The pipeline, as a user writes it (tests/test_datatrove.py runs it too, with
# the network blocked): the corpus in ROOT/input, the outputs beside it.
PIPELINE = """
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from detector.integrations.datatrove import DetectorFilter

root = sys.argv[1]
LocalPipelineExecutor(pipeline=[
    JsonlReader(f"{root}/input"),
    DetectorFilter(exclusion_writer=JsonlWriter(f"{root}/dropped", compression=None)),
    JsonlWriter(f"{root}/kept", compression=None),
], tasks=1, workers=1, logging_dir=f"{root}/logs").run()
"""

ENV = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")


def timed(command: list[str]) -> float:
    """Wall seconds of a command (exit code 0, or 1 for `detector flag` flagging)."""
    started = time.perf_counter()
    proc = subprocess.run(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{command[:4]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.perf_counter() - started


def scores_of(paths: list[Path], key: str) -> dict[str, float | None]:
    """Document score by record id, from JSON Lines outputs (`key` is where
    the score is: ``score`` for `detector flag`, ``detector`` metadata for datatrove)."""
    scores: dict[str, float | None] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            score = record["score"] if key == "score" else record["metadata"][key]["score"]
            if record["id"] in scores:
                raise SystemExit(f"record {record['id']} came out twice")
            scores[record["id"]] = score
    return scores


def main() -> None:
    """Build the corpus, run both, print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.datatrove_filter")
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--per-record", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "input").mkdir()
        source = root / "input" / "corpus.jsonl"
        records = write_corpus(source, args.records * args.per_record, args.per_record)
        flag_out = root / "flag.jsonl"
        flag_wall = pipeline_wall = filter_time = float("inf")
        for _ in range(args.repeat):
            flag_wall = min(flag_wall, timed([sys.executable, "-m", "detector", "flag", "--format",
                                              "jsonl", "-o", str(flag_out), str(source)]))
            for folder in ("kept", "dropped", "logs"):
                shutil.rmtree(root / folder, ignore_errors=True)
            pipeline_wall = min(pipeline_wall, timed([sys.executable, "-c", PIPELINE, str(root)]))
            stats = json.loads((root / "logs" / "stats.json").read_text(encoding="utf-8"))
            step = next(s for s in stats if "detector" in s["name"])
            filter_time = min(filter_time, step["time_stats"]["total"])
        kept = sorted((root / "kept").glob("*.jsonl"))
        dropped = sorted((root / "dropped").glob("*.jsonl"))
        expected = scores_of([flag_out], "score")
        got = scores_of(kept + dropped, "detector")
        if got != expected or len(got) != records:
            differ = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
            raise SystemExit(f"pipeline and detector flag disagree on {len(differ)} records: "
                             f"{differ[:5]}")
        n_dropped = step["stats"].get("dropped", 0)

    paragraphs = args.records * args.per_record
    print(f"input: {records} records of {args.per_record} paragraphs ({paragraphs} paragraphs); "
          f"{n_dropped} dropped by the filter, every score equal to detector flag's\n")
    print("| run | seconds | documents/s | paragraphs/s | ms per document |")
    print("|---|---|---|---|---|")
    for name, seconds in (("`detector flag --format jsonl` (whole process)", flag_wall),
                          ("datatrove pipeline (whole process)", pipeline_wall),
                          ("DetectorFilter step alone (datatrove's stats)", filter_time)):
        print(f"| {name} | {seconds:.1f} | {records / seconds:.1f} | {paragraphs / seconds:.0f} | "
              f"{1000 * seconds / records:.1f} |")
    print(f"\nmachine: {os.cpu_count()} cores, load average {load_before:.1f} before and "
          f"{os.getloadavg()[0]:.1f} after; fastest of {args.repeat}; command: "
          f"python -m benchmarks.datatrove_filter --records {args.records} "
          f"--per-record {args.per_record} --repeat {args.repeat}")


if __name__ == "__main__":
    main()
