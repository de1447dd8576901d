"""A self-contained HTML report: one page, no scripts, no external resources.

Each document shows its score and verdict on top; each paragraph is shaded by
its score, flagged paragraphs are outlined, the text that a reason points at
is underlined (its reasons appear on hover), and the reasons are listed beside
the paragraph. In reference mode the paragraph's source and the word-level
changes are shown too. All text is escaped: markup in a document is shown as
text, never run.
"""

from __future__ import annotations

from typing import Iterable, TextIO

from detector._version import __version__
from detector.io.escape import html_text
from detector.reason_codes import describe_skip
from detector.results import DocumentResult, ParagraphResult, Reason

__all__ = ["render_html"]


CAVEAT = (
    "Scores are probabilistic evidence from a statistical model, not proof: a "
    "flagged paragraph looks like spun or machine-translated text, and human "
    "text is sometimes flagged. Read the reasons and the text before acting."
)


_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
.caveat { background: #fff8e1; border: 1px solid #e0c060; padding: .6em 1em; }
.doc { margin: 2em 0; }
.doc h2 { font-size: 1.1em; margin-bottom: .2em; word-break: break-all; }
.verdict { margin: .2em 0 1em; }
.verdict .label-mangled { color: #b00020; font-weight: bold; }
.verdict .label-clean { color: #1b5e20; font-weight: bold; }
.row { display: grid; grid-template-columns: 4em 1fr 22em; gap: .8em; margin: .4em 0; }
.line { color: #777; text-align: right; font-size: .85em; padding-top: .5em; }
.para { padding: .5em .7em; border: 2px solid transparent; border-radius: 4px; }
.para.flagged { border-color: #b00020; }
.para.skipped { color: #888; font-style: italic; }
.para mark { background: none; text-decoration: underline wavy #b00020; cursor: help; }
.reasons { font-size: .85em; margin: 0; padding-left: 1.2em; }
.reasons code { color: #555; }
.score { font-weight: bold; }
details { font-size: .85em; margin-top: .4em; }
del { background: #ffdede; } ins { background: #dfffdf; text-decoration: none; }
"""


def _shade(score: float | None) -> str:
    if score is None:
        return "transparent"
    return f"rgba(220, 40, 40, {0.05 + 0.35 * score:.3f})"


def _marked_text(text: str, offset: int, reasons: Iterable[Reason]) -> str:
    """The paragraph's text, escaped, with every reason span underlined and
    the reasons that cover a piece of text in its hover title."""
    spans = [(r.start - offset, r.end - offset, r.message) for r in reasons
             if r.start is not None and r.end is not None
             and 0 <= r.start - offset < r.end - offset <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = html_text(text[a:b])
        covering = [m for s, e, m in spans if s <= a and b <= e]
        if covering:
            title = html_text("; ".join(dict.fromkeys(covering)), quote=True)
            piece = f'<mark title="{title}">{piece}</mark>'
        out.append(piece)
    return "".join(out)


def _alignment_html(paragraph: ParagraphResult) -> str:
    alignment = paragraph.alignment
    if alignment is None:
        return ""
    sources = ", ".join(f"{html_text(s.reference)} paragraph {s.paragraph} (line {s.line})"
                        for s in alignment.sources)
    diff = []
    for op in alignment.ops:
        if op.op == "equal":
            diff.append(html_text(op.text))
        else:
            if op.source_text:
                diff.append(f"<del>{html_text(op.source_text)}</del>")
            if op.text:
                diff.append(f"<ins>{html_text(op.text)}</ins>")
    return (f"<details><summary>{html_text(alignment.verdict)}: source {sources}; "
            f"{alignment.kept:.0%} of words kept</summary><p>{' '.join(diff)}</p></details>")


def _paragraph_html(text: str, paragraph: ParagraphResult) -> str:
    body = text[paragraph.start:paragraph.end]
    if paragraph.score is None:
        return (f'<div class="row"><div class="line">{paragraph.line}</div>'
                f'<div class="para skipped">{html_text(body)}</div>'
                f'<div class="reasons">skipped: {html_text(str(paragraph.skipped))} '
                f'({html_text(describe_skip(paragraph.skipped or ""))})</div></div>')
    classes = "para flagged" if paragraph.flagged else "para"
    reasons = "".join(f"<li><code>{html_text(r.code)}</code> {html_text(r.message)}</li>"
                      for r in paragraph.reasons)
    label = "mangled" if paragraph.flagged else "clean"
    return (
        f'<div class="row"><div class="line">{paragraph.line}</div>'
        f'<div class="{classes}" style="background: {_shade(paragraph.score)}" '
        f'data-score="{paragraph.score:.4f}" data-flagged="{str(paragraph.flagged).lower()}">'
        f"{_marked_text(body, paragraph.start, paragraph.reasons)}{_alignment_html(paragraph)}</div>"
        f'<div><span class="score">{paragraph.score:.2f} {label}</span>'
        f'<ul class="reasons">{reasons}</ul></div></div>'
    )


def _document_html(path: str, text: str, result: DocumentResult) -> str:
    score = "-" if result.score is None else f"{result.score:.2f}"
    verdicts = "".join(f"<div>{html_text(r.message)}</div>" for r in result.reasons)
    paragraphs = "".join(_paragraph_html(text, p) for p in result.paragraphs)
    return (
        f'<section class="doc"><h2>{html_text(path)}</h2>'
        f'<div class="verdict">document score <b>{score}</b>: '
        f'<span class="label-{html_text(result.label)}">{html_text(result.label)}</span> '
        f"(threshold {result.threshold:.2f}){verdicts}</div>{paragraphs}</section>"
    )


def render_html(items: Iterable[tuple[str, str, DocumentResult]], out: TextIO) -> None:
    """One HTML page for the scored files ``(path, text, result)``."""
    documents = "".join(_document_html(path, text, result) for path, text, result in items)
    out.write(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>detector report</title><style>{_STYLE}</style></head><body>"
        f"<h1>detector report</h1><p class=\"caveat\">{html_text(CAVEAT)}</p>"
        f"{documents}<footer><small>detector {html_text(__version__)}</small></footer>"
        "</body></html>\n"
    )
