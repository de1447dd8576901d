"""``detector serve`` as the tests run it: a real process on a free local
port, its standard error in a file, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from conftest import REPO_ROOT

# A worker loads the model and maps the language resources before it answers.
START_SECONDS = 180


def flag_stdin(fmt: str, *args: str, input: str, cwd: str | Path) -> str:
    """What ``detector flag --format FMT --stdin-filename '<request>' ARGS -``
    prints for ``input``, run in ``cwd``: the service's answer for that text.

    The checkout under test is put first on PYTHONPATH, as the server has it
    from its working directory: outside the repo root a stale install would
    otherwise be run, and Python's own "No module named" exits 1 like a flag."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.run([sys.executable, "-m", "detector", "flag", "--format", fmt,
                           "--stdin-filename", "<request>", *args, "-"], input=input, cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env=env)
    assert proc.returncode in (0, 1) and proc.stdout, proc.stderr
    return proc.stdout


def free_port() -> int:
    """A TCP port nothing listens on at 127.0.0.1 (just now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running ``detector serve``: its process, base URL and log file."""

    process: subprocess.Popen
    url: str
    log: Path

    def stderr(self) -> str:
        """What the server has written to standard error so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, then the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)


def start_server(log: Path, *args: str) -> Server:
    """Start ``python -m detector serve ARGS`` on a free port from the repo
    root (PYTHONPATH passed on) and wait until ``/healthz`` answers."""
    port = free_port()
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    handle = open(log, "w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "detector", "serve", "--port", str(port),
                                *args], cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                               stdout=handle, stderr=handle)
    handle.close()
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"detector serve exited with {process.returncode}:\n"
                                 + server.stderr())
        try:
            if httpx.get(server.url + "/healthz", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise AssertionError("detector serve did not answer /healthz in time:\n" + server.stderr())


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
