"""Every error type the detector raises for bad input, files or models."""

from __future__ import annotations

__all__ = ["DataError", "DecodeError", "InputTooLarge", "ModelError", "OutputError", "ReferenceError",
           "UnreadableFile"]


class DecodeError(ValueError):
    """The bytes are not text in an encoding the detector reads."""


class DataError(ValueError):
    """Labelled data that cannot be used, with the file and line at fault."""


class UnreadableFile(DataError):
    """A file that cannot be read at all (or no further): ``reason`` says why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason


class InputTooLarge(DataError):
    """An input that never ends, or a line over :data:`detector.io.jsonl.MAX_LINE_BYTES`."""


class ReferenceError(ValueError):
    """A reference that cannot be used: empty, unreadable, or with no prose."""


class ModelError(RuntimeError):
    """A model file that cannot be used: missing, unsafe, or built for another version."""


class OutputError(DataError):
    """An output that must not or cannot be written, or a failed write."""
