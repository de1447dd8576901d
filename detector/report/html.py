"""A self-contained HTML report: one page, no scripts, no external resources.

A summary table on top lists every document (a file, or a JSON Lines record)
with its verdict, score and flagged paragraphs, and links to its section; a
legend says what the marks mean. Only flagged paragraphs are marked: outlined,
shaded in one of :data:`STEPS` steps of one hue by how far past the threshold
their score is (:func:`shade_step`), the text a reason points at underlined
(its reasons on hover), and the reasons listed beside it. Unflagged
paragraphs are plain text; with ``show_all`` their score and any reasons are shown in grey.
In reference mode a paragraph's source and word-level changes are shown too.
All text is escaped: markup in a document is shown as text, never run.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence, TextIO

from detector._version import __version__
from detector.io.escape import html_text
from detector.reason_codes import describe_skip
from detector.results import DocumentResult, ParagraphResult, Reason

__all__ = ["CAVEAT", "STEPS", "render_html", "shade_step", "step_bounds"]


CAVEAT = (
    "Scores are probabilistic evidence from a statistical model, not proof: a "
    "flagged paragraph looks like spun or machine-translated text, and human "
    "text is sometimes flagged. Read the reasons and the text before acting."
)

# Shading steps of a flagged paragraph. Step k starts k - 1 log-odds units
# past the threshold: scores crowd near 1, where equal differences in
# probability are unequal differences in evidence.
STEPS = 4
_SHADES = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a")  # one red, light to dark
_WORDS = ("just past the threshold", "past the threshold", "well past the threshold",
          "far past the threshold")
_EDGE = 1e-6


_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222;
       padding: 0 1em; }
a { color: #0b57d0; }
.caveat { background: #fff8e1; border: 1px solid #e0c060; padding: .6em 1em; }
.wide { overflow-x: auto; }
table.summary { border-collapse: collapse; margin: 1em 0; }
.summary th, .summary td { text-align: left; padding: .3em .8em; border-bottom: 1px solid #ddd;
                           vertical-align: top; }
.summary td.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary td.file { word-break: break-all; }
.label-mangled { color: #b00020; font-weight: bold; }
.label-clean { color: #1b5e20; font-weight: bold; }
.label-unscored { color: #777; font-weight: bold; }
.legend { font-size: .9em; margin: 1em 0 2em; padding: .5em 1em; border: 1px solid #ddd; }
.legend ul { list-style: none; padding: 0; margin: .3em 0; }
.legend li { margin: .2em 0; }
.swatch { display: inline-block; width: 2.5em; height: 1.1em; vertical-align: middle;
          border: 2px solid #b00020; border-radius: 3px; margin-right: .5em; }
.doc { margin: 2.5em 0; border-top: 3px solid #ccc; padding-top: .5em; }
.doc h2 { font-size: 1.1em; margin-bottom: .2em; word-break: break-all; }
.verdict { margin: .2em 0 1em; }
.top { font-size: .85em; }
.row { display: grid; grid-template-columns: 4em minmax(0, 1fr) 22em; gap: .8em; margin: .4em 0;
       align-items: start; }
.line { color: #777; text-align: right; font-size: .85em; padding-top: .5em; }
.para { padding: .5em .7em; border: 2px solid transparent; border-radius: 4px;
        overflow-wrap: anywhere; }
.para.flagged { border-color: #b00020; }
.para.skipped { color: #888; font-style: italic; }
.para mark { background: none; text-decoration: underline wavy #b00020; cursor: help; }
""" + "".join(f".shade-{k + 1} {{ background: {c}; }}\n" for k, c in enumerate(_SHADES)) + """
.side { font-size: .85em; }
.side.quiet { color: #999; }
.reasons { margin: 0; padding-left: 1.2em; }
.reasons code { color: #555; }
.score { font-weight: bold; }
details { font-size: .85em; margin-top: .4em; }
del { background: #ffdede; } ins { background: #dfffdf; text-decoration: none; }
@media (max-width: 50em) {
  body { margin: 1em auto; }
  .row { grid-template-columns: minmax(0, 1fr); gap: .2em; margin: .8em 0; }
  .summary th, .summary td { padding: .3em .4em; }
  .summary .opt { display: none; }
  .line { text-align: left; padding-top: 0; }
}
"""


def _logit(p: float) -> float:
    p = min(max(p, _EDGE), 1 - _EDGE)
    return math.log(p / (1 - p))


def shade_step(score: float, threshold: float) -> int:
    """The shading step (1 to :data:`STEPS`) of a flagged paragraph's score:
    1 + how many whole log-odds units it is past the threshold, at most STEPS."""
    return max(1, min(STEPS, 1 + int(_logit(score) - _logit(threshold))))


def step_bounds(threshold: float) -> list[tuple[float, float]]:
    """The score range of each shading step for ``threshold``."""
    edges = [threshold] + [1 / (1 + math.exp(-(_logit(threshold) + k)))
                           for k in range(1, STEPS)] + [1.0]
    return list(zip(edges, edges[1:]))


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


def _reasons_html(paragraph: ParagraphResult) -> str:
    """A paragraph's reasons as list items: the code, then the message."""
    return "".join(f"<li><code>{html_text(r.code)}</code> {html_text(r.message)}</li>"
                   for r in paragraph.reasons)


def _paragraph_html(text: str, paragraph: ParagraphResult, threshold: float,
                    show_all: bool) -> str:
    body = text[paragraph.start:paragraph.end]
    line = f'<div class="row"><div class="line">{paragraph.line}</div>'
    if paragraph.score is None:
        return (f'{line}<div class="para skipped">{html_text(body)}</div>'
                f'<div class="side quiet">skipped: {html_text(str(paragraph.skipped))} '
                f'({html_text(describe_skip(paragraph.skipped or ""))})</div></div>')
    data = (f'data-score="{paragraph.score:.4f}" '
            f'data-flagged="{str(paragraph.flagged).lower()}"')
    if not paragraph.flagged:
        # Unmarked text; with show_all, the score and any reasons in grey.
        quiet = ""
        if show_all:
            quiet = f"{paragraph.score:.2f}" + (f'<ul class="reasons">{_reasons_html(paragraph)}</ul>'
                                               if paragraph.reasons else "")
        return (f'{line}<div class="para" {data}>{html_text(body)}'
                f'{_alignment_html(paragraph)}</div><div class="side quiet">{quiet}</div></div>')
    step = shade_step(paragraph.score, threshold)
    return (
        f'{line}<div class="para flagged shade-{step}" {data} data-step="{step}">'
        f"{_marked_text(body, paragraph.start, paragraph.reasons)}{_alignment_html(paragraph)}"
        f'</div><div class="side"><span class="score">{paragraph.score:.2f} mangled</span> '
        f'<small>({_WORDS[step - 1]})</small><ul class="reasons">{_reasons_html(paragraph)}</ul>'
        "</div></div>"
    )


def _score(result: DocumentResult) -> str:
    return "-" if result.score is None else f"{result.score:.2f}"


def _document_html(number: int, path: str, text: str, result: DocumentResult,
                   show_all: bool) -> str:
    verdicts = "".join(f"<div>{html_text(r.message)}</div>" for r in result.reasons)
    paragraphs = "".join(_paragraph_html(text, p, result.threshold, show_all)
                         for p in result.paragraphs)
    return (
        f'<section class="doc" id="doc-{number}" data-threshold="{result.threshold:.6f}">'
        f"<h2>{html_text(path)}</h2>"
        f'<div class="verdict">document score <b>{_score(result)}</b>: '
        f'<span class="label-{html_text(result.label)}">{html_text(result.label)}</span> '
        f"(threshold {result.threshold:.2f}){verdicts}"
        f'<div class="top"><a href="#summary">back to the summary</a></div></div>'
        f"{paragraphs}</section>"
    )


def _summary_html(items: Sequence[tuple[str, str, DocumentResult]]) -> str:
    rows = []
    references = any(r.reference_verdict for _, _, r in items)
    for number, (path, _, result) in enumerate(items, 1):
        skipped = result.n_paragraphs - result.n_scored
        reference = result.reference_verdict
        rows.append(
            f'<tr><td class="file"><a href="#doc-{number}">{html_text(path)}</a></td>'
            f'<td><span class="label-{html_text(result.label)}">{html_text(result.label)}'
            f'</span></td><td class="num">{_score(result)}</td>'
            f'<td class="num">{result.n_flagged} of {result.n_scored}</td>'
            f'<td class="num opt">{skipped}</td>'
            + (f'<td class="opt">{html_text(reference.message) if reference else ""}</td>'
               if references else "") + "</tr>")
    flagged = sum(r.label == "mangled" for _, _, r in items)
    return (
        f'<h2 id="summary">Summary: {flagged} of {len(items)} '
        f'{"document" if len(items) == 1 else "documents"} mangled</h2>'
        '<div class="wide"><table class="summary"><thead><tr><th>document</th><th>verdict</th>'
        '<th>score</th><th>paragraphs flagged</th><th class="opt">skipped</th>'
        + ('<th class="opt">reference</th>' if references else "")
        + f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _legend_html(thresholds: Sequence[float]) -> str:
    steps = []
    for k in range(STEPS):
        ranges = ", ".join(f"{bounds[k][0]:.2f}-{bounds[k][1]:.2f}"
                           for bounds in (step_bounds(t) for t in thresholds))
        steps.append(f'<li><span class="swatch shade-{k + 1}"></span>flagged, '
                     f"{_WORDS[k]}: score {ranges}</li>")
    at = ", ".join(f"{t:.2f}" for t in thresholds)
    return (
        '<div class="legend"><b>How to read this report.</b> A paragraph is flagged when its '
        f"score (the probability that it was spun or machine-translated) reaches the threshold "
        f"({at}). Flagged paragraphs are outlined and shaded; the darker, the further past the "
        f"threshold:<ul>{''.join(steps)}"
        '<li><span class="swatch" style="border-color: transparent"></span>not flagged: plain '
        'text, no marks</li></ul><mark style="background: none; text-decoration: underline wavy '
        '#b00020">wavy underline</mark>: the words a reason points at (hover to read it). '
        "<i>Grey italics</i>: not prose, not scored (the reason is beside it).</div>"
    )


def render_html(items: Iterable[tuple[str, str, DocumentResult]], out: TextIO,
                show_all: bool = False) -> None:
    """One HTML page for the scored files ``(path, text, result)``; with
    ``show_all`` the score of every unflagged paragraph is shown, in grey."""
    items = list(items)
    thresholds = sorted({r.threshold for _, _, r in items}) or [0.5]
    documents = "".join(_document_html(n, path, text, result, show_all)
                        for n, (path, text, result) in enumerate(items, 1))
    out.write(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>detector report</title><style>{_STYLE}</style></head><body>"
        f"<h1>detector report</h1><p class=\"caveat\">{html_text(CAVEAT)}</p>"
        f"{_summary_html(items)}{_legend_html(thresholds)}"
        f"{documents}<footer><small>detector {html_text(__version__)}</small></footer>"
        "</body></html>\n"
    )
