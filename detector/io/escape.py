"""Escaping strings that come from data (ids, file names, field values) for
the format they are written into. Every renderer and every message goes
through here, so a name can neither forge a line, nor send escape codes to a
terminal, nor stop a run because it cannot be encoded.

- Text (the linter lines, ``match`` lines, metric tables, stderr messages):
  :func:`printable` shows control characters as ``\\n``, ``\\t``, ``\\x1b``,
  line and paragraph separators and direction overrides as ``\\u2028``,
  ``\\u202e``, and lone surrogates (a JSON ``"\\ud800"``, or a file name's byte
  that is not UTF-8, which Python reads as ``\\udcff``) as ``\\udcff``.
- JSON (json, jsonl, SARIF): :func:`json_dumps` writes lone surrogates as
  JSON ``\\udcff`` escapes, so a non-UTF-8 file name keeps its bytes
  (``os.fsencode(json.loads(...))`` gives them back); everything else is
  written as UTF-8, control characters escaped by JSON itself.
- HTML: :func:`html_text` escapes markup and writes lone surrogates as
  U+FFFD (HTML has no way to carry them).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = ["html_text", "json_dumps", "printable", "without_surrogates"]


_SURROGATE = re.compile("[\ud800-\udfff]")


# C0 and C1 controls, DEL, the line/paragraph separators that some terminals
# and editors break lines at, and the bidirectional overrides and isolates
# that reorder what a reader sees.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_one(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to print as one line on a terminal: control characters,
    separators, direction overrides and lone surrogates as backslash escapes."""
    return _UNPRINTABLE.sub(_escape_one, text)


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def json_dumps(value: Any, indent: int | None = None) -> str:
    """``json.dumps`` for output: UTF-8 text, lone surrogates as ``\\uXXXX``
    escapes (they only occur inside strings, where JSON allows them)."""
    dumped = json.dumps(value, ensure_ascii=False, indent=indent)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def html_text(text: str, quote: bool = True) -> str:
    """``text`` for an HTML page: markup escaped, lone surrogates as U+FFFD."""
    return html.escape(without_surrogates(text), quote=quote)
