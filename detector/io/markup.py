"""Markup files as text: Markdown blanked out character for character, HTML's
main text, and the one rule for a fenced code block that Markdown input and
plain-text segmentation share."""

from __future__ import annotations

import re

__all__ = ["closes_fence", "html_to_text", "markdown_to_text", "opening_fence"]


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([^\n]*?)[ \t]*$")


def opening_fence(line: str, *, bare_tildes: bool) -> str | None:
    """The run of backticks or tildes when ``line`` opens a fenced code block,
    else None. A run of tildes with nothing after it opens one only where
    ``bare_tildes`` (Markdown, as CommonMark has it); in plain text such a line
    is a separator."""
    match = _FENCE.match(line)
    if match is None:
        return None
    run, info = match.groups()
    if run[0] == "`" and "`" in info:
        return None  # inline code at the start of a line, not a fence
    if run[0] == "~" and not info and not bare_tildes:
        return None
    return run


def closes_fence(line: str, opening: str) -> bool:
    """True when ``line`` closes the block that ``opening`` (a run from
    :func:`opening_fence`) opened: the same character, at least as many, and
    nothing after them."""
    match = _FENCE.match(line)
    return (match is not None and not match.group(2)
            and match.group(1)[0] == opening[0] and len(match.group(1)) >= len(opening))


_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s)")


_LIST = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)])\s)")


_QUOTE = re.compile(r"^(\s*>+\s?)")


_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\n]*)\)")


_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def markdown_to_text(markdown: str) -> str:
    """Markdown with its markup replaced by spaces, one character for one, so
    line numbers and character offsets still point into the original: heading
    marks, list bullets, quote marks, emphasis, link targets and images; code
    blocks and horizontal rules become blank lines (not prose)."""
    out = []
    opening: str | None = None
    for line in markdown.split("\n"):
        if opening is not None:
            if closes_fence(line, opening):
                opening = None
            out.append(" " * len(line))
            continue
        opening = opening_fence(line, bare_tildes=True)
        if opening is not None or _RULE.match(line):
            out.append(" " * len(line))
            continue
        line = _HEADING.sub(_blank, line)
        line = _QUOTE.sub(_blank, line)
        line = _LIST.sub(_blank, line)
        line = _LINK.sub(lambda m: (" " * (2 if m.group(0).startswith("!") else 1))
                         + m.group(1) + " " * (len(m.group(0)) - len(m.group(1))
                                               - (2 if m.group(0).startswith("!") else 1)), line)
        line = _EMPHASIS.sub(lambda m: " " * len(m.group(1)) + m.group(2)
                             + " " * len(m.group(1)), line)
        out.append(line)
    return "\n".join(out)


def html_to_text(html: str) -> str:
    """The main text of an HTML page (trafilatura), one block per paragraph;
    raises ValueError when the page has no main text."""
    import trafilatura

    extracted = trafilatura.extract(html, include_comments=False, include_tables=False,
                                    favor_precision=True)
    if not extracted or not extracted.strip():
        raise ValueError("no main text found in the HTML")
    return "\n\n".join(line for line in extracted.split("\n") if line.strip())
