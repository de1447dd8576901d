"""How a run ends: SIGTERM as an exception (so every ``with`` block cleans up,
as on Ctrl-C), and worker processes that end when their parent does.

A worker of ``-j N`` cannot rely on its parent to stop it: a parent killed
with SIGKILL runs no clean-up at all. So each worker watches its parent from a
daemon thread and exits when the parent is gone, however it ended.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator

__all__ = ["PARENT_POLL_SECONDS", "Terminated", "exit_code", "terminate_as_exception", "watch_parent"]


# How often a worker checks that its parent is alive: it ends within this.
PARENT_POLL_SECONDS = 1.0


class Terminated(BaseException):
    """The process received SIGTERM (a BaseException, as KeyboardInterrupt is,
    so that ``except Exception`` around one document does not swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(exc: BaseException) -> int:
    """The shell's exit code for a run ended by a signal: 128 + its number."""
    if isinstance(exc, Terminated):
        return 128 + exc.signum
    return 128 + signal.SIGINT


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


@contextmanager
def terminate_as_exception() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated`; the previous
    handler is restored after it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _parent_gone(parent: int, first_ppid: int) -> bool:
    if os.getppid() != first_ppid:
        return True  # re-parented: the parent has ended (a zombie still answers kill)
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _watch(parent: int, first_ppid: int) -> None:
    while not _parent_gone(parent, first_ppid):
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


@lru_cache(maxsize=None)
def watch_parent(parent: int) -> None:
    """In a worker process: end this process as soon as ``parent`` (the pid of
    the process that started the work) is gone. Started once per process."""
    if parent == os.getpid():
        return  # scoring in the parent itself
    thread = threading.Thread(target=_watch, args=(parent, os.getppid()),
                              name="detector-parent-watch", daemon=True)
    thread.start()
