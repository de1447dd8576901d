"""Every reason code the detector emits, with a one-line description.

Reasons are data (:class:`~detector.results.Reason`); their codes are stable,
name-spaced by where the evidence comes from, and documented here once for
every renderer (the SARIF output lists them as rules).
"""

from __future__ import annotations

__all__ = ["REASON_CODES", "SKIP_REASONS", "describe", "describe_skip"]


REASON_CODES: dict[str, str] = {
    # artefacts inside the paragraph (with character spans)
    "art.midsentence_capital": "a common word capitalised in the middle of a sentence",
    "art.mangled_date": "a date or number mangled ('5. Martha')",
    "art.duplicated_phrase": "a phrase repeated back to back ('in February, in February')",
    "art.lowercased_proper_noun": "a proper noun or adjective written in lower case",
    "art.tokenizer_leftover": "spacing left by a tokenizer (' , ', ' .')",
    "art.unbalanced_quotes": "quotation marks that do not pair up",
    # literal machine-translation round trips (with character spans)
    "rt.inverted_compound": "a compound turned inside out, as a translation does ('park of dog')",
    "rt.literal_title": "a title translated word for word ('Gentleman Blake' for Mr Blake)",
    "rt.pronoun_mismatch": "a pronoun dropped or wrong ('...,\" said.'; 'his or his')",
    "rt.article_before_name": "'the' before a country that English names bare ('the France')",
    "rt.double_preposition": "two prepositions in a row English does not write ('looked for to')",
    # n-gram language model
    "lm.unlikely_in_context": "a word far less likely in its context than on its own",
    # the whole document
    "doc.name_variant": "a name spelled two ways in the document ('Kyiv' / 'Kiev')",
    "doc.flagged_share": "how many prose paragraphs of the document were flagged",
    "doc.no_prose": "the document has no prose paragraph to score",
    # context and model
    "ctx.document": "flagged because the rest of the document looks mangled",
    "ctx.reference": "copied unchanged, inside a document spun from the same reference",
    "model.style": "style measures far from human text, no specific artefact found",
    "model.roundtrip": "the round-trip detector, trained on real machine-translation round trips, flags it",
    "model.spin": "the spin detector, trained on native English against synonym-spun copies, flags it",
    # reference mode
    "ref.source": "the paragraph's source in the reference, and how much was changed",
    "ref.copy": "copied verbatim from the reference (a paragraph, or the whole document)",
    "ref.name_changed": "a name of the source respelled ('Lecornu' -> 'Lecorno')",
    "ref.number_changed": "a number of the source changed",
    "ref.date_changed": "a month name of the source lost ('March' -> 'Martha')",
    "ref.case_changed": "capitalisation changed from the source ('senior' -> 'Senior')",
    "ref.word_substituted": "a word of the source replaced by another",
    "ref.no_source": "no source paragraph found in the reference",
    "ref.spun_copy": "the document is a spun copy of a reference",
    "ref.edited_copy": "the document is a close copy of a reference, not spun",
    "ref.partial_match": "fewer than half of the document's paragraphs match a reference",
    "ref.no_match": "no paragraph of the document matches the reference",
}


# Why a paragraph was not scored (ParagraphResult.skipped). Every renderer
# shows the code with this message; nothing of the input is left out silently.
SKIP_REASONS: dict[str, str] = {
    "url": "a web address",
    "timestamp": "a date or time stamp",
    "separator": "a separator line",
    "too_short": "one or two words",
    "photo_credit": "a photo credit",
    "byline": "a byline",
    "not_english": "not English, not scored",
    "code": "source code",
    "table": "a table",
    "markup": "HTML or XML markup (name the file .html to score its text)",
    "numbers": "numbers, not prose",
}


def describe_skip(code: str) -> str:
    """What a skip reason code means (the code itself if it is unknown)."""
    return SKIP_REASONS.get(code, code)


def describe(code: str) -> str:
    """The description of a reason code (the code itself if it is unknown)."""
    return REASON_CODES.get(code, code)
