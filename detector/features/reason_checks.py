"""The stricter tests a candidate artefact must pass before a reader is shown it.

Feature columns count candidates generously: the model weighs them against
everything else it sees, and they are what it was trained on. A reason is a
claim made to a person ("this date is mangled"), so it is shown only when a
second test says the claim holds: ordinary English ("at age 35. He", "the
telescope. The telescope", "Azerbaijan" beside "Azerbaijani") must not be
underlined as an error. Each test here takes a candidate the feature found.
"""

from __future__ import annotations

import re

from detector.resources.lexicon import IN_VOCABULARY
from detector.segment.respelling import edit_distance
from detector.segment.tokens import FUNCTION_WORDS

__all__ = ["SURE_PMI", "is_back_to_back", "is_derived_name", "is_foreign_word",
           "is_mangled_date", "is_name_in_sentence", "is_stray_capital", "is_unlikely_pair"]


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# Words a number labels, so that 'Table 3.' ends a sentence rather than
# starting a day-first date.
_LABELS = frozenset(
    "table figure fig chapter section page part volume vol article item step stage level room "
    "gate platform route highway building place number round game heat lap grade class".split())


def is_mangled_date(candidate: str, previous: str = "") -> bool:
    """'5. Martha' (March 5 after a round trip): a day number, then a month
    name or a word within two edits of one; not a sentence that ends in a
    number ('at age 35. He', 'Highway 2. Highway'), nor in an intact date
    or a numbered label (``previous``, the word before the number: 'on March
    5. Martha stayed', 'in Table 3. May saw')."""
    number, _, word = candidate.partition(". ")
    if not number.isdigit() or not 1 <= int(number) <= 31 or len(word) < 3:
        return False
    if previous.lower() in _MONTHS or previous.lower() in _LABELS:
        return False
    lower = word.lower()
    return any(edit_distance(lower, month, 2) <= 2 for month in _MONTHS)


def is_stray_capital(text: str, previous: str, previous_end: int, word: str,
                     following: str) -> bool:
    """A capitalised common word where a sentence seems to begin again ('30
    countries Arrival on Tuesday', 'Trump The idea'): not a month or day
    name, not 'No' before a number ('World No. 1'), not right after an
    abbreviation's full stop ('the U.S. He claimed'), not after a
    function word ('the Categories', 'Prize in Literature'), which starts a
    title or a name rather than a sentence, and not inside a name: after an
    acronym ('RBC Economics'), before a number ('Interstate 15') or before
    'of the' and a name ('Heroes of the Soviet Union')."""
    lower = word.lower()
    if lower in _MONTHS or lower in _WEEKDAYS or previous.lower() in FUNCTION_WORDS:
        return False
    if lower == "no" and re.match(r"\.?\s*\d", following):
        return False
    if _IN_A_NAME.match(following) or (len(previous) > 1 and previous.isupper()):
        return False
    return "." not in text[max(0, previous_end - 1):previous_end + 1]


# What follows a capitalised common word inside a name: a number ('Interstate
# 15', 'Highway 4') or 'of (the) Name' ('Heroes of the Soviet Union').
_IN_A_NAME = re.compile(r" (?:\d|of (?:the )?[A-Z])")


def is_back_to_back(text: str, first_end: int, second_start: int, phrase: str) -> bool:
    """True when two copies of a phrase are really back to back: nothing but
    spaces and a comma between them (no number the word list skipped, as in
    'as of 2004, of which', and no sentence end, as in 'the telescope. The
    telescope'), not inside a quotation, where people repeat themselves
    on purpose ('comfortable with the idea, the idea is very positive'), and
    not one word said twice for emphasis, with a comma ('far, far away',
    'really, really cold'). ``text`` is typography-normalised (straight quotes)."""
    if text.count('"', 0, first_end) % 2 or _in_single_quotes(text, first_end):
        return False
    between = text[first_end:second_start]
    if " " not in phrase.strip() and "," in between:
        return False
    return re.fullmatch(r"\s*,?\s*", between) is not None


# A quotation in single quotes ('...', as British news writes speech) opens
# with a mark after a space or a bracket, before a letter, and closes with one
# after a letter or punctuation, before a space, punctuation or the end; an
# apostrophe inside a word ('don't') is neither.
_OPENS_AFTER, _CLOSES_BEFORE = " \t\n([", " \t\n.,;:!?)]"


def _in_single_quotes(text: str, position: int) -> bool:
    """Whether ``position`` lies inside a quotation in single quotes: the
    marks paired in order, in one pass."""
    opened = -1
    start = text.find("'")
    while start != -1:
        before = text[start - 1] if start else " "
        after = text[start + 1] if start + 1 < len(text) else " "
        if opened < 0:
            if start > position:
                return False
            if before in _OPENS_AFTER and after.isalnum():
                opened = start
        elif (before.isalnum() or before in ".,!?") and after in _CLOSES_BEFORE:
            if opened < position < start:
                return True
            opened = -1
        start = text.find("'", start + 1)
    return False


_ENDINGS = ("s", "es", "'s", "i", "is", "n", "ns", "an", "ans", "ian", "ians", "ic", "ics",
            "al", "ese", "ish", "ist", "ists", "ism", "ite", "ites", "ern", "ean", "eans",
            "ov", "ova", "ev", "eva")


def is_derived_name(a: str, b: str) -> bool:
    """True when two spellings are one name and a form made from it with an
    English ending ('Azerbaijan' / 'Azerbaijani', 'Alberta' / 'Albertans',
    'Vedanta' / 'Vedantic', 'Poetics' / 'Poetical'), or two different short
    names ('Petr' / 'Pete'): not a name respelled. A doubled last letter
    ('Zelensky' / 'Zelenskyy') is a respelling."""
    a, b = a.lower(), b.lower()
    if len(a) > len(b):
        a, b = b, a
    if b.startswith(a) and len(b) == len(a) + 1 and b[-1] == a[-1]:
        return False  # a doubled final letter
    stem = 0
    while stem < len(a) and a[stem] == b[stem]:
        stem += 1
    tails = (a[stem:], b[stem:])
    if stem >= 4 and all(t == "" or t in _ENDINGS or (len(t) == 1 and t in "aeoy")
                         for t in tails):
        return True
    return len(a) <= 4 and a[-1] != b[-1]


# A word pair is named only below this log-odds against the word alone: the
# trigram LM finds much ordinary English a little unlikely.
SURE_PMI = -4.0
# ... and only when the two words are common enough to meet often by chance
# (log P(previous) + log P(word), natural log): the LM was pruned of rare
# pairs, so for rarer words ('it levelled', 'I surpass') a pair it lacks says
# nothing of the text.
COMMON_PAIR = -15.0


def is_unlikely_pair(word: str, first_in_sentence: bool, pmi: float, expected: float) -> bool:
    """A word the LM finds unlikely after the one before is worth naming when
    it is not a name (a capitalised word inside a sentence is rare after
    almost anything, 'a Queensland school'), very unlikely there
    (:data:`SURE_PMI`; 'people who recklessly' is merely unusual), and the two
    words are common enough that English would show the pair
    (``expected`` at least :data:`COMMON_PAIR`)."""
    return (not is_name_in_sentence(word, first_in_sentence) and pmi < SURE_PMI
            and expected >= COMMON_PAIR)


def is_name_in_sentence(word: str, first_in_sentence: bool) -> bool:
    """A capitalised word inside a sentence: a name, rare after almost anything
    ('a Queensland school'), so its surprise says nothing of the text."""
    return not first_in_sentence and word[:1].isupper()


# English endings and prefixes a rare word may be made with ('planless',
# 'unforested'); a word made so from a known word is English, however rare.
_SUFFIXES = ("s", "es", "ed", "ing", "ly", "ness", "less", "ity", "ities", "ies", "ism",
             "ist", "ists", "ic", "ical", "al", "ation", "ations", "ize", "ise", "able", "er",
             "ers")
_PREFIXES = ("un", "re", "non", "pre", "post", "sub", "super", "over", "under", "anti",
             "inter", "multi", "semi", "micro", "macro", "neuro", "geo", "bio", "fore", "en",
             "dis", "mis", "out", "counter", "proto", "pseudo", "agro", "hyper", "hypo")
_KNOWN_ZIPF = 2.0


def _known(word: str) -> bool:
    from detector.resources import word_zipf

    return word_zipf(word) >= _KNOWN_ZIPF


def _english_formation(word: str) -> bool:
    """A known word with an English ending ('happenstances', 'theologic' from
    'theology'), an English prefix ('uninstantiated') or a second known word
    ('finderscope', 'groundstroke')."""
    for suffix in _SUFFIXES:
        stem = word[:-len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and any(
                _known(stem + end) for end in ("", "e", "y")):
            return True
    if any(word.startswith(prefix) and _known(word[len(prefix):]) for prefix in _PREFIXES):
        return True
    return any(_known(word[:cut]) and _known(word[cut:]) for cut in range(4, len(word) - 3))


def is_foreign_word(text: str, start: int, end: int, flags: int) -> bool:
    """A lower-case word (``text[start:end]``) that wordfreq's English list
    lacks is named as 'not an English word' when symspellpy's dictionary
    lacks it too; it is long enough not to be an abbreviation; it has no
    apostrophe ('o'clock') and no letter outside ASCII (a scholar's
    transliteration, 'psuchē', 'şəhər', is foreign on purpose); it is not
    made from English parts (:func:`_english_formation`: 'microvertebrate',
    'planless'); and it is not a term the writer quotes or glosses: inside
    parentheses or quotation marks, or followed by an explanation in
    parentheses ('bozbash (lamb soup)'). 'fajregaj' and 'laokcidento', left
    by a round trip, are named. ``text`` is typography-normalised."""
    word = text[start:end]
    if flags & IN_VOCABULARY or len(word) < 5 or not word.isascii() or not word.isalpha():
        return False
    before = text[:start]
    if before.count("(") > before.count(")") or before.count('"') % 2 or \
            text[end:end + 2] == " (":
        return False
    return not _english_formation(word)
