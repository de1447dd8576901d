"""A paragraph tokenised once and shared by every feature family, with its
words looked up once in the compiled language resources."""

from __future__ import annotations

from functools import cached_property
from typing import Any, NamedTuple, Sequence

import numpy as np

from detector.resources import lexicon
from detector.segment.tokens import WORD_RE, split_sentences
from detector.segment.typography import normalize_typography

__all__ = ["ParagraphView", "Token", "WordInfo", "look_up_words"]


class Token(NamedTuple):
    """A word or number token: its text, lowercase form, span and sentence position."""

    text: str
    lower: str
    start: int
    end: int
    sentence: int
    first_in_sentence: bool

    @property
    def is_alpha(self) -> bool:
        """True for word tokens (letters, possibly with an apostrophe)."""
        return not self.text[0].isdigit()

    @property
    def is_capitalised(self) -> bool:
        """True for 'Word' (an upper-case letter then lower-case letters)."""
        return self.text[0].isupper() and (len(self.text) == 1 or self.text[1:].islower())


class WordInfo(NamedTuple):
    """What the language resources say of each word of a paragraph (aligned
    with :attr:`ParagraphView.words`): lists for loops, arrays for batches."""

    zipf: list[float]
    flags: list[int]
    rows: np.ndarray
    lm: np.ndarray


class ParagraphView:
    """A paragraph's normalised text, sentences and tokens, computed lazily once.

    ``offset`` is where the paragraph starts in the document, so spans given to
    reasons can be document offsets. ``prepared`` holds what a feature family
    computed for a whole window of views in one batch, by the family's name.
    """

    def __init__(self, text: str, offset: int = 0) -> None:
        self.raw = text
        self.text = normalize_typography(text)
        self.offset = offset
        self.prepared: dict[str, Any] = {}

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans (paragraph offsets)."""
        return split_sentences(self.text) or [(0, len(self.text))]

    def _tokenise(self) -> None:
        """Tokens, words and words by sentence, in one pass over the text."""
        tokens: list[Token] = []
        words: list[Token] = []
        groups: list[list[Token]] = []
        make = tuple.__new__  # what Token._make does, without a Python-level __new__
        add_token, add_word = tokens.append, words.append
        text = self.text
        for index, (s_start, s_end) in enumerate(self.sentences):
            first = True
            group: list[Token] = []
            add_to_group = group.append
            for match in WORD_RE.finditer(text, s_start, s_end):
                word = match.group()
                start, end = match.span()
                token = make(Token, (word, word.lower(), start, end, index, first))
                add_token(token)
                if not word[0].isdigit():  # Token.is_alpha
                    add_word(token)
                    add_to_group(token)
                first = False
            groups.append(group)
        self.__dict__.update(tokens=tokens, words=words, sentence_words=groups)

    @cached_property
    def tokens(self) -> list[Token]:
        """Word and number tokens, with their sentence index."""
        self._tokenise()
        return self.__dict__["tokens"]

    @cached_property
    def words(self) -> list[Token]:
        """Alphabetic tokens only."""
        self._tokenise()
        return self.__dict__["words"]

    @cached_property
    def sentence_words(self) -> list[list[Token]]:
        """Alphabetic tokens grouped by sentence."""
        self._tokenise()
        return self.__dict__["sentence_words"]

    @cached_property
    def word_info(self) -> WordInfo:
        """The words' Zipf frequencies, flags, lexicon rows and LM ids."""
        look_up_words([self])
        return self.__dict__["word_info"]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A paragraph span as document offsets."""
        return self.offset + start, self.offset + end


def look_up_words(views: Sequence[ParagraphView]) -> None:
    """Look up the words of all ``views`` in one batch and give each view its
    :attr:`~ParagraphView.word_info` (views that have it are left alone)."""
    todo = [v for v in views if "word_info" not in v.__dict__]
    lowers = [t.lower for v in todo for t in v.words]
    found = lexicon().lookup(lowers)
    zipf, flags = found.zipf.tolist(), found.flags.tolist()
    lm = found.lm.astype(np.int64)
    start = 0
    for view in todo:
        end = start + len(view.words)
        view.__dict__["word_info"] = WordInfo(zipf[start:end], flags[start:end],
                                              found.rows[start:end], lm[start:end])
        start = end
