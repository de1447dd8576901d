"""Round-trip artefacts: English as a literal machine translation back from
Spanish, Catalan and similar pivots writes it.

Each detector looks for one construction that native English does not use and
that a literal engine produces from the pivot's grammar: "park of dog" (parque
de perro), "Gentleman Blake" (señor Blake), "looked for to" (buscó para),
'"...," said.' (dijo, the subject dropped). Every hit is a reason with the span
of the offending words. Columns are counts per 100 words, so long paragraphs do
not weigh more; ``rt.artefact_rate`` is their total.

No column for a noun left without its article ("sat on chair"): under the
trigram LM, English bare nouns ("a contribution to cinema", "at bottom of")
look as much like a dropped article as "in garden" does, so a threshold that
spares native text misses the plain cases.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from detector.features.lm_batch import compound_margins
from detector.features.view import ParagraphView, Token
from detector.resources import lexicon, trigram_lm, word_flags, word_zipf
from detector.resources.lexicon import ORDINARY
from detector.results import Reason
from detector.segment.tokens import FUNCTION_WORDS

__all__ = ["NAMES", "compute", "COUNTRIES", "PREPOSITIONS"]

NAMES = (
    "rt.inverted_compound",
    "rt.literal_title",
    "rt.pronoun_mismatch",
    "rt.article_before_name",
    "rt.double_preposition",
    "rt.artefact_rate",
)

# Prepositions a literal engine stacks ("of until five metres", "looked for to").
PREPOSITIONS = frozenset("of in to on for with by from at".split())

# Countries and continents English names without an article. Names English
# does use with "the" (the Netherlands, the Gambia, the Ukraine, the Congo, the
# Sudan, the Lebanon, the Philippines, ...) or that are also rivers or states
# ("the Jordan", "the Niger", "the Georgia") are left out on purpose.
COUNTRIES = frozenset(
    "France Spain Portugal Italy Germany Austria Switzerland Belgium Luxembourg "
    "Denmark Norway Sweden Finland Iceland Ireland England Scotland Wales Britain "
    "Poland Hungary Romania Bulgaria Greece Turkey Russia Serbia Croatia Albania "
    "Israel Egypt Syria Iraq Iran Afghanistan Pakistan India China Japan Korea "
    "Vietnam Thailand Indonesia Malaysia Singapore Australia Canada Mexico Brazil "
    "Argentina Chile Peru Colombia Venezuela Cuba Bolivia Ecuador Uruguay Paraguay "
    "Nigeria Kenya Ethiopia Morocco Algeria Tunisia Libya Europe Asia Africa America "
    "Catalonia Andalusia".split()
)

# Inverted compounds: "N1 of N2" flagged when "N2 N1" is this much more likely
# (natural log) under the LM; a margin that large alone when "N2 N1" is not in
# the English bigram counts (which keep only frequent pairs).
COMPOUND_MARGIN = 6.0
COMPOUND_MARGIN_UNATTESTED = 9.5

_QUANTIFIERS = "more most only all one some any each other such many much few several both"
# Words that end a noun phrase: after one, "of dog" is a whole phrase, not "of dog food".
_PHRASE_ENDERS = (
    "near after before during since until across over under around through against without "
    "within among between behind beyond like when while where because although last ago "
    "yesterday today"
)
_LITERAL_TITLE = re.compile(
    r"\b(?:[Tt]he )?(?:Gentleman|Gentlemen|Mister|Señora?|Senyora?)\s+[A-Z][a-z]+")
_MADAM = re.compile(r"\b(?:[Tt]he )?Madam\s+([A-Z][a-z]+)")
# "the lady Clark" (la señora Clark), and "Lady Clark said" (Ms Clark): a bare
# "Lady X" is English for a peeress or a place ("off Lady Barron"), so only
# before a speech verb, as news writes "Ms Clark said".
_LADY = re.compile(
    r"\b(?:[Tt]he [Ll]ady\s+([A-Z][a-z]+)|Lady\s+([A-Z][a-z]+)(?= (?:said|says|told|added)\b))")
_SAINT = re.compile(r"\b(?:[Tt]he )?Saint\s+([A-Z][a-z]+)")
# A quotation closed, then a speech verb with no subject ('"...," said.') or
# with "it" although the quotation speaks in the first person singular.
_SPEECH = r"(?:said|says|added|explained|stated|declared|insisted|warned|noted|told)"
_SUBJECTLESS = re.compile(rf'[,.!?]"\s*({_SPEECH})(?=[.,;])')
_IT_SAID = re.compile(rf'"([^"]*)"\s*,?\s*(it {_SPEECH})\b', re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|myself)\b")
# "his or his certificate" (su certificado: his or her).
_HIS_OR_HIS = re.compile(r"\b(his|her) or \1\b", re.I)
_ORG_HIS = re.compile(
    r"\b[Tt]he (?:alliance|company|government|organi[sz]ation|union|council|ministry|"
    r"committee|bank|agency|firm|board|commission|association) and (his)\b"
)


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    """Closed-class words, never half of a compound or a name's neighbour."""
    return FUNCTION_WORDS | PREPOSITIONS | frozenset(_QUANTIFIERS.split())


@lru_cache(maxsize=1)
def _phrase_end() -> frozenset[str]:
    return _stop() | frozenset(_PHRASE_ENDERS.split())


def _gap(view: ParagraphView, left: Token, right: Token) -> bool:
    """True when two tokens are separated by exactly one space (no punctuation)."""
    return left.sentence == right.sentence and view.text[left.end:right.start] == " "


def _lower_word(token: Token) -> bool:
    return token.is_alpha and token.text == token.lower and len(token.text) > 2


def _lp(word: str, *history: str) -> float:
    return trigram_lm().conditional(word, list(history))


def compound_margin(n1: str, n2: str) -> float:
    """How much more likely (natural log) "n2 n1" is than "n1 of n2" under the LM."""
    compound = _lp(n2) + _lp(n1, n2)
    literal = _lp(n1) + _lp("of", n1) + _lp(n2, n1, "of")
    return compound - literal


def _inverted_compounds(view: ParagraphView) -> Iterator[tuple[Token, Token, str]]:
    words = view.words
    info = view.word_info
    candidates: list[tuple[int, bool]] = []
    for i in range(len(words) - 2):
        n1, of, n2 = words[i], words[i + 1], words[i + 2]
        if of.lower != "of" or not (_lower_word(n1) and _lower_word(n2)):
            continue
        if n1.lower in _stop() or n2.lower in _stop():
            continue
        if not (_gap(view, n1, of) and _gap(view, of, n2)):
            continue
        if view.text[n2.end:n2.end + 1] in ("-", "'"):
            continue  # part of a hyphenated word or a possessive
        if info.lm[i] < 0 or info.lm[i + 2] < 0:
            continue  # a word the LM does not know
        nxt = words[i + 3] if i + 3 < len(words) else None
        if nxt is not None and _gap(view, n2, nxt) and nxt.lower not in _phrase_end():
            continue  # "portions of large coastal ...": n2 modifies a noun that follows
        attested = bool(lexicon().attested(info.rows[i + 2:i + 3], info.rows[i:i + 1])[0])
        candidates.append((i, attested))
    if not candidates:
        return
    margins = compound_margins([(int(info.lm[i]), int(info.lm[i + 2])) for i, _ in candidates])
    for (i, attested), margin in zip(candidates, margins):
        needed = COMPOUND_MARGIN if attested else COMPOUND_MARGIN_UNATTESTED
        if margin >= needed:
            n1, n2 = words[i], words[i + 2]
            yield n1, n2, f"{n2.text} {n1.text}"


def _literal_titles(view: ParagraphView) -> Iterator[tuple[int, int]]:
    text = view.text
    for match in _LITERAL_TITLE.finditer(text):
        yield match.span()
    for match in _MADAM.finditer(text):
        if not word_flags(match.group(1).lower()) & ORDINARY:  # "Madam Speaker" is English
            yield match.span()
    for match in _LADY.finditer(text):
        if not word_flags((match.group(1) or match.group(2)).lower()) & ORDINARY:
            yield match.span()
    for match in _SAINT.finditer(text):
        # "Saint Alcohol", "Saint Week": a common word, so not a saint's name
        word = match.group(1).lower()
        if word_flags(word) & ORDINARY and word_zipf(word) >= 3.0:
            yield match.span()


def _pronoun_mismatches(view: ParagraphView) -> Iterator[tuple[int, int, str]]:
    text = view.text
    for match in _SUBJECTLESS.finditer(text):
        yield (*match.span(1), f"'{match.group(1)}' after the quotation has no speaker; "
               f"English writes 'he {match.group(1)}' or 'she {match.group(1)}'")
    for match in _IT_SAID.finditer(text):
        if _FIRST_PERSON.search(match.group(1)):
            yield (*match.span(2), f"'{match.group(2)}' after a quotation in the first person: "
                   "a person speaks, English writes 'he' or 'she'")
    for match in _HIS_OR_HIS.finditer(text):
        yield (*match.span(), f"'{match.group(0)}': English writes 'his or her'")
    for match in _ORG_HIS.finditer(text):
        yield (match.start(), match.end(1), f"'{match.group(0)}': an organisation's "
               "possessive is 'its' in English")


def _articles_before_names(view: ParagraphView) -> Iterator[tuple[int, int]]:
    words = view.words
    for i in range(len(words) - 1):
        the, name = words[i], words[i + 1]
        if the.lower != "the" or name.text not in COUNTRIES or not _gap(view, the, name):
            continue
        if re.match(r"[-'.]\w| \d", view.text[name.end:name.end + 2]):
            continue  # "the France-Germany match", "the Russia.tv site", "the Russia 1 channel"
        nxt = words[i + 2] if i + 2 < len(words) else None
        if nxt is not None and _gap(view, name, nxt):
            # "the France team", "the Spain of Franco": English uses the article
            # before a name used as a modifier or qualified by what follows.
            if nxt.text[0].isupper() or nxt.lower not in _stop():
                continue
            if nxt.lower in ("of", "that", "which", "who", "whose", "i", "we", "you"):
                continue
            after = words[i + 3] if i + 3 < len(words) else None
            if nxt.lower in ("and", "or") and after is not None and after.lower != "the" \
                    and after.text[0].isupper():
                continue  # "the England and Wales board": two names modifying a noun
        yield the.start, name.end


def _double_prepositions(view: ParagraphView) -> Iterator[tuple[Token, Token]]:
    words = view.words
    for i in range(len(words) - 1):
        first, second = words[i], words[i + 1]
        a, b = first.lower, second.lower
        if a not in PREPOSITIONS or not _gap(view, first, second):
            continue
        if "-" in (view.text[second.end:second.end + 1], view.text[first.start - 1:first.start]):
            continue  # "of in-person", "log-in of"
        before = words[i - 1].lower if i > 0 and words[i - 1].sentence == first.sentence else ""
        if b == "of" and a != "of":
            # "the swearing in of", "and so on of": a particle, then "of"
            if a in ("in", "on") and (before.endswith("ing") or before == "so"):
                continue
            yield first, second
        elif a == b and a not in ("in", "on", "for"):
            # "used to to", "of of"; "sworn in in 2009", "searched for for years" are English
            yield first, second
        elif a == "for" and b in ("to", "until"):
            yield first, second  # "looked for to" (buscó para), "for until 48 hours"
        elif a == "with" and b == "until":
            yield first, second
        elif a == "of" and b in ("on", "until", "behind", "through", "to", "with", "from", "for"):
            # a stranded "of" ("disposed of by", "instead of for") is English
            if before in ("instead", "out", "because", "ahead") or re.search(
                    r"(?:ed|en|wn|ght|ard|ade)$", before):
                continue
            yield first, second


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """Round-trip artefact counts per 100 words, and a reason with a span for each."""
    text = view.text
    reasons: list[Reason] = []
    counts: list[int] = []

    hits = list(_inverted_compounds(view))
    counts.append(len(hits))
    for n1, n2, compound in hits:
        literal = text[n1.start:n2.end]
        reasons.append(Reason("rt.inverted_compound", f"'{literal}' reads like a translated "
                              f"compound; English says '{compound}'", *view.span(n1.start, n2.end)))

    titles = list(_literal_titles(view))
    counts.append(len(titles))
    for start, end in titles:
        reasons.append(Reason("rt.literal_title", f"'{text[start:end]}': a title translated "
                              "word for word (English says 'Mr', 'Mrs' or 'Ms')",
                              *view.span(start, end)))

    pronouns = list(_pronoun_mismatches(view))
    counts.append(len(pronouns))
    for start, end, message in pronouns:
        reasons.append(Reason("rt.pronoun_mismatch", message, *view.span(start, end)))

    named = list(_articles_before_names(view))
    counts.append(len(named))
    for start, end in named:
        reasons.append(Reason("rt.article_before_name", f"'{text[start:end]}': English names "
                              "this place without 'the'", *view.span(start, end)))

    doubles = list(_double_prepositions(view))
    counts.append(len(doubles))
    for first, second in doubles:
        reasons.append(Reason("rt.double_preposition", f"'{text[first.start:second.end]}': two "
                              "prepositions in a row that English does not write",
                              *view.span(first.start, second.end)))

    per_100 = 100.0 / max(1, len(view.words))
    values = [c * per_100 for c in counts]
    values.append(sum(counts) * per_100)
    return values, reasons
