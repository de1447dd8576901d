"""OpenMP control: gradient boosting's tiny predictions on one thread."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator


@lru_cache(maxsize=1)
def _thread_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_OPENMP_LIMIT = threading.Lock()


@contextmanager
def one_openmp_thread() -> Iterator[None]:
    """A context in which gradient boosting predicts on one OpenMP thread. A
    window of paragraphs is predicted in milliseconds; more threads only add
    their start-up and, on a busy machine (or beside -j workers), spin for
    seconds waiting for a core. The limit is undone on leaving the context;
    a lock keeps threads that score at once from restoring each other's
    limit (the setting is per process)."""
    with _OPENMP_LIMIT, _thread_controller().limit(limits=1, user_api="openmp"):
        yield
