"""SARIF 2.1.0 output, so code-review and CI tools can show the flags.

One result per flagged paragraph: ``ruleId`` is its most specific reason's
code (the first that is not document context; the rules are the reason codes
of :mod:`detector.reason_codes`), ``level`` is
``warning``, the region is the paragraph's lines and characters, and the
message holds the score and the reasons. Every reason (code, message, span)
and the score are kept under ``properties``.
"""

from __future__ import annotations

from typing import Any, Iterable, TextIO

from detector._version import __version__
from detector.io.escape import json_dumps
from detector.reason_codes import describe
from detector.results import DocumentResult, ParagraphResult

__all__ = ["SARIF_SCHEMA", "render_sarif", "sarif_log"]


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


_FALLBACK_RULE = "model.score"


def _rule(paragraph: ParagraphResult) -> str:
    """The paragraph's most specific reason code: the first one that is not
    document context (which says why the threshold was reached, not what was
    found)."""
    codes = [r.code for r in paragraph.reasons]
    specific = [c for c in codes if not c.startswith("ctx.")]
    return (specific or codes or [_FALLBACK_RULE])[0]


def _result(path: str, paragraph: ParagraphResult, rule_index: dict[str, int]) -> dict[str, Any]:
    rule = _rule(paragraph)
    reasons = "; ".join(r.message for r in paragraph.reasons)
    text = f"{paragraph.score:.2f} mangled" + (f": {reasons}" if reasons else "")
    return {
        "ruleId": rule,
        "ruleIndex": rule_index[rule],
        "level": "warning",
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": path},
                "region": {
                    "startLine": paragraph.line,
                    "endLine": paragraph.end_line,
                    "charOffset": paragraph.start,
                    "charLength": paragraph.end - paragraph.start,
                },
            },
        }],
        "properties": {
            "score": paragraph.score,
            "paragraph": paragraph.index,
            "reasons": [r.to_dict() for r in paragraph.reasons],
        },
    }


def sarif_log(items: Iterable[tuple[str, DocumentResult]]) -> dict[str, Any]:
    """The SARIF log (a JSON-ready dict) for scored files ``(path, result)``."""
    items = list(items)
    flagged = [(path, p) for path, result in items for p in result.flagged_paragraphs]
    codes = sorted({_rule(p) for _, p in flagged})
    rule_index = {code: k for k, code in enumerate(codes)}
    rules = [{
        "id": code,
        "shortDescription": {"text": describe(code) if code != _FALLBACK_RULE
                             else "the model's score reached the threshold"},
    } for code in codes]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "detector", "version": __version__,
                                "rules": rules}},
            "artifacts": [{"location": {"uri": path}} for path, _ in items],
            "results": [_result(path, p, rule_index) for path, p in flagged],
            "properties": {
                "documents": [{"uri": path, "score": r.score, "label": r.label,
                               "threshold": r.threshold} for path, r in items],
            },
        }],
    }


def render_sarif(items: Iterable[tuple[str, DocumentResult]], out: TextIO) -> None:
    """Write the SARIF log of the scored files."""
    out.write(json_dumps(sarif_log(items), indent=2) + "\n")
