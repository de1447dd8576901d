"""Input documents for ``detector flag``: plain text, Markdown, HTML and JSON Lines.

Every input becomes a stream of :class:`InputDocument`, one per file, or one
per line of a JSON Lines file, in input order. A document that cannot be read
(bad bytes, a JSON line that is not an object, a missing text field, HTML
with no main text) is still yielded, with its ``error`` set, so the output
keeps one entry per input in its place. Nothing is read ahead: a JSON Lines
file of any size streams.

- ``.txt`` (and anything not listed below): decoded as :func:`detector.io.decode.decode_bytes` does.
- ``.md``, ``.markdown``: Markdown markup is blanked out character for
  character (:func:`detector.io.markup.markdown_to_text`), so lines and spans still point into
  the file.
- ``.html``, ``.htm``: the main text is extracted with trafilatura (menus,
  footers and scripts dropped); lines and spans then refer to the extracted
  text, one block per paragraph.
- ``.jsonl``, ``.jsonl.gz``, ``.ndjson``: one document per line, its text in
  ``text_field`` and its id in ``id_field`` (the line number when absent).
- ``-``: standard input, as plain text, or as the kind its ``stdin_name``
  says (``--stdin-filename``).
- a directory: every file under it whose name says one of the kinds above,
  recursively, hidden names and ``exclude`` globs skipped
  (:func:`detector.io.discovery.find_files`).

``input_format`` (``--input-format``) reads standard input and the files
named on their own as that kind, whatever their names.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Iterable, Iterator

from detector.errors import DecodeError, InputTooLarge, UnreadableFile
from detector.io.decode import decode_bytes
from detector.io.discovery import KIND_SUFFIXES, find_files, format_kind, kind_of
from detector.io.jsonl import BadLine, iter_records
from detector.io.markup import html_to_text, markdown_to_text

__all__ = ["InputDocument", "input_kind", "iter_documents", "record_document"]


@dataclass(frozen=True)
class InputDocument:
    """One document to score: where it came from, its id, and its text or why
    there is none. ``id`` is None for a whole file."""

    path: str
    id: str | None
    text: str | None
    error: str | None = None
    #: A large plain-text file, checked and read line by line when scored
    #: (``text`` is then None): see :mod:`detector.io.large_files`.
    stream_path: str | None = None

    def content(self) -> str | Iterable[str] | None:
        """The text, or the lines of ``stream_path`` read lazily; None when
        the document could not be read."""
        if self.stream_path is not None:
            from detector.io.large_files import iter_text_lines

            return iter_text_lines(self.stream_path)
        return self.text

    def full_text(self) -> str | None:
        """The whole text, read into memory if it is streamed."""
        content = self.content()
        return content if content is None or isinstance(content, str) else "\n".join(content)

    @property
    def label(self) -> str:
        """How the document is named in messages: ``path`` or ``path[id]``."""
        return self.path if self.id is None else f"{self.path}[{self.id}]"


def input_kind(path: str) -> str:
    """``text``, ``markdown``, ``html`` or ``jsonl``, from the file name
    (``text`` when the name says none)."""
    return kind_of(path) or "text"


def _read_bytes(path: str) -> bytes:
    """The whole input; standard input, a device or a FIFO only up to
    :data:`MAX_STREAM_BYTES` (a regular file's size is known beforehand)."""
    with (open(path, "rb") if path != "-" else open(sys.stdin.fileno(), "rb", closefd=False)) \
            as handle:
        if path != "-" and os.path.isfile(path):
            return handle.read()
        data = handle.read(MAX_STREAM_BYTES + 1)
    if len(data) > MAX_STREAM_BYTES:
        raise InputTooLarge(f"more than {MAX_STREAM_BYTES // 2**20} MiB from a stream (the limit for "
                            "standard input, a device or a FIFO); save it to a file first")
    return data


def _is_large(path: str) -> bool:
    import os

    from detector.io.large_files import STREAM_BYTES

    try:
        return os.path.getsize(path) > STREAM_BYTES
    except OSError:
        return False  # reading it will say why


def _file_document(path: str, kind: str, shown: str) -> InputDocument:
    try:
        if kind == "text" and path != "-" and _is_large(path):
            from detector.io.large_files import streamable

            if streamable(path):
                return InputDocument(shown, None, None, stream_path=path)
        text = decode_bytes(_read_bytes(path))
        if kind == "markdown":
            text = markdown_to_text(text)
        elif kind == "html":
            text = html_to_text(text)
    except OSError as exc:
        return InputDocument(shown, None, None, exc.strerror or str(exc))
    except (DecodeError, ValueError) as exc:
        return InputDocument(shown, None, None, str(exc))
    return InputDocument(shown, None, text)


# Standard input, a device or a FIFO is read whole up to this size (a regular
# file of any size is read line by line).
MAX_STREAM_BYTES = 256 * 1024 * 1024


def _jsonl_documents(path: str, text_field: str, id_field: str,
                     shown: str) -> Iterator[InputDocument]:
    try:
        if path == "-":
            with open(sys.stdin.fileno(), "rb", closefd=False) as handle:
                yield from _records(iter_records(shown, handle), shown, text_field, id_field)
        else:
            yield from _records(iter_records(path), shown, text_field, id_field)
    except UnreadableFile as exc:
        yield InputDocument(shown, None, None, exc.reason)


def _records(records: Iterable[tuple[int, object]], path: str, text_field: str,
             id_field: str) -> Iterator[InputDocument]:
    for number, obj in records:
        if isinstance(obj, BadLine):
            yield InputDocument(path, str(number), None, f"line {number}: {obj.reason}")
        else:
            yield record_document(obj, path, str(number), text_field, id_field, f"line {number}")


def record_document(obj: object, path: str, fallback_id: str | None, text_field: str = "text",
                    id_field: str = "id", where: str = "record") -> InputDocument:
    """The document in one parsed JSON record: its ``text_field`` and
    ``id_field`` (``fallback_id`` when the record has no usable id)."""
    if not isinstance(obj, dict):
        return InputDocument(path, fallback_id, None, f"{where}: not a JSON object")
    ident = obj.get(id_field)
    if not isinstance(ident, (str, int)) or isinstance(ident, bool):
        ident = fallback_id
    text = obj.get(text_field)
    if not isinstance(text, str):
        return InputDocument(path, None if ident is None else str(ident), None,
                             f"{where}: field '{text_field}' missing or not a string")
    return InputDocument(path, None if ident is None else str(ident), text)


def iter_documents(
    paths: Iterable[str], text_field: str = "text", id_field: str = "id", *,
    exclude: tuple[str, ...] = (), input_format: str | None = None,
    stdin_name: str | None = None,
) -> Iterator[InputDocument]:
    """Every document of the given inputs, in order (see the module docstring)."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            files = find_files(path, exclude=exclude)
            if not files:
                endings = ", ".join(s for suffixes in KIND_SUFFIXES.values() for s in suffixes)
                yield InputDocument(path, None, None, f"no input files ({endings}) in this "
                                                      "directory")
            for file in files:
                yield from _documents(str(file), input_kind(str(file)), str(file),
                                      text_field, id_field)
            continue
        shown = (stdin_name or "<stdin>") if path == "-" else path
        if input_format is not None:
            kind = format_kind(input_format)
        elif path == "-":
            kind = input_kind(stdin_name) if stdin_name else "text"
        else:
            kind = input_kind(path)
        yield from _documents(path, kind, shown, text_field, id_field)


def _documents(path: str, kind: str, shown: str, text_field: str,
               id_field: str) -> Iterator[InputDocument]:
    if kind == "jsonl":
        yield from _jsonl_documents(path, text_field, id_field, shown)
    else:
        yield _file_document(path, kind, shown)
