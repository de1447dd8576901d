"""Running the service on uvicorn: where it listens, its workers and its log.

Uvicorn handles SIGTERM and Ctrl-C: it stops taking connections, lets the
requests in progress finish, runs each worker's shutdown (the scoring thread
ends) and returns. With ``workers > 1`` it starts the worker processes from
the import string :data:`APP`, each reading the configuration from the
environment (:class:`~detector.service.config.ServiceConfig`), and stops them
on SIGTERM.
"""

from __future__ import annotations

import os
import socket

from detector.errors import DataError
from detector.service.app import LOGGER
from detector.service.config import ServiceConfig

__all__ = ["APP", "LOG_CONFIG", "GRACE_SECONDS", "check_address", "serve"]


APP = "detector.service.app:create_app_from_environment"

# Seconds a shutdown waits for the requests in progress beyond their own
# time limit.
GRACE_SECONDS = 5

# Everything on standard error, one line each; uvicorn's access log is off,
# the service writes its own (detector.service.app.RequestLog: no query
# string, no text).
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s detector serve [%(process)d] %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {name: {"handlers": ["stderr"], "level": "INFO", "propagate": False}
                for name in ("uvicorn", LOGGER)},
}


def check_address(host: str, port: int) -> None:
    """Raise :class:`DataError` when nothing can listen on ``host:port``
    (an unknown host, a port in use or not allowed), before anything starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.create_server((host, port), family=family, reuse_port=False):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DataError(f"cannot listen on {host}:{port}: {reason}") from None


def serve(config: ServiceConfig, host: str, port: int, workers: int) -> None:
    """Serve until SIGTERM or Ctrl-C (which uvicorn turns into a clean
    shutdown); the model is loaded in each worker as it starts."""
    import uvicorn

    os.environ.update(config.to_environment())
    uvicorn.run(APP, factory=True, host=host, port=port, workers=workers,
                log_config=LOG_CONFIG, access_log=False, server_header=False,
                timeout_graceful_shutdown=int(config.timeout) + GRACE_SECONDS,
                proxy_headers=False)
