"""Artefact detectors that point at text: each counts AND returns spans.

Mid-sentence capitals on common words, mangled dates, tokenizer leftovers,
duplicated phrases, unbalanced quotes and lower-cased proper nouns are the
visible scars of machine-translation round trips (see training/README.md for
the catalogue from seed 002).
"""

from __future__ import annotations

import re
from typing import Sequence

from detector.features.reason_checks import is_back_to_back, is_mangled_date, is_stray_capital
from detector.features.view import ParagraphView, Token
from detector.resources.lexicon import ORDINARY
from detector.results import Reason

__all__ = ["NAMES", "compute"]

NAMES = (
    "art.midsentence_capital_rate",
    "art.mangled_date",
    "art.tokenizer_leftover",
    "art.duplicated_phrase",
    "art.unbalanced_quotes",
    "art.lowercased_proper_noun",
)

# Capitalised on purpose although also common in lower case.
_PROPER_ADJECTIVE = re.compile(
    r"(?:ian|ean|ese|ish|ern|ic|an|i)$|^(?:French|Dutch|Greek|Thai|Swiss|Arab|Jewish|"
    r"God|Internet|Web|English|Christian|Muslim|Catholic|Mr|Mrs|Ms|Dr|Sir|Lord|Lady|"
    r"King|Queen|President|Minister|Prime|General|Colonel|Captain|Senator|Governor|"
    r"North|South|East|West|Central|New|Old|Great|United|National|International|"
    r"Republic|Union|State|States|House|Senate|Congress|Parliament|Council|Court|Army|"
    r"Navy|Force|Forces|Party|Ministry|Department|Office|Bank|University|College|"
    r"Street|Road|River|Sea|Ocean|Lake|Mount|City|County|Day|Church|Cup|League|"
    r"Club|Games|Olympic|Olympics|I|OK)$"
)
_MONTHS_DAYS = (
    "january february april june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
).split()
_DEMONYMS = (
    "american british english french german russian ukrainian chinese japanese korean "
    "european asian african australian canadian italian spanish polish turkish indian "
    "israeli iranian iraqi syrian egyptian mexican brazilian swedish norwegian danish "
    "finnish dutch greek irish scottish welsh icelandic czech hungarian romanian "
    "christian muslim jewish catholic nato"
).split()
_LOWER_PROPER = frozenset(_MONTHS_DAYS + _DEMONYMS)
_MANGLED_DATE = re.compile(r"(?<=[a-z,] )\d{1,2}\. [A-Z][a-z]+")
_TOKENIZER = re.compile(r"\w \s?[,.;:!?](?=\s|$)|\( | \)|\w '(?:s|re|ve|ll|d|t)\b|\w n't\b")
_DUP_ALLOWED = frozenset("had that very so many much bye no yes ha".split())


_TITLE_JOINERS = frozenset({"and", "of", "the", "or", "&"})


def _in_title(tokens: Sequence[Token], i: int) -> bool:
    """True when a capitalised word is joined to another by 'and', 'of', ... in
    one sentence: a title or an organisation's name, not a stray capital."""
    for step in (-1, 1):
        joiner, other = i + step, i + 2 * step
        if 0 <= other < len(tokens) and tokens[joiner].lower in _TITLE_JOINERS:
            if tokens[other].sentence == tokens[i].sentence and tokens[other].text[0].isupper():
                return True
    return False


def _word_before(text: str, position: int) -> str:
    """The word that ends just before ``position`` (spaces or a comma between), or ''.
    Only the last few characters are searched, not the whole paragraph."""
    found = _LAST_WORD.search(text, max(0, position - _WORD_BEFORE_REACH), position)
    return found.group(1) if found else ""


_WORD_BEFORE_REACH = 40  # longer than any word a date label or month name can be


_LAST_WORD = re.compile(r"(\w+)[, ]*$")


def _midsentence_capitals(view: ParagraphView) -> list[Token]:
    found = []
    tokens = view.tokens
    info = view.word_info
    word = -1  # index of the token in view.words (the alphabetic tokens)
    for i, token in enumerate(tokens):
        if not token.is_alpha:
            continue
        word += 1
        if token.first_in_sentence or not token.is_capitalised:
            continue
        if len(token.text) < 2 or _PROPER_ADJECTIVE.search(token.text):
            continue
        prev_tok, next_tok = tokens[i - 1], tokens[i + 1] if i + 1 < len(tokens) else None
        if not prev_tok.is_alpha:
            continue  # after a number or date: a dateline or a list
        zipf = info.zipf[word]
        if prev_tok.is_capitalised and zipf < 6.3:
            continue  # part of a name or title ("The" or "He" right after a name is not)
        if next_tok is not None and next_tok.sentence == token.sentence and next_tok.text[0].isupper():
            continue
        if _in_title(tokens, i):
            continue  # "Ends and Means", "Knowledge and Understanding": a title
        between = view.text[prev_tok.end:token.start]
        if any(c in between for c in ':"(\'-'):
            continue  # start of a quote, a heading or a parenthesis
        if info.flags[word] & ORDINARY and zipf >= 3.5:
            found.append(token)
    return found


def _duplicated_phrases(view: ParagraphView) -> list[tuple[int, int, str]]:
    words = view.words
    lowers = [t.lower for t in words]
    # a repeat of n words can start only where a word equals the one n later
    starts = sorted({i for n in (1, 2, 3, 4)
                     for i, (a, b) in enumerate(zip(lowers, lowers[n:])) if a == b})
    found = []
    i = 0
    for start in starts:
        if start < i:
            continue  # inside a repeat already found
        i = start
        for n in (4, 3, 2, 1):
            if i + 2 * n > len(words) or lowers[i] != lowers[i + n]:
                continue  # (the first words differ: no repeat of length n here)
            if lowers[i:i + n] != lowers[i + n:i + 2 * n]:
                continue
            if n == 1 and (lowers[i] in _DUP_ALLOWED or view.word_info.zipf[i] < 5.0):
                continue
            phrase = view.text[words[i].start:words[i + n - 1].end]
            found.append((words[i].start, words[i + 2 * n - 1].end, phrase))
            i += 2 * n
            break
    return found


def compute(view: ParagraphView) -> tuple[list[float], list[Reason]]:
    """Artefact counts for one paragraph, and a reason with a span for each
    artefact that also passes the stricter test of
    :mod:`detector.features.reason_checks`."""
    text = view.text
    reasons: list[Reason] = []
    caps = _midsentence_capitals(view)
    before = ({t.start: view.tokens[i - 1] for i, t in enumerate(view.tokens) if i}
              if caps else {})
    shown_caps = [t for t in caps if t.start in before and is_stray_capital(
        text, before[t.start].text, before[t.start].end, t.text, text[t.end:])]
    for token in shown_caps[:3]:
        reasons.append(Reason(
            "art.midsentence_capital",
            f"common word '{token.text}' capitalised mid-sentence",
            *view.span(token.start, token.end),
        ))
    dates = list(_MANGLED_DATE.finditer(text))
    for match in [m for m in dates if is_mangled_date(m.group(0), _word_before(text, m.start()))][:2]:
        reasons.append(Reason(
            "art.mangled_date", f"date or number mangled: '{match.group(0)}'",
            *view.span(match.start(), match.end()),
        ))
    leftovers = list(_TOKENIZER.finditer(text))
    for match in leftovers[:2]:
        reasons.append(Reason(
            "art.tokenizer_leftover", f"tokenizer spacing left in the text: '{match.group(0)}'",
            *view.span(match.start(), match.end()),
        ))
    duplicates = _duplicated_phrases(view)
    shown_duplicates = [(start, end, phrase) for start, end, phrase in duplicates
                        if is_back_to_back(text, start + len(phrase), end - len(phrase), phrase)]
    for start, end, phrase in shown_duplicates[:2]:
        reasons.append(Reason(
            "art.duplicated_phrase", f"phrase repeated back to back: '{phrase}'",
            *view.span(start, end),
        ))
    unbalanced = text.count('"') % 2
    if unbalanced:
        reasons.append(Reason("art.unbalanced_quotes", "quotation marks do not pair up"))
    lowered = [
        t for t in view.words
        if not t.first_in_sentence and t.text in _LOWER_PROPER
    ]
    for token in lowered[:2]:
        reasons.append(Reason(
            "art.lowercased_proper_noun", f"proper noun written in lower case: '{token.text}'",
            *view.span(token.start, token.end),
        ))
    n = max(1, len(view.words))
    values = [
        len(caps) / n,
        float(len(dates)),
        float(len(leftovers)),
        float(len(duplicates)),
        float(unbalanced),
        float(len(lowered)),
    ]
    return values, reasons
