"""Peak memory of `detector flag` on one very large text file.

    python -m benchmarks.large_file [--size-mb 100] [--one-line] [--format jsonl] [--format text]

Writes one plain-text file of about SIZE MB (distinct human-written paragraphs
from :func:`benchmarks.speed.make_corpus`, separated by blank lines, or with
``--one-line`` by spaces: one paragraph with no newline), then runs `detector flag FILE
--format F -o OUT` in a fresh process on one core for each format
(:func:`benchmarks.speed.run_pinned`) and reports wall time, paragraphs per
second and peak resident memory of that process.
The issue's target: peak under 1 GB for a 100 MB file. A plain-text file
over 16 MB is read line by line (`detector.io.large_files`), scored window by
window (`detector.score.document.iter_document`) and its output spooled to disk, so
memory should not grow with the file.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from benchmarks.speed import make_corpus, run_pinned


def write_large_file(path: Path, size_mb: float, one_line: bool = False) -> int:
    """Write about ``size_mb`` MB of distinct paragraphs to ``path``, separated
    by blank lines (by a space with ``one_line``: one paragraph with no
    newline); return how many paragraphs were written."""
    target = int(size_mb * 1_000_000)
    separator = " " if one_line else "\n\n"
    n = 0
    written = 0
    # make_corpus(k) is a prefix of make_corpus(2k): ask for about enough
    # paragraphs (~500 characters each) once, more only if they fall short.
    wanted = max(1, target // 400)
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            for paragraph in make_corpus(wanted)[n:]:
                out.write(paragraph + separator)
                written += len(paragraph.encode("utf-8")) + len(separator)
                n += 1
                if written >= target:
                    break
            wanted *= 2
    return n


def main() -> None:
    """Parse arguments, write the file, measure each format, print a table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.large_file")
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--one-line", action="store_true",
                        help="one paragraph with no newline (cut into pieces when scored)")
    parser.add_argument("--format", action="append", choices=["text", "jsonl"],
                        help="output format to measure (repeatable; default jsonl)")
    args = parser.parse_args()
    formats = args.format or ["jsonl"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.txt"
        paragraphs = write_large_file(path, args.size_mb, args.one_line)
        size = path.stat().st_size / 1_000_000
        layout = "on one line" if args.one_line else "separated by blank lines"
        print(f"file: {size:.1f} MB, {paragraphs} corpus paragraphs {layout}")
        print("| format | wall s | MB/s | scored paragraphs | paragraphs/s | peak RSS MB |")
        print("|---|---|---|---|---|---|")
        for fmt in formats:
            out = Path(tmp) / f"out.{fmt}"
            wall, peak, code = run_pinned([sys.executable, "-m", "detector", "flag", str(path),
                                           "--format", fmt, "-o", str(out)])
            if code not in (0, 1):
                raise SystemExit(f"detector flag --format {fmt} failed with exit code {code}")
            scored = _scored(out, fmt)
            print(f"| {fmt} | {wall:.0f} | {size / wall:.2f} | {scored} | {scored / wall:.0f} | "
                  f"{peak:.0f} |", flush=True)


def _scored(out: Path, fmt: str) -> int:
    """How many paragraphs were scored, from the summary at the end of the output."""
    with open(out, "rb") as handle:
        handle.seek(max(0, out.stat().st_size - 4096))
        tail = handle.read().decode("utf-8", errors="replace")
    pattern = r'"n_scored": (\d+)' if fmt == "jsonl" else r"of (\d+) prose paragraphs"
    return int(re.findall(pattern, tail)[-1])

if __name__ == "__main__":
    main()
