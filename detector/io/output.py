"""The one writer behind every output a command makes (``flag``, ``match``,
``evaluate``, ``train`` and its report): standard output or ``-o FILE``.

What it promises:

- An output that is the same file as an input, a reference or a model (by
  inode, so through symlinks and hard links), or an existing file inside an
  input directory, is refused before anything is read: :func:`refuse_inputs`.
- A regular (or absent) target is written as ``.NAME.partial`` beside it (in
  the directory of the file a symlink points to) and renamed over it only
  when the run ends well, with the mode of the file it replaces; on an error,
  SIGINT or SIGTERM the partial file is removed and the target is as it was.
  Only a SIGKILL (or a power cut) can leave ``.NAME.partial`` behind; it holds
  the complete records written so far, and the next run replaces it.
- The partial file is locked (``flock``) while it is written, so a second run
  on the same target stops at once with a message instead of interleaving.
- A character device, FIFO or standard output is written straight.
- A read-only target, a missing or read-only directory, and any write error
  (a full disk, an I/O error) end the run with one :class:`OutputError`
  message; a closed pipe (``| head``) raises :class:`BrokenPipeError`, which
  the command line turns into a quiet exit.
"""

from __future__ import annotations

import fcntl
import io
import os
import stat
import sys
from pathlib import Path
from typing import IO, Any, Iterable

from detector.errors import OutputError
from detector.io.escape import printable

__all__ = ["Output", "partial_path", "read_only", "refuse_inputs"]


def partial_path(target: str | Path) -> Path:
    """Where the output for ``target`` is written until the run ends:
    ``.NAME.partial`` beside the file (beside a symlink's destination)."""
    real = Path(os.path.realpath(target))
    return real.with_name(f".{real.name}.partial")


def _shown(path: str | Path) -> str:
    return printable(os.fsdecode(path))


def _stat(source: str) -> os.stat_result | None:
    try:
        return os.fstat(0) if source == "-" else os.stat(source)
    except (OSError, ValueError):
        return None


def read_only(path: str | Path) -> bool:
    """True for an existing file that is not to be written: no write
    permission for this user, or no write bit at all (which even root,
    whom permissions do not stop, should respect)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not mode & 0o222 or not os.access(path, os.W_OK)


def refuse_inputs(target: str | Path, sources: Iterable[str | Path]) -> None:
    """Raise :class:`OutputError` when writing ``target`` would change one of
    ``sources``: the same file (same device and inode), or a file inside a
    source directory."""
    mine = _stat(os.fspath(target))
    if mine is None or not stat.S_ISREG(mine.st_mode):
        return  # absent, a device or a FIFO: nothing of an input can be lost
    real = Path(os.path.realpath(target))
    for source in sources:
        theirs = _stat(os.fspath(source))
        if theirs is None:
            continue
        if stat.S_ISDIR(theirs.st_mode):
            if Path(os.path.realpath(source)) in real.parents:
                raise OutputError(f"{_shown(target)}: is inside the input directory "
                                  f"{_shown(source)}; writing it would overwrite the input")
        elif (theirs.st_dev, theirs.st_ino) == (mine.st_dev, mine.st_ino):
            shown = "<stdin>" if os.fspath(source) == "-" else _shown(source)
            raise OutputError(f"{_shown(target)}: is the same file as the input {shown}; "
                              "writing it would overwrite the input")


class _Guard:
    """Turns an ``OSError`` of a write into one :class:`OutputError` that names
    the output (a closed pipe stays a :class:`BrokenPipeError`)."""

    shown = "output"

    def _fail(self, exc: OSError) -> OutputError:
        return OutputError(f"{self.shown}: cannot write ({exc.strerror or exc})")

    def write(self, data: Any) -> int:
        try:
            return super().write(data)  # type: ignore[misc, no-any-return]
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None

    def flush(self) -> None:
        try:
            super().flush()  # type: ignore[misc]
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None


class _Text(_Guard, io.TextIOWrapper):
    pass


class _Binary(_Guard, io.BufferedWriter):
    pass


class _Passthrough(_Guard):
    """A text stream that is not a file, written through as it is."""

    shown = "<stdout>"

    def __init__(self, stream: IO[str]) -> None:
        self._target = stream

    def write(self, data: Any) -> int:
        return self._target.write(data)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        self._target.flush()


def _stream(fd: int, shown: str, binary: bool) -> IO[Any]:
    raw = io.FileIO(fd, "w", closefd=True)
    buffered = _Binary(raw) if binary else io.BufferedWriter(raw)
    # newline="": a carriage return inside a record comes out as written;
    # backslashreplace: the last guard, should a lone surrogate get this far.
    stream: IO[Any] = buffered if binary else _Text(buffered, encoding="utf-8",
                                                    errors="backslashreplace", newline="")
    stream.shown = shown  # type: ignore[attr-defined]
    return stream


class Output:
    """``with Output(path, sources) as out:`` the stream to write to; the
    target is replaced when the block ends without an exception (see the
    module docstring). ``path`` None or ``-`` is standard output."""

    def __init__(self, path: str | Path | None, sources: Iterable[str | Path] = (),
                 binary: bool = False) -> None:
        self.path = None if path is None or os.fspath(path) == "-" else os.fspath(path)
        self.sources = tuple(sources)
        self.binary = binary
        self.partial: Path | None = None
        self.target: Path | None = None
        self.stream: IO[Any] | None = None
        self.mode: int | None = None

    def __enter__(self) -> IO[Any]:
        if self.path is None:
            try:
                sys.stdout.flush()
                fd = os.dup(sys.stdout.fileno())
            except io.UnsupportedOperation:
                # Not a file (a StringIO when called from Python): write through it.
                self.stream = _Passthrough(sys.stdout)
                return self.stream
            except (OSError, ValueError) as exc:
                raise OutputError(f"<stdout>: cannot write ({exc})") from None
            self.stream = _stream(fd, "<stdout>", self.binary)
            return self.stream
        refuse_inputs(self.path, self.sources)
        shown = _shown(self.path)
        try:
            existing = os.stat(self.path)
        except FileNotFoundError:
            existing = None
        except OSError as exc:
            raise OutputError(f"{shown}: cannot write ({exc.strerror or exc})") from None
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise OutputError(f"{shown}: is a directory")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            self.stream = _stream(self._open(self.path, os.O_WRONLY), shown, self.binary)
            return self.stream
        self.target = Path(os.path.realpath(self.path))
        folder = self.target.parent
        if existing is not None and read_only(self.target):
            raise OutputError(f"{shown}: is read-only; refusing to replace it")
        if not folder.is_dir():
            raise OutputError(f"{shown}: cannot write (no directory {_shown(folder)})")
        if read_only(folder) or not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{shown}: cannot write (no permission to write in "
                              f"{_shown(folder)})")
        self.mode = None if existing is None else stat.S_IMODE(existing.st_mode)
        self.partial = partial_path(self.path)
        self.stream = _stream(self._lock_partial(shown), shown, self.binary)
        return self.stream

    def _open(self, path: str | Path, flags: int) -> int:
        try:
            return os.open(path, flags | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise OutputError(f"{_shown(path)}: cannot write ({exc.strerror or exc})") from None

    def _lock_partial(self, shown: str) -> int:
        """Open and lock ``.NAME.partial``, emptied; a run that holds it
        already means another detector is writing the same target."""
        assert self.partial is not None
        while True:
            fd = self._open(self.partial, os.O_WRONLY | os.O_CREAT)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise OutputError(f"another detector run is writing {shown}; "
                                  "try again when it has finished") from None
            # The lock holds only if the name still points to the locked file:
            # the run before may have renamed it into place meanwhile.
            try:
                same = os.stat(self.partial).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                if self.mode is not None:
                    os.fchmod(fd, self.mode)
                return fd
            os.close(fd)

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        stream, self.stream = self.stream, None
        if stream is None:
            return
        if kind is not None:
            self._discard(stream)
            return
        try:
            stream.flush()
            if self.partial is not None:
                os.fsync(stream.fileno())
                os.replace(self.partial, self.target)  # type: ignore[arg-type]
                self.partial = None
        except BrokenPipeError:
            self._discard(stream)
            raise
        except OSError as exc:
            self._discard(stream)
            raise OutputError(f"{stream.shown}: cannot write "  # type: ignore[attr-defined]
                              f"({exc.strerror or exc})") from None
        except BaseException:
            self._discard(stream)
            raise
        self._close(stream)

    def _discard(self, stream: IO[Any]) -> None:
        """Remove the partial file (still locked, so still ours) and close."""
        if self.partial is not None:
            try:
                os.unlink(self.partial)
            except OSError:
                pass
            self.partial = None
        self._close(stream)

    @staticmethod
    def _close(stream: IO[Any]) -> None:
        try:
            stream.close()
        except (OSError, OutputError):
            # The buffer could not be flushed (a closed pipe, a full disk): the
            # error was reported or the output is being discarded anyway.
            fd = getattr(getattr(stream, "buffer", stream), "raw", None)
            if fd is not None and not fd.closed:
                fd.close()
