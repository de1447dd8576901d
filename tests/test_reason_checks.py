"""The stricter tests a candidate artefact passes before it is shown as a
reason: golden cases from seed 002 (kept) and from held-out human text (dropped)."""

from __future__ import annotations

import pytest

from detector import score_document
from detector.features.reason_checks import (
    COMMON_PAIR,
    SURE_PMI,
    is_back_to_back,
    is_derived_name,
    is_foreign_word,
    is_mangled_date,
    is_stray_capital,
    is_unlikely_pair,
)


@pytest.mark.parametrize("candidate, shown", [
    ("5. Martha", True), ("12. Marc", True), ("3. Juny", True),
    ("35. He", False), ("2. Highway", False), ("27. The", False), ("1. All", False),
    ("8. John", False), ("50. After", False), ("45. March", False),
])
def test_mangled_date(candidate: str, shown: bool) -> None:
    assert is_mangled_date(candidate) is shown


@pytest.mark.parametrize("previous, candidate, shown", [
    ("Meeting", "5. Martha", True),     # 002: 'the Virtual Planning Meeting 5. Martha called'
    ("March", "5. Martha", False),      # 'on March 5. Martha stayed': the date is intact
    ("Table", "3. May", False),         # 'in Table 3. May saw': a numbered label ends a sentence
    ("chapter", "4. March", False),
])
def test_mangled_date_after_a_month_or_a_label(previous: str, candidate: str, shown: bool) -> None:
    assert is_mangled_date(candidate, previous) is shown


@pytest.mark.parametrize("text, previous, word, shown", [
    ("more than 30 countries Arrival on Tuesday", "countries", "Arrival", True),
    ("As President Donald Trump The idea", "Trump", "The", True),
    ("took up arms to defend the U.S. He claimed", "S", "He", False),
    ("in the analysis of simple terms in the Categories, the", "the", "Categories", False),
    ("nominated for the Nobel Prize in Literature in", "in", "Literature", False),
    ("called an early election on May 5, 2015", "on", "May", False),
    ("former World No. 1, who was", "World", "No", False),
    ("However, RBC Economics research predicts", "RBC", "Economics", False),
    ("Highway 4, which effectively extends Interstate 15 into Alberta", "extends", "Interstate", False),
    ("130 Azerbaijanis were named Heroes of the Soviet Union.", "named", "Heroes", False),
    ("the talks were named Heroes by the press", "named", "Heroes", True),
])
def test_stray_capital(text: str, previous: str, word: str, shown: bool) -> None:
    start = text.index(f" {word}") + 1
    previous_end = text.rindex(previous, 0, start) + len(previous)
    assert is_stray_capital(text, previous, previous_end, word, text[start + len(word):]) is shown


@pytest.mark.parametrize("text, phrase, shown", [
    ("skepticism, in February, in February that", "in February", True),
    ("able to grow much to grow much of the", "to grow much", True),
    ("the direction to move the telescope. The telescope is moved", "the telescope", False),
    ("43 airports as of 2004, of which 31", "of", False),
    ('"Trump is comfortable with the idea, the idea is very positive for us"', "the idea", False),
    ('He said "no" and then, in February, in February that', "in February", True),
    ("we drove a long, long way", "long", False),       # one word twice, for emphasis
    ("it was really, really cold", "really", False),
    ("it was the the best result", "the", True),        # no comma: a slip
    # speech in single quotes, as British news writes it; apostrophes are not quotes
    ("He said 'Trump is comfortable with the idea, the idea is very positive' today",
     "the idea", False),
    ("He said 'I don't know, the idea, the idea is odd' today", "the idea", False),
    ("The players' union met in February, in February again", "in February", True),
    ("'Yes,' he said, in February, in February that", "in February", True),
])
def test_back_to_back(text: str, phrase: str, shown: bool) -> None:
    first = text.lower().index(phrase.lower())
    second = text.lower().index(phrase.lower(), first + len(phrase))
    assert is_back_to_back(text, first + len(phrase), second, phrase) is shown


@pytest.mark.parametrize("a, b, derived", [
    ("Azerbaijan", "Azerbaijani", True), ("Alberta", "Albertans", True),
    ("Vedanta", "Vedantic", True), ("Poetics", "Poetical", True), ("Petr", "Pete", True),
    ("Nariman", "Narimanov", True),
    ("Zelensky", "Zelenskyy", False), ("Kiev", "Kyiv", False), ("Lecornu", "Lecorno", False),
    ("Aristotle", "Artistotle", False),
])
def test_derived_name(a: str, b: str, derived: bool) -> None:
    assert is_derived_name(a, b) is derived
    assert is_derived_name(b, a) is derived


@pytest.mark.parametrize("text, word, shown", [
    ("the fajregaj crews", "fajregaj", True),
    ("fought the fire laokcidento of the plant", "laokcidento", True),
    ("the veterajn service", "veterajn", True),
    ("a xqz unit", "xqz", False),                                   # too short
    ("at five o'clock", "o'clock", False),
    ("the newsroom staff", "newsroom", False),                      # symspellpy has it
    ("the last agnostids went extinct", "agnostids", True),         # unknown, and named
    ("a planless sprawl", "planless", False),                       # plan + less
    ("an uninstantiated property", "uninstantiated", False),        # un + instantiated
    ("ridges, crests and microvertebrate fossils", "microvertebrate", False),  # micro + vertebrate
    ("mountain ridges and unforested crests", "unforested", False),  # un + forested
    ("dishes include bozbash (lamb soup)", "bozbash", False),       # glossed
    ("a word (dianoia) for thought", "dianoia", False),             # in parentheses
    ('they call it "qoshma" there', "qoshma", False),               # quoted
])
def test_foreign_word(text: str, word: str, shown: bool) -> None:
    from detector.resources import word_flags

    start = text.index(word)
    assert is_foreign_word(text, start, start + len(word), word_flags(word)) is shown


def test_unlikely_pair() -> None:
    common = COMMON_PAIR + 1
    assert is_unlikely_pair("own", False, SURE_PMI - 0.5, common)
    assert not is_unlikely_pair("own", False, SURE_PMI + 0.5, common)
    assert not is_unlikely_pair("Queensland", False, SURE_PMI - 2, common)  # a name
    assert is_unlikely_pair("Own", True, SURE_PMI - 2, common)  # capitalised as a sentence start
    # two words too rare to meet by chance: the LM lacking the pair says nothing
    assert not is_unlikely_pair("own", False, SURE_PMI - 2, COMMON_PAIR - 1)


@pytest.mark.parametrize("text, word, shown", [
    ("It levelled a long path through the vegetation.", "levelled", False),  # a rare verb
    ("The art is evidence of the and endowments of the nation.", "and", True),
])
def test_unlikely_in_context_on_text(text: str, word: str, shown: bool) -> None:
    from detector.features import ngram
    from detector.features.view import ParagraphView

    _, reasons = ngram.compute(ParagraphView(text, 0))
    named = [text[r.start:r.end] for r in reasons if r.code == "lm.unlikely_in_context"]
    assert (word in named) is shown


def test_a_usual_spelling_is_not_underlined_beside_a_rare_variant() -> None:
    usual = ["Aristotle wrote on logic and on the soul in many books of his later years.",
             "Aristotle taught at the Lyceum, which he founded in Athens after his travels.",
             "Later writers read Aristotle closely and argued with him for many centuries.",
             "Scholars still debate how Aristotle arranged his lectures into the books.",
             "Aristotle also studied animals, and described hundreds of species in detail.",
             "Aristotle died in Chalcis, on the island of Euboea, a year after he fled.",
             "The works of Artistotle were copied by hand for over a thousand years."]
    result = score_document("\n\n".join(usual) + "\n")
    underlined = [i for i, p in enumerate(result.paragraphs)
                  if any(r.code == "doc.name_variant" for r in p.reasons)]
    assert underlined == [6]


def test_seed_002_keeps_its_artefact_reasons(repo_root) -> None:
    text = (repo_root / "seeds" / "002_2c1e469cce9ae44f.txt").read_text(encoding="utf-8")
    shown = {(r.code, text[r.start:r.end]) for p in score_document(text).paragraphs
             for r in p.reasons if r.start is not None}
    for expected in [("art.mangled_date", "5. Martha"), ("art.lowercased_proper_noun", "asian"),
                     ("art.duplicated_phrase", "to grow much to grow much"),
                     ("art.duplicated_phrase", "in February, in February"),
                     ("art.midsentence_capital", "Arrival"), ("doc.name_variant", "Zelenskyy"),
                     ("doc.name_variant", "Kiev")]:
        assert expected in shown, expected
