"""What a ``detector serve`` worker is started with: the model, the
references and the limits of a request. The command line makes one
:class:`ServiceConfig`; it reaches every uvicorn worker process through one
environment variable (:data:`ENVIRONMENT_KEY`), since uvicorn starts its
workers from an import string, not from objects."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Mapping

__all__ = ["ENVIRONMENT_KEY", "MAX_BATCH", "MAX_REQUEST_BYTES", "MAX_TEXT_CHARS", "TIMEOUT",
           "ServiceConfig"]


ENVIRONMENT_KEY = "DETECTOR_SERVE_CONFIG"

# A request body of at most 2 MiB: a long article is 10-50 kB, and a batch
# of several fits; more is refused (413) before it is read whole.
MAX_REQUEST_BYTES = 2 * 1024 * 1024

# A text of at most 200,000 characters (about 30,000 words, a second or so
# of scoring on one core); a longer one is refused (413).
MAX_TEXT_CHARS = 200_000

# A batch of at most 64 texts (each within MAX_TEXT_CHARS, the whole body
# within MAX_REQUEST_BYTES).
MAX_BATCH = 64

# Seconds a request may take, from its arrival to its answer (waiting for
# the scorer included); past it the answer is 503. A batch at the limits
# above takes about 10 s on one core.
TIMEOUT = 30.0


@dataclass(frozen=True)
class ServiceConfig:
    """The settings of one service: ``model`` (a path; None: the shipped
    model), ``references`` (files or directories: the suspected originals
    every request is compared with unless it sends its own), ``timeout`` in
    seconds, and the size limits."""

    model: str | None = None
    references: tuple[str, ...] = field(default_factory=tuple)
    timeout: float = TIMEOUT
    max_request_bytes: int = MAX_REQUEST_BYTES
    max_text_chars: int = MAX_TEXT_CHARS
    max_batch: int = MAX_BATCH
    #: The pid of the process that started the workers (``--workers`` > 1):
    #: each worker ends when it is gone, even when it was killed outright.
    supervisor: int | None = None

    def to_environment(self) -> dict[str, str]:
        """The environment entry that :meth:`from_environment` reads back."""
        return {ENVIRONMENT_KEY: json.dumps(asdict(self))}

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "ServiceConfig":
        """The configuration the command line left in ``environ`` (the
        defaults when there is none)."""
        raw = environ.get(ENVIRONMENT_KEY)
        if not raw:
            return cls()
        values = json.loads(raw)
        values["references"] = tuple(values.get("references") or ())
        return cls(**values)
