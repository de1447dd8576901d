"""Every reason code the detector emits, with a one-line description.

Reasons are data (:class:`~detector.results.Reason`); their codes are stable,
name-spaced by where the evidence comes from, and documented here once for
every renderer (the SARIF output lists them as rules).
"""

from __future__ import annotations

__all__ = ["EXPLANATIONS", "REASON_CODES", "SKIP_REASONS", "describe", "describe_skip", "explain"]


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
    "lm.unknown_word": "a lower-case word that is not English, often left untranslated",
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


# What ``detector explain CODE`` adds to the one-line description: why the
# evidence points at spinning or machine translation, and when it can mislead.
EXPLANATIONS: dict[str, str] = {
    "art.midsentence_capital":
        "Machine translation often capitalises a word it took for the start of a sentence or a "
        "name ('30 countries Arrival on Tuesday'). Headlines, titles and names written in "
        "capitals are left alone.",
    "art.mangled_date":
        "Dates and numbers come back from a translation round trip in foreign shapes: '5. "
        "Martha' for March 5, a day-month order, a decimal comma. A list item such as "
        "'Building 1.' can look the same.",
    "art.duplicated_phrase":
        "A phrase written twice back to back ('in February, in February') is a common fault of "
        "neural machine translation. Speech transcripts repeat words too ('the the').",
    "art.lowercased_proper_noun":
        "A country, nationality or other proper noun in lower case ('black sea', 'asian') is "
        "rare in edited English and common after a translation round trip.",
    "art.tokenizer_leftover":
        "Spaces before punctuation (' , ', ' .') are left by the tokenizers of translation "
        "engines and text-processing scripts; people rarely type them.",
    "art.unbalanced_quotes":
        "Quotation marks that open and never close, or close twice, are a sign of a sentence "
        "rebuilt by a machine. A quotation continued into the next paragraph, which leaves the "
        "first one open, is normal English and can trigger it.",
    "rt.inverted_compound":
        "Rule-based translation turns English compounds inside out ('park of dog' for 'dog "
        "park'); English word-pair counts say which order English uses.",
    "rt.literal_title":
        "A title translated word for word ('Gentleman Macron' for 'Mr Macron').",
    "rt.pronoun_mismatch":
        "Translation loses or confuses pronouns: a quote ending '..., said.' with no speaker, "
        "'his or his' for 'his or her'.",
    "rt.article_before_name":
        "Romance languages put an article before country names ('la France'); a round trip "
        "brings it back as 'the France'.",
    "rt.double_preposition":
        "Two prepositions in a row that English does not write ('looked for to').",
    "lm.unlikely_in_context":
        "An English word-sequence model finds the word far less likely after the word before "
        "it than on its own: a wrong-sense synonym ('army bosses', 'will rouse') or a broken "
        "phrase. It is named only when both words are common enough that English would show "
        "the pair if it were ordinary ('it levelled' is not named: 'levelled' is too rare); "
        "names and technical terms can still trigger it.",
    "lm.unknown_word":
        "A lower-case word that neither English word list knows (wordfreq's, symspellpy's): "
        "a machine-translation engine leaves words it cannot translate as they are, so a "
        "round trip through Esperanto can leave 'fajregaj'; two words run together "
        "('laokcidento') look the same. A misspelling or a rare technical term can trigger "
        "it too.",
    "doc.name_variant":
        "The same name spelled two ways in one document ('Kyiv' and 'Kiev', 'Lecornu' and "
        "'Lecorno') is what a round trip does to names; writers are usually consistent. Not "
        "claimed for two names side by side in one paragraph, two names English already has "
        "that differ in their consonants ('Latin' / 'Latif'), the names of two people ('Pancho "
        "Gonzales' / 'Fernando González') or a name only mentioned in quotation marks.",
    "doc.flagged_share":
        "How many of the document's prose paragraphs were flagged; the document's score is "
        "their length-weighted mean.",
    "doc.no_prose":
        "Every paragraph was skipped (addresses, time stamps, code, tables, very short lines), "
        "so there is nothing to score.",
    "ctx.document":
        "The paragraph alone is borderline, but most other paragraphs of the document look "
        "mangled, and a content farm republishes whole articles. Text of an unusual kind "
        "throughout (meeting transcripts, chat) can mislead it.",
    "ctx.reference":
        "In reference mode: the paragraph is unchanged from the reference, inside a document "
        "whose other paragraphs were spun from it.",
    "model.style":
        "The paragraph's mix of function words, punctuation, word choice and sentence shapes "
        "is far from human-written English and close to machine output, but no single "
        "artefact explains it. The two measures furthest from human text are named; one on "
        "how expected the words are shows the word pairs the language model expected least, "
        "one on word frequency the rarest words, and one on a function word how often it "
        "occurs, pointing at its first use when there is too much of it. Short or unusual "
        "human text (lists, transcripts, technical prose) can read this way too.",
    "model.roundtrip":
        "A detector trained on real machine-translation round trips (Apertium) of native "
        "English flags the paragraph.",
    "model.spin":
        "A detector trained on native English against synonym-spun copies of it flags the "
        "paragraph.",
    "ref.source":
        "In reference mode: the reference paragraph this one was made from, and how much of "
        "it was changed.",
    "ref.copy":
        "In reference mode: copied verbatim from the reference.",
    "ref.name_changed":
        "In reference mode: a name of the source was respelled, as a translation round trip "
        "respells names.",
    "ref.number_changed":
        "In reference mode: a number of the source was changed.",
    "ref.date_changed":
        "In reference mode: a month name of the source was lost ('March' became 'Martha').",
    "ref.case_changed":
        "In reference mode: a word's capitalisation differs from the source.",
    "ref.word_substituted":
        "In reference mode: a word of the source was replaced by another, as a spinner swaps "
        "synonyms.",
    "ref.no_source":
        "In reference mode: no paragraph of the reference is this paragraph's source; it is "
        "scored on its own.",
    "ref.spun_copy":
        "In reference mode: the document as a whole is a spun or round-tripped copy of a "
        "reference document.",
    "ref.edited_copy":
        "In reference mode: the document follows a reference closely but its changes look "
        "like human editing, not spinning.",
    "ref.partial_match":
        "In reference mode: fewer than half of the document's paragraphs have a source in the "
        "references.",
    "ref.no_match":
        "In reference mode: no paragraph of the document has a source in the references.",
}


def explain(code: str) -> str:
    """What ``detector explain`` prints for a reason code: its description,
    then the longer explanation (empty for an unknown code)."""
    if code not in REASON_CODES:
        return ""
    return f"{code}: {REASON_CODES[code]}\n\n{EXPLANATIONS.get(code, '')}".rstrip() + "\n"


def describe_skip(code: str) -> str:
    """What a skip reason code means (the code itself if it is unknown)."""
    return SKIP_REASONS.get(code, code)


def describe(code: str) -> str:
    """The description of a reason code (the code itself if it is unknown)."""
    return REASON_CODES.get(code, code)
