"""A bounded load test of `detector serve`, on 127.0.0.1 only.

    python -m benchmarks.serve_load [--requests 2000] [--concurrency 8] [--workers 2]
                                    [--size paragraph|article]

Starts `detector serve --workers N` (the shipped model) on a free port of
127.0.0.1, sends each distinct text once to take its expected answer, then
sends ``--requests`` POST /v1/score requests from ``--concurrency`` clients at
once (httpx, one keep-alive connection each) and checks every answer: status
200 and the very bytes the text was answered with before. The texts are the
seeds' prose paragraphs (``paragraph``: 60 texts, a comment-sized request)
or the two seed articles (``article``: 35 and 29 paragraphs). Prints a
markdown table: requests/s over the whole run and the latency percentiles.
The clients run on the same machine as the server and share its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("seeds/000_b8c68d1ff3b8ca38.txt", "seeds/002_2c1e469cce9ae44f.txt")


def texts(size: str) -> list[str]:
    """The request texts: the seeds' prose paragraphs, or the seeds whole."""
    from detector.segment.paragraphs import split_paragraphs

    articles = [(ROOT / seed).read_text(encoding="utf-8") for seed in SEEDS]
    if size == "article":
        return articles
    return [s.text for text in articles for s in split_paragraphs(text) if s.skipped is None]


def start(workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    """`detector serve` on a free port of 127.0.0.1, answering /healthz."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handle = open(log, "w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "detector", "serve", "--host", "127.0.0.1",
                                "--port", str(port), "--workers", str(workers)], cwd=ROOT,
                               env=dict(os.environ), stdout=handle, stderr=handle)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"detector serve exited with {process.returncode}:\n"
                             + log.read_text())
        try:
            if httpx.get(url + "/healthz", timeout=5).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("detector serve did not start")


async def load(url: str, bodies: list[str], expected: list[str], requests: int,
               concurrency: int) -> tuple[list[float], float, int]:
    """Send ``requests`` requests from ``concurrency`` clients; the
    latencies (s), the wall time (s) and how many answers were wrong."""
    latencies: list[float] = []
    wrong = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n % len(bodies))

    async def client() -> None:
        nonlocal wrong
        async with httpx.AsyncClient(base_url=url, timeout=120,
                                     headers={"content-type": "application/json"}) as http:
            while not queue.empty():
                k = queue.get_nowait()
                started = time.perf_counter()
                response = await http.post("/v1/score", content=bodies[k])
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200 or response.text != expected[k]:
                    wrong += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies, time.perf_counter() - started, wrong


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> None:
    """Start the server, load it, stop it; print a markdown table."""
    import json

    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve_load")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--size", choices=("paragraph", "article"), default="paragraph")
    args = parser.parse_args()

    chosen = texts(args.size)
    bodies = [json.dumps({"text": text}) for text in chosen]
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start(args.workers, Path(tmp) / "serve.log")
        try:
            expected = []
            for body in bodies:  # each text's answer, before the clock starts
                response = httpx.post(url + "/v1/score", content=body, timeout=120,
                                      headers={"content-type": "application/json"})
                assert response.status_code == 200, response.text
                expected.append(response.text)
            latencies, wall, wrong = asyncio.run(load(url, bodies, expected, args.requests,
                                                      args.concurrency))
        finally:
            process.terminate()
            code = process.wait(timeout=120)
    mean_chars = statistics.mean(len(t) for t in chosen)
    print(f"`python -m benchmarks.serve_load --requests {args.requests} --concurrency "
          f"{args.concurrency} --workers {args.workers} --size {args.size}`: {len(chosen)} "
          f"distinct texts, mean {mean_chars:.0f} characters; server exit code {code}\n")
    print("| requests | concurrent | workers | wrong answers | requests/s | p50 | p99 | max |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {len(latencies)} | {args.concurrency} | {args.workers} | {wrong} | "
          f"{len(latencies) / wall:.0f} | {percentile(latencies, 50) * 1000:.0f} ms | "
          f"{percentile(latencies, 99) * 1000:.0f} ms | {max(latencies) * 1000:.0f} ms |")
    if wrong or code != 0:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
