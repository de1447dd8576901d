"""How ``detector serve`` starts and stops: bad arguments and a missing
extra (exit 2), the time limit (503), worker processes, SIGTERM (the
requests in progress answered, exit 0, no worker left), and that nothing
else in the detector imports Starlette or uvicorn."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from conftest import REPO_ROOT, SEED_CLEAN_REL, SEED_MANGLED_REL, run_main
from detector.service.config import MAX_TEXT_CHARS
from servers import START_SECONDS, alive, children, flag_stdin, start_server


@pytest.mark.parametrize("args, words", [
    (["--port", "http"], "argument --port: not a port number"),
    (["--port", "0"], "argument --port: not a port number"),
    (["--workers", "0"], "argument --workers: must be a whole number of at least 1"),
    (["--timeout", "0"], "argument --timeout: must be more than 0"),
    (["--timeout", "soon"], "argument --timeout: not a number"),
    (["--wokers", "2"], "did you mean --workers"),
])
def test_bad_arguments(args, words):
    run = run_main("serve", *args, text=True)
    assert run.returncode == 2 and words in run.stderr, run.stderr


def test_unusable_model_reference_or_address(tmp_path):
    fake = tmp_path / "model.skops"
    fake.write_text("not a model", encoding="utf-8")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        in_use = run_main("serve", "--port", str(port), text=True)
    runs = {
        "detector: error: ": run_main("serve", "--model", str(fake), text=True),
        "cannot read reference": run_main("serve", "--reference", str(tmp_path / "missing"),
                                          text=True),
        f"cannot listen on 127.0.0.1:{port}": in_use,
        "cannot listen on no-such-host.invalid:8080":
            run_main("serve", "--host", "no-such-host.invalid", text=True),
    }
    for words, run in runs.items():
        assert run.returncode == 2 and words in run.stderr, (words, run.stderr)
        assert run.stderr.startswith("detector: error: ") and run.stderr.count("\n") == 1


def test_without_the_serve_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    run = run_main("serve", text=True)
    assert run.returncode == 2
    assert "pip install 'detector[serve]'" in run.stderr, run.stderr


def test_the_detector_never_imports_the_web_stack():
    code = ("import sys\nfrom detector.cli.run import main\nimport detector\n"
            "from detector.cli.parser import build_parser\nbuild_parser()\n"
            f"code = main(['flag', '--exit-zero', {SEED_MANGLED_REL!r}])\n"
            "print(code, [m for m in ('starlette', 'uvicorn', 'anyio', 'httpx', 'h11') "
            "if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "0 []"


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """``detector serve --workers 2`` with a time limit of half a second and
    seed 000 as the server's reference."""
    server = start_server(tmp_path_factory.mktemp("workers") / "stderr.log",
                          "--workers", "2", "--timeout", "0.5", "--reference", SEED_CLEAN_REL)
    yield server
    server.stop()


def test_the_servers_reference(two_workers, seed_mangled, repo_root):
    text = seed_mangled.read_text(encoding="utf-8")
    response = httpx.post(two_workers.url + "/v1/score", json={"text": text}, timeout=120)
    assert response.status_code == 200
    assert response.text == flag_stdin("json", "--reference", SEED_CLEAN_REL, input=text,
                                       cwd=repo_root)
    assert response.json()["files"][0]["source"] == SEED_CLEAN_REL
    assert httpx.get(two_workers.url + "/v1/model").json()["references"] == 1


def test_the_time_limit(two_workers, seed_clean):
    # Four long texts take seconds to score; the answer comes at the limit.
    text = (seed_clean.read_text(encoding="utf-8") + "\n\n") * 25
    assert len(text) < MAX_TEXT_CHARS
    started = time.monotonic()
    response = httpx.post(two_workers.url + "/v1/score/batch",
                          json={"documents": [{"text": text}] * 4}, timeout=120)
    took = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.json() == {"status": 503, "error": "scoring took longer than the time "
                               "limit of 0.5 s; try again later, or send a shorter text"}
    # scoring stopped at the deadline (within a window of paragraphs), not
    # after the batch (over 3 s of scoring on an idle core)
    assert took < 3, took
    # the workers go on answering
    short = httpx.post(two_workers.url + "/v1/score", json={"text": "A short text to score."})
    assert short.status_code == 200


def worker_pids(server, count: int = 2) -> list[int]:
    """The ``count`` uvicorn worker processes of a server (not
    multiprocessing's resource tracker), once each has said it started."""
    def command(pid: int) -> str:
        with open(f"/proc/{pid}/cmdline") as handle:
            return handle.read()

    deadline = time.monotonic() + START_SECONDS
    while True:
        workers = [pid for pid in children(server.process.pid)
                   if "multiprocessing.spawn" in command(pid)
                   and "resource_tracker" not in command(pid)]
        log = server.stderr()
        if len(workers) == count and all(f"[{pid}] Application startup complete." in log
                                         for pid in workers):
            return workers
        assert time.monotonic() < deadline, (workers, log)
        time.sleep(0.2)


def wait_gone(pids: list[int], seconds: float = 30) -> bool:
    """Whether every process of ``pids`` ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not any(alive(pid) for pid in pids)


def test_a_body_that_comes_too_slowly(two_workers):
    def slowly():
        yield b'{"text": "The council met'
        time.sleep(2)
        yield b' on Monday."}'

    response = httpx.post(two_workers.url + "/v1/score", content=slowly(), timeout=60,
                          headers={"content-type": "application/json"})
    assert response.status_code == 408
    assert response.json() == {"status": 408,
                               "error": "the request body did not arrive within 0.5 s"}


def test_sigterm_stops_every_worker(two_workers):
    workers = worker_pids(two_workers)
    assert two_workers.stop() == 0, two_workers.stderr()
    assert wait_gone(workers)
    assert "Traceback" not in two_workers.stderr()


def test_workers_end_when_the_server_is_killed(tmp_path):
    server = start_server(tmp_path / "stderr.log", "--workers", "2")
    workers: list[int] = []
    try:
        workers = worker_pids(server)
        server.process.kill()  # SIGKILL: no clean-up runs in the parent
        server.process.wait(timeout=30)
        assert wait_gone(workers), server.stderr()
    finally:
        server.stop()
        for pid in workers:  # left behind only when the test fails
            if alive(pid):
                os.kill(pid, signal.SIGTERM)


def test_sigterm_answers_the_request_in_progress(tmp_path, seed_clean):
    server = start_server(tmp_path / "stderr.log")
    text = (seed_clean.read_text(encoding="utf-8") + "\n\n") * 25
    assert len(text) < MAX_TEXT_CHARS
    answer: dict[str, httpx.Response] = {}

    def score() -> None:  # four long texts: seconds of scoring
        answer["long"] = httpx.post(server.url + "/v1/score/batch",
                                    json={"documents": [{"text": text}] * 4}, timeout=120)

    try:
        thread = threading.Thread(target=score)
        thread.start()
        time.sleep(0.3)
        assert thread.is_alive()  # being scored when the signal comes
        code = server.stop()
        thread.join(timeout=120)
    finally:
        server.stop()
    assert code == 0, server.stderr()
    assert answer["long"].status_code == 200
    assert [f["n_scored"] for f in json.loads(answer["long"].text)["files"]] == [25 * 35] * 4
    log = server.stderr()
    assert log.index('"POST /v1/score/batch" 200') < log.index("Finished server process")
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/healthz")
