"""Text that is not prose: code, tables, markup and lists of numbers.

Scraped text and files named ``.txt`` carry all of these; scored as prose
they would get meaningless scores (code reads as mangled English). The
segmenter asks two questions:

- :func:`line_reason`, for one line: a table row (cells split by ``|`` or
  tabs), a line that is mostly HTML/XML tags, a code fence (```` ``` ````);
- :func:`paragraph_reason`, for a paragraph of one or more lines: code (at
  least half of its lines look like code), HTML/XML markup (wrapped in tags,
  five or more tags, or a fifth of its characters inside tags; a word in
  ``<i>`` inside prose stays prose), numbers (more numbers than words: a
  list of figures, a score line).

Each answer is a skip reason code (see :data:`detector.reason_codes.SKIP_REASONS`)
or None for prose. The tests are deliberately strict about what counts as
code or markup: prose that mentions ``<br>`` once, or ends a line with a
semicolon, stays prose.
"""

from __future__ import annotations

import re

from detector.io.markup import opening_fence

__all__ = ["is_fence", "line_reason", "paragraph_reason"]


_TAG = re.compile(
    r"<(?:/?[A-Za-z][\w:.-]*(?:\s+[^<>]*)?/?|!--.*?--|![A-Za-z][^<>]*|\?[A-Za-z][^<>]*\?)>"
)


_ENDS_WITH_TAG = re.compile(f"(?:{_TAG.pattern})$")


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


_MAX_CELL_WORDS = 12


# Statements, declarations and operators that prose does not use. Words that
# prose also starts a wrapped line with ("return to the table", "public
# health", "import tariffs") count only on a short line or one that ends
# like code.
_CODE_START = re.compile(
    r"^\s*(?:def\s+\w+\s*\(|class\s+\w+\s*[(:{]|from\s+[\w.]+\s+import\s"
    r"|if\s*\(|for\s*\(|while\s*\(|}\s*else\b|function\b\s*\w*\s*\("
    r"|(?:var|let|const)\s+\w+\s*=|#include\b|#!/|package\s+[\w.]+;|using\s+[\w.]+;"
    r"|@\w+(?:\(|$)|\$\s+\S"
    r"|(?:return|import|public|private|protected|static)\b(?=\S*(?:\s+\S+){0,3}\s*$|.*[;{:]\s*$))"
)


# A capitalised SQL statement is code on a line of its own.
_SQL = re.compile(r"^\s*(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+TABLE)\s"
                  r".*\b(?:FROM|INTO|SET|TABLE|WHERE|VALUES)\b")


_CODE_END = re.compile(r"(?:[{}]|[(){}\[\]=].*;|\)\s*:|^\s*[}\])]+[;,]?)\s*$")


# Operators; an index is a name in brackets ("values[i]"), not a citation ("city[1]").
_CODE_OPERATOR = re.compile(
    r"\{[^{}]*;[^{}]*\}|==|!=|=>|->|\+=|-=|&&|\|\||::|\w\(\)|\w\[[A-Za-z_][\w.]*\]"
    r"|^\s*[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*=\s*\S"
)


_WORD = re.compile(r"[^\W\d_]{2,}")


_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*%?")


def _tag_share(text: str) -> tuple[int, float]:
    tags = _TAG.findall(text)
    return len(tags), sum(len(t) for t in tags) / max(1, len(text.strip()))


def _is_table_row(line: str) -> bool:
    """A row of cells split by bars or tabs ("| a | b |", "a | b | c",
    "a<TAB>b<TAB>c"), each cell short, or a Markdown table rule ("|---|:-:|").
    A scraped page title "Headline | Section | Site" followed by running text
    stays prose (two bars and no leading one, or a long cell)."""
    if _TABLE_RULE.match(line):
        return True
    for bar in ("|", "\t"):
        stripped = line.strip()
        cells = stripped.strip(bar).split(bar)
        enough = len(cells) >= 3 or (bar == "|" and stripped.startswith("|") and len(cells) >= 2)
        if enough and max(len(c.split()) for c in cells) <= _MAX_CELL_WORDS:
            return True
    return False


def line_reason(line: str) -> str | None:
    """``table``, ``markup`` or ``code`` when one line on its own is clearly
    not prose (a table row, a line mostly of tags, a code fence), else None."""
    if is_fence(line):
        return "code"
    if _is_table_row(line):
        return "table"
    count, share = _tag_share(line)
    if count and share >= 0.5:
        return "markup"
    return None


def _is_code(lines: list[str]) -> bool:
    """At least half of the lines show a sign of code (a statement, an
    operator, a code-like line ending) and one a strong sign (not just the
    ending); a single line needs two signs, as prose may end a line with a
    semicolon or a brace of its own."""
    if _SQL.match(lines[0]):
        return True
    signs = [(bool(_CODE_START.match(ln)), bool(_CODE_OPERATOR.search(ln)),
              bool(_CODE_END.search(ln))) for ln in lines]
    if not any(start or operator for start, operator, _ in signs):
        return False
    if len(lines) == 1:
        return sum(signs[0]) >= 2
    return sum(any(s) for s in signs) * 2 >= len(lines)


def is_fence(line: str) -> bool:
    """True for a line that opens a fenced code block in plain text (```` ``` ````,
    or ``~~~`` with a language name: a line of tildes alone is a separator)."""
    return opening_fence(line, bare_tildes=False) is not None


def paragraph_reason(text: str) -> str | None:
    """``code``, ``markup`` or ``numbers`` when a paragraph is not prose, else None."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if lines and _is_code(lines):
        return "code"
    count, share = _tag_share(text)
    stripped = text.strip()
    if count and (share >= 0.2 or count >= 5
                  or (_TAG.match(stripped) and _ENDS_WITH_TAG.search(stripped))):
        return "markup"
    if len(_NUMBER.findall(text)) > len(_WORD.findall(text)):
        return "numbers"
    return None
