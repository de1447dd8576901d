"""Word-by-word alignment of a paragraph with its source, and the changes it shows.

A spun or round-tripped copy keeps some words of its source, substitutes
others (a common word for a rarer synonym, 'Lecornu' for 'Lecorno', 'March 5'
for '5. Martha'), drops and inserts others, and moves clauses. The alignment
here is a longest-matching-block diff (``difflib.SequenceMatcher``) over
case- and accent-folded words, so a capitalisation change ('arrival' ->
'Arrival') counts as kept and is reported as a case change. Every operation
keeps the character spans of both sides, so reasons can point at the text and
the JSON output can show the source.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Sequence

from detector.resources import word_zipf
from detector.results import Change, EditOp
from detector.segment.respelling import edit_distance, is_respelling
from detector.segment.tokens import DERIVATIONS, FUNCTION_WORDS, WORD_RE, iter_words, stem
from detector.segment.typography import MAPPED_CHARACTERS, normalize_typography

__all__ = ["Word", "WordAlignment", "align_words", "fold", "raw_word_count", "words"]


MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The comparison key of a word: case-folded, accents stripped ('Sébastien' -> 'sebastien')."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "'")


@dataclass(frozen=True)
class Word:
    """A word or number token with its comparison key and document character span."""

    text: str
    key: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        """True for a number token ('30,000', '2022')."""
        return self.text[0].isdigit()

    @property
    def is_capitalised(self) -> bool:
        """True for a word starting with an upper-case letter."""
        return self.text[0].isupper()


def words(text: str, offset: int = 0) -> list[Word]:
    """The word and number tokens of ``text``, spans shifted by ``offset``."""
    normal = normalize_typography(text)
    return [
        Word(m.group(0), fold(m.group(0)), m.start() + offset, m.end() + offset)
        for m in WORD_RE.finditer(normal)
    ]


def _joins_tokens(character: str) -> bool:
    """Whether normalising ``character`` can make one token of two: it ends a
    token in the raw text but its replacement is taken inside one (a low or
    reversed apostrophe or a prime between letters becomes "'", an ellipsis
    between digits '.'). These are the only two places WORD_RE takes a
    non-word character inside a token."""
    return any(len(WORD_RE.findall(sample)) != len(WORD_RE.findall(normalize_typography(sample)))
               for sample in (f"a{character}a", f"1{character}1"))


_JOINING = frozenset(c for c in MAPPED_CHARACTERS if _joins_tokens(c))


def raw_word_count(text: str, tokens: Sequence[Word]) -> int:
    """How many tokens :func:`~detector.segment.tokens.iter_words` finds in
    ``text`` as it is, given ``tokens = words(text, ...)``, without a second
    pass when it can be avoided. Normalisation maps non-word characters to
    non-word characters one for one, so the counts differ only where it
    joins two raw tokens into one; a text with such a character is counted
    again."""
    if _JOINING.isdisjoint(text):
        return len(tokens)
    return sum(1 for _ in iter_words(text))


@dataclass(frozen=True)
class WordAlignment:
    """The alignment of a paragraph's words with its source's words."""

    ops: tuple[EditOp, ...]
    changes: tuple[Change, ...]
    n_words: int
    n_source_words: int
    kept: int
    replaced: int
    source_replaced: int
    inserted: int
    deleted: int
    longest_insert: int
    longest_delete: int
    equal_blocks: int
    longest_equal: int
    shared_phrases: int
    moved: int
    immutables: int
    immutables_kept: int


def _is_name_change(old: Word, new: Word) -> bool:
    if not (old.is_capitalised and new.is_capitalised) or old.key == new.key:
        return False
    return min(len(old.key), len(new.key)) >= 4 and is_respelling(old.key, new.key)


def _classify(old: Word, new: Word) -> str:
    """The kind of change from ``old`` to ``new`` (two different keys)."""
    if old.is_number or new.is_number:
        return "number" if old.is_number and new.is_number else "word"
    if old.key in MONTHS and new.key not in MONTHS:
        return "date"
    if _is_name_change(old, new):
        return "name"
    if old.key in FUNCTION_WORDS and new.key in FUNCTION_WORDS:
        return "function_word"
    if len(old.key) >= 4 and edit_distance(old.key, new.key, 2) <= (1 if len(old.key) < 7 else 2):
        return "spelling"
    if stem(old.key, DERIVATIONS) == stem(new.key, DERIVATIONS):
        return "inflection"
    return "word"


def _pair_block(old: Sequence[Word], new: Sequence[Word]) -> list[tuple[Word, Word]]:
    """Word pairs of a replace block: position by position when both sides have
    one word each, otherwise each new word with the old word it
    respells (a name or number changed, a month lost) when there is one. In a
    longer block position says nothing about which word became which."""
    if len(old) == len(new) == 1:
        return list(zip(old, new))
    pairs = []
    used: set[int] = set()
    for word in new:
        for k, candidate in enumerate(old):
            if k in used:
                continue
            if (_is_name_change(candidate, word)
                    or (candidate.is_number and word.is_number)
                    or (word.is_capitalised and _is_month_lost(candidate, word))):
                pairs.append((candidate, word))
                used.add(k)
                break
    return pairs


def _moved_names(
    source: Sequence[Word],
    target: Sequence[Word],
    source_keys: set[str],
    target_keys: set[str],
    found: Sequence[Change],
) -> list[Change]:
    """Names respelled and month names lost anywhere in the paragraph, not only
    where the diff put them side by side ('Kyiv' at the end of the source,
    'Kiev' at the start of the copy; 'March 5' -> '5. Martha')."""
    known = {(c.old, c.new) for c in found}
    lost = {w.text: w for w in source if w.is_capitalised and w.key not in target_keys}
    out = []
    for word in target:
        if not word.is_capitalised or word.key in source_keys:
            continue
        for old in lost.values():
            if (old.text, word.text) in known:
                continue
            if _is_name_change(old, word):
                kind = "name"
            elif _is_month_lost(old, word):
                kind = "date"
            else:
                continue
            known.add((old.text, word.text))
            out.append(Change(kind, old.text, word.text, word.start, word.end))
            break
    return out


def _is_month_lost(old: Word, new: Word) -> bool:
    """'March' rendered as 'Martha': a month name replaced by a word that starts alike."""
    return old.key in MONTHS and new.key not in MONTHS and new.key[:3] == old.key[:3]


def _case_change(old: Word, new: Word) -> bool:
    """A word capitalised or lower-cased ('arrival' -> 'Arrival', 'Black Sea' ->
    'black sea'); 'Nato' -> 'NATO' is house style, not a change of case."""
    if old.text == new.text or old.text.lower() != new.text.lower():
        return False
    return not (old.text[0].isupper() and new.text[0].isupper())


def _immutable(word: Word, first: bool) -> bool:
    """Names, numbers and rare words: what a faithful copy keeps unchanged."""
    if word.is_number:
        return True
    if word.is_capitalised and not first and len(word.key) >= 3:
        return True
    return len(word.key) >= 5 and word_zipf(word.key) < 3.0


def align_words(
    source: Sequence[Word],
    target: Sequence[Word],
    source_text: str,
    target_text: str,
    target_offset: int = 0,
) -> WordAlignment:
    """Align ``target`` (the scored paragraph's words) with ``source`` (its
    source's words). ``source_text`` is the reference document the source
    spans point into; ``target_text`` is the paragraph, which starts at
    ``target_offset`` in the scored document its spans point into."""
    matcher = SequenceMatcher(None, [w.key for w in source], [w.key for w in target],
                              autojunk=False)
    ops: list[EditOp] = []
    changes: list[Change] = []
    kept = replaced = source_replaced = inserted = deleted = 0
    longest_insert = longest_delete = equal_blocks = longest_equal = shared_phrases = 0
    kept_keys: set[str] = set()
    source_first = _sentence_starts(source, source_text)
    target_first = _sentence_starts(target, target_text, target_offset)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        s_start = source[i1].start if i1 < len(source) else (source[-1].end if source else 0)
        s_end = source[i2 - 1].end if i2 > i1 else s_start
        t_start = target[j1].start if j1 < len(target) else (target[-1].end if target else 0)
        t_end = target[j2 - 1].end if j2 > j1 else t_start
        ops.append(EditOp(
            "insert" if tag == "insert" else tag, s_start, s_end, t_start, t_end,
            source_text[s_start:s_end],
            target_text[t_start - target_offset:t_end - target_offset],
        ))
        if tag == "equal":
            kept += j2 - j1
            equal_blocks += 1
            longest_equal = max(longest_equal, j2 - j1)
            if j2 - j1 >= 3 and any(w.key not in FUNCTION_WORDS for w in target[j1:j2]):
                shared_phrases += 1
            for i, j in zip(range(i1, i2), range(j1, j2)):
                old, new = source[i], target[j]
                kept_keys.add(new.key)
                if _case_change(old, new) and i not in source_first and j not in target_first:
                    changes.append(Change("case", old.text, new.text, new.start, new.end))
        elif tag == "replace":
            replaced += j2 - j1
            source_replaced += i2 - i1
            for old, new in _pair_block(source[i1:i2], target[j1:j2]):
                changes.append(Change(_classify(old, new), old.text, new.text,
                                      new.start, new.end))
        elif tag == "insert":
            inserted += j2 - j1
            longest_insert = max(longest_insert, j2 - j1)
        else:
            deleted += i2 - i1
            longest_delete = max(longest_delete, i2 - i1)
    source_keys = {w.key for w in source}
    target_keys = {w.key for w in target}
    changes.extend(_moved_names(source, target, source_keys, target_keys, changes))
    moved = sum(1 for w in target if w.key in source_keys and w.key not in kept_keys)
    immutables = [w for k, w in enumerate(source) if _immutable(w, k in source_first)]
    return WordAlignment(
        ops=tuple(ops),
        changes=tuple(changes),
        n_words=len(target),
        n_source_words=len(source),
        kept=kept,
        replaced=replaced,
        source_replaced=source_replaced,
        inserted=inserted,
        deleted=deleted,
        longest_insert=longest_insert,
        longest_delete=longest_delete,
        equal_blocks=equal_blocks,
        longest_equal=longest_equal,
        shared_phrases=shared_phrases,
        moved=moved,
        immutables=len(immutables),
        immutables_kept=sum(1 for w in immutables if w.key in target_keys),
    )


def _sentence_starts(tokens: Sequence[Word], text: str, offset: int = 0) -> set[int]:
    """Indices of the tokens that open a sentence (or a paragraph); ``text``
    starts at ``offset`` of the document the token spans point into."""
    starts = {0}
    for k in range(1, len(tokens)):
        between = text[tokens[k - 1].end - offset:tokens[k].start - offset]
        if any(mark in between for mark in ".!?\n\"\u201c"):
            starts.add(k)
    return starts
