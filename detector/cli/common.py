"""What every command shares: exit codes, argument types, errors, the model argument."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from detector.io.escape import printable

EXIT_CLEAN, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2


# A closed pipe (``detector flag ... | head``) ends the run quietly with the
# code of a process killed by SIGPIPE, as other Unix tools do.
EXIT_BROKEN_PIPE = 128 + 13


def threshold_arg(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return number


def fraction_arg(value: str) -> float:
    number = threshold_arg(value)
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError("must be strictly between 0 and 1")
    return number


def print_error(message: str) -> None:
    sys.stderr.write(f"detector: error: {printable(message)}\n")


def load_model_arg(model_path: str | None):  # type: ignore[no-untyped-def]
    from detector.model.persistence import load_model

    return load_model(model_path)


def use_colour(choice: str, stream: object) -> bool:
    """Colour only on a terminal and without NO_COLOR, unless forced."""
    import os

    if choice != "auto":
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def model_files(*models: str | None) -> list[str]:
    """The files a ``--model`` argument reads: the model, and the metadata
    beside a model of format 4 or older."""
    from detector.model.metadata import model_files as files_of

    return [str(f) for m in models if m for f in files_of(Path(m))]
