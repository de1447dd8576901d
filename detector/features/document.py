"""Consistency across a whole document: the same name spelled two ways.

A round trip renders each occurrence of a name on its own, so one document
ends up with 'Kyiv' and 'Kiev', 'Zelensky' and 'Zelenskyy', 'Lecornu' and
'Lecorno'. Human editors keep one spelling. Two spellings that meet in one
paragraph are not counted: side by side they are two names listed together
('Ogun and Osun', 'Shaanxi and Shanxi'), the commonest false pair in human
text, and a paragraph scored alone then has no pair at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Sequence

from detector.features.reason_checks import is_derived_name
from detector.features.view import ParagraphView
from detector.resources import word_flags, word_zipf
from detector.resources.lexicon import ORDINARY
from detector.results import Reason
from detector.segment.respelling import candidate_pairs, is_respelling, skeleton

__all__ = ["NAMES", "compute_document", "is_name_variant"]

NAMES = ("doc.name_variants_here", "doc.name_variant_pairs")

_POSSESSIVE = re.compile(r"['\u2019]s?$")


# A spelling this many times as frequent as its variant is the usual one:
# its paragraphs are not underlined, the variant's are.
USUAL_SPELLING = 5


def is_name_variant(a: str, b: str) -> bool:
    """Whether two capitalised words of one document are one name spelled two
    ways: a respelling (:func:`~detector.segment.respelling.is_respelling`)
    of a rare name, not a word, a plural, a possessive or a demonym."""
    if a.lower() == b.lower():
        return False
    if word_flags(a.lower()) & ORDINARY or word_flags(b.lower()) & ORDINARY:
        return False  # 'Mind' is a word, not a spelling of 'Mond'
    if max(word_zipf(a.lower()), word_zipf(b.lower())) >= 4.5:
        return False  # a common name beside a rare one (Union/Unwin, Mary/Murry)
    if b.startswith(a) or a.startswith(b):
        shorter, longer = sorted((a, b), key=len)
        if longer[len(shorter):] in {"s", "es", "n", "an", "ian", "'s"}:
            return False  # plural, possessive or demonym, not a respelling
    return is_respelling(a, b)


def _share_a_paragraph(a: Sequence[tuple[int, int, int]], b: Sequence[tuple[int, int, int]]) -> bool:
    """Whether two names' occurrences (paragraph, start, end) meet in one
    paragraph: two spellings side by side are two names listed together
    ('Ogun and Osun', 'Shaanxi and Shanxi'), not one name a translation
    rendered two ways, which happens from one paragraph to another."""
    return not {i for i, _, _ in a}.isdisjoint(i for i, _, _ in b)


def _two_people(next_to_one: set[str], next_to_other: set[str]) -> bool:
    """Whether two spellings are the names of two people: each is followed
    (or each preceded) by a capitalised word somewhere, never the same one
    ('Alim Qasimov' / 'Azim Azimzade', 'Pancho Gonzales' / 'Fernando
    González'). One person respelled keeps the other name ('Volodymyr
    Zelensky', 'Volodimir Zelensky')."""
    return bool(next_to_one) and bool(next_to_other) and next_to_one.isdisjoint(next_to_other)


def _two_known_names(a: str, b: str) -> bool:
    """Whether two spellings are both in the word list and differ in their
    consonants ('Latin' / 'Latif', 'Avar' / 'Anvar'): two names people use,
    not one respelled. A round trip's respelling is mostly a form no list
    has ('Lecorno', 'Minesota'); one of two listed forms with the same
    consonants ('Kiev' / 'Kyiv') may still be."""
    return word_zipf(a.lower()) > 0 and word_zipf(b.lower()) > 0 and skeleton(a) != skeleton(b)


def compute_document(
    views: Sequence[ParagraphView],
) -> tuple[list[list[float]], list[list[Reason]]]:
    """Per paragraph: how many of its names are spelled differently elsewhere in
    the document, and how many such pairs the document has; with reasons.
    """
    where: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    followers: dict[str, set[str]] = defaultdict(set)
    # a capitalised word before a name, not one that starts a sentence or a
    # title ('President', 'Gentleman'): a given name
    given: dict[str, set[str]] = defaultdict(set)
    # spellings seen other than alone in quotation marks: one only ever
    # quoted alone is a name mentioned as a word ('designated as
    # "Azarbaijani"'), not one in use
    used: set[str] = set()
    for index, view in enumerate(views):
        words = view.words
        for number, token in enumerate(words):
            if not token.is_capitalised:
                continue
            name = _POSSESSIVE.sub("", token.text)
            if len(name) < 4:
                continue
            if token.first_in_sentence and word_zipf(name.lower()) >= 4.0:
                continue  # an ordinary word that starts a sentence
            end = token.start + len(name)
            where[name].append((index, token.start, end))
            if view.text[token.start - 1:token.start] != '"' or view.text[end:end + 1] != '"':
                used.add(name)
            after = words[number + 1] if number + 1 < len(words) else None
            if (after is not None and after.is_capitalised and after.sentence == token.sentence
                    and view.text[token.end:after.start] == " "):
                followers[name].add(after.text)
            before = words[number - 1] if number > 0 else None
            if (before is not None and before.is_capitalised and before.sentence == token.sentence
                    and not before.first_in_sentence and word_zipf(before.text.lower()) < 4.0
                    and view.text[before.end:token.start] == " "):
                given[name].add(before.text)
    partner: dict[str, str] = {}
    pairs = 0
    for a, b in sorted(candidate_pairs(where)):
        if is_name_variant(a, b) and not _share_a_paragraph(where[a], where[b]):
            pairs += 1
            partner.setdefault(a, b)
            partner.setdefault(b, a)
    variants_in: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for name in partner:
        for i, start, end in where[name]:
            variants_in[i].append((name, start, end))
    rows: list[list[float]] = []
    reasons: list[list[Reason]] = []
    for index, view in enumerate(views):
        here = variants_in.get(index, [])
        rows.append([float(len(here)), float(pairs)])
        seen: set[str] = set()
        paragraph_reasons = []
        for name, start, end in sorted(here, key=lambda h: h[1]):
            if name in seen:
                continue
            seen.add(name)
            other = partner[name]
            if (is_derived_name(name, other) or _two_known_names(name, other)
                    or name not in used or other not in used
                    or _two_people(followers[name], followers[other])
                    or _two_people(given[name], given[other])
                    or len(where[name]) > USUAL_SPELLING * len(where[other])):
                # counted in the columns, but not claimed as a respelling; nor
                # on every paragraph of a name spelled the usual way (many
                # 'Aristotle' beside one 'Artistotle'): there, only the odd one out
                continue
            paragraph_reasons.append(Reason(
                "doc.name_variant",
                f"'{name}' is spelled '{other}' elsewhere in the document",
                *view.span(start, end),
            ))
        reasons.append(paragraph_reasons[:2])
    return rows, reasons
