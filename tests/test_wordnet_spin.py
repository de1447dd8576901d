"""The held-out WordNet spinner: the loader reads the WordNet 3.0 file format, the
spinner replaces words and phrases, re-inflects, keeps case, names, quotes and
numbers, and is reproducible. A tiny WordNet written in the real format stands in
for Debian's wordnet-base, except in the one test on the real files.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.wordnet_spin import WordNet, load_wordnet, wordnet_spin, wordnet_spin_document

HEADER = (
    "  1 This software and database is being provided to you, the LICENSEE, by  \n"
    "  2 Princeton University under the following license.  By obtaining, using  \n"
    "  3   \n"
)
FILES = {
    "data.noun": [
        "02958343 06 n 02 car 0 auto 0 001 @ 03791235 n 0000 | a motor vehicle; \"he needs a car\"",
        "03791235 06 n 02 motor_vehicle 0 automotive_vehicle 0 000 | a self-propelled vehicle",
        "09917593 18 n 02 child 0 kid 0 000 | a young person",
        "01855672 05 n 02 goose 0 honker 0 000 | web-footed bird",
        "07283608 11 n 0a event 0 case 0 instance 0 occurrence 0 happening 0 incident 0 "
        "episode 0 affair 0 matter 0 natural_event 0 001 @ 00029378 n 0000 | something that happens",
        "13449450 19 n 02 climate_change 0 global_climate_change 0 000 | a change in climate",
        "11111111 18 n 02 Paris 0 City_of_Light 0 000 | the capital of France",
    ],
    "data.verb": [
        "02409430 41 v 03 hire 0 engage 1 employ 0 001 + 13968092 n 0302 | hire someone",
        "01525666 38 v 02 run 0 operate 0 000 | direct or control",
        "00789156 31 v 02 look_into 0 investigate 0 000 | investigate scientifically",
        "02530167 41 v 02 attempt 0 try 0 000 | make an effort",
    ],
    "data.adj": [
        "01382086 00 a 03 big(a) 0 large(p) 0 galore(ip) 0 000 | above average in size",
    ],
    "data.adv": [
        "00047903 02 r 03 ultimately 1 finally 0 in_the_end 0 000 | as the end result",
        "00011093 02 r 02 well 0 good 0 000 | in a good manner",
    ],
}
EXCEPTIONS = {
    "noun.exc": ["children child", "geese goose"],
    "verb.exc": ["ran run", "running run", "tried try"],
}
TEXT = 'The driver met Mr Car in Paris and bought 30 cars. "The cars are old," he said.'


def write_wordnet(root: Path, index_noun: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, lines in FILES.items():
        (root / name).write_text(HEADER + "".join(line + "  \n" for line in lines))
    for name, lines in EXCEPTIONS.items():
        (root / name).write_text("".join(line + "\n" for line in lines))
    if index_noun is not None:
        (root / "index.noun").write_text(HEADER + index_noun)
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> WordNet:
    return load_wordnet(write_wordnet(tmp_path_factory.mktemp("wordnet")))


def spin(text: str, wordnet: WordNet, seed: int = 0, rate: float = 1.0,
         phrase_rate: float = 0.0) -> str:
    return wordnet_spin(text, random.Random(seed), rate, wordnet, phrase_rate)


def test_loader_reads_lemmas_multiword_markers_and_exceptions(tiny: WordNet) -> None:
    assert tiny.senses("car", "noun") == (("car", "auto"),)
    assert ("motor vehicle", "automotive vehicle") in tiny.senses("motor vehicle", "noun")
    assert tiny.senses("big", "adj") == (("big", "large", "galore"),)
    assert tiny.senses("large", "adj") and not tiny.senses("large(p)", "adj")
    # w_cnt is hexadecimal: 0a is ten lemmas, and the pointer count is not one
    assert tiny.senses("natural event", "noun")[0][-1] == "natural event"
    assert len(tiny.senses("event", "noun")[0]) == 10
    assert tiny.senses("paris", "noun")[0][0] == "Paris"  # keyed lower-case, kept as written
    assert tiny.senses("look into", "verb") and tiny.senses("in the end", "adv")
    assert tiny.exceptions["verb"]["ran"] == ("run",)
    assert tiny.exceptions["noun"]["geese"] == ("goose",)
    assert tiny.irregular["noun"]["child"] == ("children",)
    assert not tiny.senses("this software", "noun")  # the licence header is skipped


def test_index_file_sets_the_sense_order(tmp_path: Path) -> None:
    # In the data file "motor vehicle" comes after "car"; an index can reorder.
    index = "car n 2 1 @ 2 0 03791235 02958343  \n"
    wordnet = load_wordnet(write_wordnet(tmp_path, index_noun=index))
    assert wordnet.senses("car", "noun")[0] == ("motor vehicle", "automotive vehicle")
    assert not wordnet.senses("child", "noun")  # the index lists every lemma it knows


def test_missing_wordnet_names_the_debian_package(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="apt-get install wordnet-base"):
        load_wordnet(tmp_path / "absent")


def test_replaces_a_word_and_reinflects_the_plural(tiny: WordNet) -> None:
    assert spin("Dealers sold three cars yesterday.", tiny) == "Dealers sold three autos yesterday."
    assert spin("The kids played.", tiny) == "The children played."  # irregular, listed
    assert spin("The geese flew.", tiny) == "The honkers flew."  # lemma via noun.exc


def test_reinflects_verbs(tiny: WordNet) -> None:
    assert spin("The firm ran the plant.", tiny) == "The firm operated the plant."
    assert spin("She attempted it.", tiny) == "She tried it."  # y -> ied, via verb.exc
    assert spin("She operates it.", tiny) == "She runs it."
    assert spin("It was operating.", tiny) == "It was running."  # doubling, via verb.exc
    assert spin("We hired staff.", tiny) in ("We engaged staff.", "We employed staff.")
    assert spin("We are hiring.", tiny) in ("We are engaging.", "We are employing.")


def test_keeps_case(tiny: WordNet) -> None:
    assert spin("Car sales rose.", tiny) == "Auto sales rose."
    assert spin("CARS ARE GREAT.", tiny) == "AUTOS ARE GREAT."


def test_keeps_names_quotes_numbers_and_function_words(tiny: WordNet) -> None:
    spun = spin(TEXT, tiny)
    assert spun == 'The driver met Mr Car in Paris and bought 30 autos. "The cars are old," he said.'
    curly = "He bought cars. \u201cThe cars ran well,\u201d he said of car2 and 4cars."
    assert spin(curly, tiny) == "He bought autos. \u201cThe cars ran well,\u201d he said of car2 and 4cars."
    assert spin("They did well.", tiny) == "They did well."  # "well" is a function word


def test_replaces_multiword_expressions(tiny: WordNet) -> None:
    assert spin("They will look into the matter.", tiny, rate=0.0, phrase_rate=1.0) == (
        "They will investigate the matter.")
    assert spin("She looked into it.", tiny, rate=0.0, phrase_rate=1.0) == "She investigated it."
    assert spin("In the end it worked.", tiny, rate=0.0, phrase_rate=1.0) in (
        "Ultimately it worked.", "Finally it worked.")
    # a multi-word synonym replaces the phrase, inflected on its head noun
    assert spin("Climate changes matter.", tiny, rate=0.0, phrase_rate=1.0) == (
        "Global climate changes matter.")


def test_word_level_may_produce_multiword_synonyms(tiny: WordNet) -> None:
    spun = {spin("An occurrence.", tiny, seed=s) for s in range(40)}
    assert "An natural event." in spun and len(spun) > 3


def test_is_deterministic_for_a_seed(tiny: WordNet) -> None:
    text = "We hired staff who looked into the event, as an incident occurred."
    runs = {spin(text, tiny, seed=7, rate=0.7, phrase_rate=0.5) for _ in range(3)}
    assert len(runs) == 1
    assert len({spin(text, tiny, seed=s, rate=0.7, phrase_rate=0.5) for s in range(10)}) > 1


def test_rate_zero_is_identity(tiny: WordNet) -> None:
    assert spin(TEXT, tiny, rate=0.0, phrase_rate=0.0) == TEXT
    assert spin("Look into the cars.", tiny, rate=0.0, phrase_rate=0.0) == "Look into the cars."
    # word rate 0 leaves words alone even when phrases are spun
    assert all(spin("The kids ran cars.", tiny, seed=s, rate=0.0, phrase_rate=1.0)
               == "The kids ran cars." for s in range(200))


def test_document_spins_every_paragraph(tiny: WordNet) -> None:
    paragraphs = ["A car.", "Two kids ran.", "An event.", "Nothing here.", TEXT]
    spun = wordnet_spin_document(paragraphs, random.Random(3), tiny)
    assert len(spun) == len(paragraphs)
    for before, after in zip(paragraphs, spun):
        assert (after == before) == (before == "Nothing here.")  # nothing to spin there
    assert spun == wordnet_spin_document(paragraphs, random.Random(3), tiny)


WORDS = ["cars", "Car", "CARS", "look", "into", "in", "the", "end", "ran", "kids", "Paris",
         "30", '"', "\u201c", "\u201d", " ", "  ", "\n", ".", ",", "-", "'", "occurrence", "éclair"]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), st.lists(st.sampled_from(WORDS)).map("".join)),
       seed=st.integers(0, 2**32), rate=st.floats(0, 1), phrase_rate=st.floats(0, 1))
def test_never_raises_and_rate_zero_is_identity(
        tiny: WordNet, text: str, seed: int, rate: float, phrase_rate: float) -> None:
    spun = wordnet_spin(text, random.Random(seed), rate, tiny, phrase_rate)
    assert isinstance(spun, str)
    assert wordnet_spin(text, random.Random(seed), 0.0, tiny, 0.0) == text
    if rate == 0.0 and phrase_rate == 0.0:
        assert spun == text


@pytest.mark.skipif(not Path("/usr/share/wordnet/data.noun").exists(),
                    reason="Debian's wordnet-base is not installed")
def test_real_wordnet_loads_and_spins() -> None:
    start = time.perf_counter()
    wordnet = load_wordnet()
    seconds = time.perf_counter() - start
    nouns = {id(s) for senses in wordnet.synsets["noun"].values() for s in senses}
    assert len(nouns) > 80_000 and len(wordnet.synsets["noun"]) > 80_000
    assert seconds < 30
    assert wordnet.exceptions["noun"]["geese"] == ("goose",)
    text = ("French President Emmanuel Macron said on Monday that 30 countries had agreed "
            "to send troops to help secure a future ceasefire in Ukraine.")
    spun = wordnet_spin(text, random.Random(0), 0.5, wordnet)
    replaced = Counter(re.findall(r"\w+", text)) - Counter(re.findall(r"\w+", spun))
    assert sum(replaced.values()) >= 2, spun
    assert "Macron" in spun and " 30 " in spun and "Ukraine" in spun
