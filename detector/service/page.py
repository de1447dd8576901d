"""The check-this-text page: a plain HTML form (no script) whose POST answers
with the report ``detector flag --format html`` writes, and the page an
error is shown on. Nothing a client sent is put in a page unescaped."""

from __future__ import annotations

from detector._version import __version__
from detector.io.escape import html_text
from detector.report.html import CAVEAT

__all__ = ["SECURITY_HEADERS", "error_page", "form_page"]


# No script, frame, plugin or outside resource may load on these pages;
# the report's inline style is all they use.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222;
       padding: 0 1em; }
label { display: block; font-weight: bold; margin: 1em 0 .3em; }
textarea { width: 100%; box-sizing: border-box; font: 14px/1.4 ui-monospace, monospace; }
button { margin-top: 1em; font-size: 1em; padding: .4em 1.5em; }
.caveat { background: #fff8e1; border: 1px solid #e0c060; padding: .6em 1em; }
.error { background: #fdecea; border: 1px solid #b00020; padding: .6em 1em; }
small { color: #666; }
"""


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html_text(title)}</title><style>{_STYLE}</style></head><body>{body}"
            f"<footer><small>detector {html_text(__version__)}</small></footer></body></html>\n")


def form_page(max_text_chars: int) -> str:
    """The form: the text to check and, optionally, its suspected original."""
    return _page("detector: check a text", (
        "<h1>Check a text</h1>"
        "<p>Paste an English text to see which paragraphs look spun (automatically "
        "paraphrased) or machine-translated, and why. Add the suspected original, when you "
        "have it, to see where each paragraph comes from and what was changed.</p>"
        f'<p class="caveat">{html_text(CAVEAT)}</p>'
        '<form method="post" action="/" accept-charset="utf-8">'
        '<label for="text">Text to check</label>'
        f'<textarea id="text" name="text" rows="18" maxlength="{max_text_chars}" required>'
        "</textarea>"
        '<label for="original">Suspected original <small>(optional)</small></label>'
        f'<textarea id="original" name="original" rows="8" maxlength="{max_text_chars}">'
        "</textarea>"
        '<button type="submit" id="check">Check</button></form>'
        f"<p><small>At most {max_text_chars:,} characters a text. The same checks are an "
        "HTTP API: <code>POST /v1/score</code>.</small></p>"
    ))


def error_page(status: int, message: str) -> str:
    """A page saying why the form could not be checked, with a way back."""
    return _page(f"detector: error {status}", (
        f'<h1>Not checked</h1><p class="error">{html_text(message)} (HTTP {status})</p>'
        '<p><a href="/">Back to the form</a></p>'
    ))
