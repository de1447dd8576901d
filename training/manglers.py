"""Simulators that turn clean English into spun or machine-translated-looking text.

Real spun text exists here only as the seed pair, so these simulators carry
much of the training signal. Each artefact kind seen in seed 002 (see the
catalogue in training/README.md) has its own operation, applied at an uneven
rate: some paragraphs are left untouched, as in 002.

All functions take an explicit ``random.Random``; nothing is global. The
thesaurus is a plain mapping so tests can pass a tiny one; the real one comes
from Debian's ``mythes-en-us`` (training only).
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Callable, Mapping, Sequence

from detector.resources import lowercase_words, word_zipf

__all__ = [
    "MT_KINDS",
    "Thesaurus",
    "load_thesaurus",
    "spin",
    "mt_noise",
    "mangle_document",
]

Thesaurus = Mapping[str, Sequence[str]]
MYTHES = Path("/usr/share/mythes/th_en_US_v2.dat")

_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+|\s+|.", re.S)
_STOP = frozenset(
    "the a an of to in on at for with by from about as into than that which who this these "
    "those it its they them their there is are was were be been being has have had will "
    "would can could should may might must not no and or but if so said says he she we you i "
    "his her our your my me us him do does did also very just more most some any all one".split()
)


def load_thesaurus(path: str | Path = MYTHES) -> dict[str, tuple[str, ...]]:
    """Single-word synonyms per lowercase word from a MyThes file (all senses, in order),
    and per part of speech under ``word/verb``, ``word/noun``, ... Antonyms are dropped. Raises FileNotFoundError naming the Debian package.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found: install the thesaurus with `apt-get install mythes-en-us`"
        )
    out: dict[str, tuple[str, ...]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        handle.readline()  # encoding line
        word = ""
        for line in handle:
            line = line.rstrip("\n")
            if not line.startswith("("):
                word = line.split("|")[0].lower()
                continue
            if not word.isalpha():
                continue
            pos = line[1:line.index(")")] if ")" in line else ""
            synonyms = []
            for item in line.split("|")[1:]:
                if "antonym" in item:
                    continue
                item = re.sub(r"\s*\(.*?\)", "", item).strip().lower()
                if item.isalpha() and item != word:
                    synonyms.append(item)
            for key in (word, f"{word}/{pos}"):
                known = out.get(key, ())
                out[key] = known + tuple(s for s in synonyms if s not in known)
    return out


def _match_case(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[0].isupper():
        return new[0].upper() + new[1:]
    return new


def _inflect(base_synonym: str, suffix: str) -> str:
    if not suffix:
        return base_synonym
    if suffix == "s":
        return base_synonym + ("es" if base_synonym.endswith(("s", "sh", "ch", "x")) else "s")
    if suffix == "ed":
        return base_synonym + ("d" if base_synonym.endswith("e") else "ed")
    if suffix == "ing":
        return (base_synonym[:-1] if base_synonym.endswith("e") else base_synonym) + "ing"
    return base_synonym


def _synonym(word: str, thesaurus: Thesaurus, rng: random.Random) -> str | None:
    lower = word.lower()
    candidates: list[tuple[str, str]] = []
    if lower in thesaurus:
        candidates = [(s, "") for s in thesaurus[lower][:10]]
    else:
        for suffix, stem_options, pos in (
            ("ing", (lower[:-3], lower[:-3] + "e"), "/verb"),
            ("ed", (lower[:-2], lower[:-1]), "/verb"),
            ("s", (lower[:-1], lower[:-2]), "/noun"),
        ):
            if lower.endswith(suffix):
                for stem in stem_options:
                    # An inflected form takes a synonym of the matching part of speech.
                    if stem + pos in thesaurus:
                        candidates = [(s, suffix) for s in thesaurus[stem + pos][:10]]
                        break
            if candidates:
                break
    if not candidates:
        return None
    synonym, suffix = rng.choice(candidates)
    return _match_case(_inflect(synonym, suffix), word)


def spin(text: str, rng: random.Random, rate: float, thesaurus: Thesaurus) -> str:
    """Replace about ``rate`` of the content words with a thesaurus synonym, any sense,
    as article spinners do. Names (capitalised mid-sentence), numbers and quoted
    speech are kept.
    """
    if rate <= 0:
        return text
    pieces = _TOKEN.findall(text)
    in_quote = False
    sentence_start = True
    out = []
    for piece in pieces:
        if piece in ('"', "\u201c", "\u201d"):
            in_quote = not in_quote if piece == '"' else piece == "\u201c"
        is_word = piece[0].isalpha()
        replaced = piece
        # Capitalised words are kept, but for an ordinary word starting a sentence.
        keep_case = piece[0].isupper() and not (
            sentence_start and piece.lower() in lowercase_words())
        if (is_word and not in_quote and len(piece) > 3 and piece.lower() not in _STOP
                and not keep_case and rng.random() < rate):
            replaced = _synonym(piece, thesaurus, rng) or piece
        if is_word or piece.isdigit():
            sentence_start = False
        elif piece in ".!?":
            sentence_start = True
        out.append(replaced)
    return "".join(out)


# ---------------------------------------------------------------- MT noise

_PREPOSITIONS = ["in", "on", "at", "for", "to", "of", "with", "from", "by", "about"]
_AGREEMENT = {"is": "are", "are": "is", "was": "were", "were": "was", "has": "have",
              "have": "has", "does": "do", "do": "does"}
_PRONOUNS = {"he": "it", "it": "he", "she": "he", "they": "it", "his": "its", "its": "his",
             "their": "its", "we": "they", "who": "which", "which": "who"}
_MONTHS = {"January": "Jan", "February": "Februar", "March": "Martha", "April": "Aprile",
           "May": "May", "June": "Juni", "July": "Juli", "August": "August",
           "September": "Septembre", "October": "Oktober", "November": "November",
           "December": "Dezember"}
_VOWELS = "aeiou"
_WORD = re.compile(r"\b[A-Za-z]+\b")


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _replace(text: str, match: re.Match[str] | tuple[int, int], new: str) -> str:
    start, end = (match.start(), match.end()) if isinstance(match, re.Match) else match
    return text[:start] + new + text[end:]


def _mid_sentence(text: str, match: re.Match[str]) -> bool:
    before = text[:match.start()].rstrip()
    return bool(before) and before[-1] not in '.!?"\u201c:'


def _op_capitalise(text: str, rng: random.Random) -> str | None:
    options = [m for m in _words(text) if m.group(0).islower() and len(m.group(0)) > 3
               and _mid_sentence(text, m) and word_zipf(m.group(0)) >= 4.0]
    if not options:
        return None
    m = rng.choice(options)
    return _replace(text, m, m.group(0).capitalize())


def _op_article(text: str, rng: random.Random) -> str | None:
    articles = [m for m in _words(text) if m.group(0) in ("the", "a", "an")]
    if articles and rng.random() < 0.6:
        m = rng.choice(articles)
        return text[:m.start()] + text[m.end():].lstrip(" ")
    nouns = [m for m in _words(text) if m.group(0).islower() and len(m.group(0)) > 4
             and _mid_sentence(text, m) and text[max(0, m.start() - 4):m.start()] != "the "]
    if not nouns:
        return None
    m = rng.choice(nouns)
    return _replace(text, m, "the " + m.group(0))


def _op_preposition(text: str, rng: random.Random) -> str | None:
    options = [m for m in _words(text) if m.group(0) in _PREPOSITIONS]
    if not options:
        return None
    m = rng.choice(options)
    return _replace(text, m, rng.choice([p for p in _PREPOSITIONS if p != m.group(0)]))


def _op_agreement(text: str, rng: random.Random) -> str | None:
    options = [m for m in _words(text) if m.group(0) in _AGREEMENT]
    if not options:
        return None
    m = rng.choice(options)
    return _replace(text, m, _AGREEMENT[m.group(0)])


def _op_literal(text: str, rng: random.Random) -> str | None:
    options = [m for m in _words(text) if m.group(0).endswith("ly") and len(m.group(0)) > 6
               and m.group(0).islower()]
    if options:
        m = rng.choice(options)
        return _replace(text, m, m.group(0)[:-2] if not m.group(0).endswith("ally")
                        else m.group(0)[:-2])
    options = [m for m in _words(text) if m.group(0).endswith("ed") and len(m.group(0)) > 5
               and m.group(0).islower()]
    if not options:
        return None
    m = rng.choice(options)
    return _replace(text, m, m.group(0)[:-2] + ("ing" if rng.random() < 0.5 else "es"))


_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2})\b|\b(\d{1,2}) (" + "|".join(_MONTHS) + r")\b")


def _op_date(text: str, rng: random.Random) -> str | None:
    options = list(_DATE.finditer(text))
    if not options:
        return None
    m = rng.choice(options)
    month = m.group(1) or m.group(4)
    day = m.group(2) or m.group(3)
    month = _MONTHS[month] if rng.random() < 0.5 else month
    return _replace(text, m, f"{day}. {month}")


def _op_name(text: str, rng: random.Random) -> str | None:
    options = [m for m in _words(text) if m.group(0)[0].isupper() and len(m.group(0)) >= 5
               and _mid_sentence(text, m) and word_zipf(m.group(0).lower()) < 4.0]
    if not options:
        return None
    m = rng.choice(options)
    word = m.group(0)
    slots = [i for i in range(1, len(word)) if word[i] in _VOWELS]
    if not slots:
        return None
    i = rng.choice(slots)
    return _replace(text, m, word[:i] + rng.choice([v for v in _VOWELS if v != word[i]]) + word[i + 1:])


def _op_duplicate(text: str, rng: random.Random) -> str | None:
    words = _words(text)
    if len(words) < 6:
        return None
    n = rng.choice([2, 2, 3])
    i = rng.randrange(1, len(words) - n)
    start, end = words[i].start(), words[i + n - 1].end()
    fragment = text[start:end]
    if any(c in fragment for c in '."\u201c\u201d'):
        return None
    return text[:end] + (", " if rng.random() < 0.5 else " ") + fragment + text[end:]


def _op_lowercase_proper(text: str, rng: random.Random) -> str | None:
    options = [m for m in _words(text) if m.group(0)[0].isupper() and m.group(0)[1:].islower()
               and len(m.group(0)) > 3 and _mid_sentence(text, m)]
    if not options:
        return None
    m = rng.choice(options)
    return _replace(text, m, m.group(0).lower())


def _op_reorder(text: str, rng: random.Random) -> str | None:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    k = rng.randrange(len(sentences))
    parts = sentences[k].rstrip(".!?").split(", ")
    if len(parts) < 2:
        return None
    i = rng.randrange(len(parts) - 1)
    parts[i], parts[i + 1] = parts[i + 1], parts[i]
    end = sentences[k][-1] if sentences[k][-1] in ".!?" else ""
    rebuilt = ", ".join(parts)
    sentences[k] = rebuilt[0].upper() + rebuilt[1:] + end
    return " ".join(sentences)


def _op_pronoun(text: str, rng: random.Random) -> str | None:
    options = [m for m in _words(text) if m.group(0).lower() in _PRONOUNS]
    if not options:
        return None
    m = rng.choice(options)
    return _replace(text, m, _match_case(_PRONOUNS[m.group(0).lower()], m.group(0)))


def _op_negation(text: str, rng: random.Random) -> str | None:
    options = list(re.finditer(r"\b(?:do|does|did|is|are|was|were|can|could|would|will)"
                               r"(?:n't| not)\b", text))
    if not options:
        return None
    m = rng.choice(options)
    kept = re.sub(r"n't| not", "", m.group(0))
    if kept in ("do", "does", "did"):
        return text[:m.start()] + text[m.end():].lstrip(" ")
    return _replace(text, m, kept)


def _op_quote(text: str, rng: random.Random) -> str | None:
    quotes = [i for i, c in enumerate(text) if c in '"\u201c\u201d']
    if not quotes:
        return None
    i = rng.choice(quotes)
    char = text[i]
    without = text[:i] + text[i + 1:]
    if rng.random() < 0.5:
        return without
    spaces = [j for j, c in enumerate(without) if c == " "]
    if not spaces:
        return without
    j = rng.choice(spaces)
    return without[:j + 1] + char + without[j + 1:]


def _op_title_case(text: str, rng: random.Random) -> str | None:
    words = _words(text)
    spans = [(words[i], words[i + 1]) for i in range(len(words) - 1)
             if words[i].group(0).islower() and words[i + 1].group(0).islower()
             and len(words[i].group(0)) > 3 and len(words[i + 1].group(0)) > 3
             and _mid_sentence(text, words[i])]
    if not spans:
        return None
    a, b = rng.choice(spans)
    return (text[:a.start()] + a.group(0).capitalize() + text[a.end():b.start()]
            + b.group(0).capitalize() + text[b.end():])


MT_KINDS: dict[str, Callable[[str, random.Random], str | None]] = {
    "capitalise": _op_capitalise,
    "article": _op_article,
    "preposition": _op_preposition,
    "agreement": _op_agreement,
    "literal": _op_literal,
    "date": _op_date,
    "name": _op_name,
    "duplicate": _op_duplicate,
    "lowercase_proper": _op_lowercase_proper,
    "reorder": _op_reorder,
    "pronoun": _op_pronoun,
    "negation": _op_negation,
    "quote": _op_quote,
    "title_case": _op_title_case,
}
# How often each kind is picked, roughly as often as seed 002 shows it.
_WEIGHTS = {"capitalise": 3, "article": 4, "preposition": 4, "agreement": 2, "literal": 2,
            "date": 3, "name": 2, "duplicate": 1, "lowercase_proper": 1, "reorder": 2,
            "pronoun": 2, "negation": 1, "quote": 1, "title_case": 1}


def mt_noise(
    text: str, rng: random.Random, rate: float, kinds: Sequence[str] | None = None
) -> str:
    """Apply about ``rate`` MT-style errors per sentence, each of a kind drawn from
    ``kinds`` (default: all, weighted as seen in seed 002)."""
    if rate <= 0:
        return text
    chosen = list(kinds) if kinds is not None else list(MT_KINDS)
    unknown = [k for k in chosen if k not in MT_KINDS]
    if unknown:
        raise ValueError(f"unknown MT noise kinds: {unknown}")
    weights = [_WEIGHTS[k] for k in chosen]
    n_sentences = max(1, len(re.findall(r"[.!?](?:\s|$)", text)))
    n_ops = sum(1 for _ in range(n_sentences * 3) if rng.random() < rate / 3)
    for _ in range(n_ops):
        kind = rng.choices(chosen, weights)[0]
        result = MT_KINDS[kind](text, rng)
        if result is not None and result.strip():
            text = result
    return text


def mangle_document(
    paragraphs: Sequence[str], rng: random.Random, thesaurus: Thesaurus
) -> list[tuple[str, bool]]:
    """A spun or round-tripped copy of a document: a document-level mode (spin, MT
    noise or both) and intensity, then an uneven rate per paragraph so some
    paragraphs stay untouched. Returns (text, changed) per paragraph."""
    mode = rng.choices(["spin", "mt", "both"], [0.3, 0.35, 0.35])[0]
    intensity = rng.uniform(0.2, 1.0)
    out = []
    for paragraph in paragraphs:
        factor = rng.choices([0.0, 0.4, 1.0, 1.6], [0.15, 0.25, 0.4, 0.2])[0]
        rate = intensity * factor
        text = paragraph
        if mode in ("spin", "both"):
            text = spin(text, rng, 0.3 * rate, thesaurus)
        if mode in ("mt", "both"):
            text = mt_noise(text, rng, 1.2 * rate)
        out.append((text, text != paragraph))
    return out


# ---------------------------------------------------------------- light edits

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\u201c])")


def _typo(text: str, rng: random.Random) -> str | None:
    """One word of four letters or more with one slip: two letters swapped, one
    dropped or one doubled."""
    candidates = [m for m in _words(text) if len(m.group(0)) >= 4]
    if not candidates:
        return None
    match = rng.choice(candidates)
    word = match.group(0)
    k = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        new = word[:k] + word[k + 1] + word[k] + word[k + 2:]
    elif kind == "drop":
        new = word[:k] + word[k + 1:]
    else:
        new = word[:k] + word[k] + word[k:]
    return _replace(text, match, new) if new != word else None


def _add_sentence(text: str, rng: random.Random, pool: Sequence[str]) -> str | None:
    """A sentence from elsewhere added at the start, the end or between two sentences."""
    sentences = [s for p in pool for s in _SENTENCE_SPLIT.split(p) if len(s.split()) >= 5]
    if not sentences:
        return None
    parts = _SENTENCE_SPLIT.split(text)
    parts.insert(rng.randint(0, len(parts)), rng.choice(sentences))
    return " ".join(parts)


def _drop_sentence(text: str, rng: random.Random) -> str | None:
    parts = _SENTENCE_SPLIT.split(text)
    if len(parts) < 2:
        return None
    del parts[rng.randrange(len(parts))]
    return " ".join(parts)


def _one_word(text: str, rng: random.Random, thesaurus: Thesaurus) -> str | None:
    """One content word replaced by a synonym, as an editor might tighten a sentence."""
    candidates = [m for m in _words(text)
                  if len(m.group(0)) > 3 and m.group(0).lower() not in _STOP
                  and not m.group(0)[0].isupper()]
    rng.shuffle(candidates)
    for match in candidates[:5]:
        synonym = _synonym(match.group(0), thesaurus, rng)
        if synonym:
            return _replace(text, match, synonym)
    return None


EDIT_KINDS = ("typo_fixed", "typo_added", "sentence_added", "sentence_dropped", "word_changed")


def light_edit(
    text: str, rng: random.Random, pool: Sequence[str], thesaurus: Thesaurus,
    kinds: Sequence[str] = EDIT_KINDS,
) -> tuple[str, str, str]:
    """One editor's change to a paragraph: returns (original, edited, kind).

    ``typo_fixed`` puts a slip into the *original* and returns the paragraph
    itself as the edit, so the edit is the correction; ``sentence_added`` takes
    a sentence from ``pool`` (other paragraphs on the same topic).
    """
    for _ in range(4):
        kind = rng.choice(list(kinds))
        edited: str | None = None
        if kind == "typo_fixed":
            original = _typo(text, rng)
            if original:
                return original, text, kind
        elif kind == "typo_added":
            edited = _typo(text, rng)
        elif kind == "sentence_added":
            edited = _add_sentence(text, rng, pool)
        elif kind == "sentence_dropped":
            edited = _drop_sentence(text, rng)
        else:
            edited = _one_word(text, rng, thesaurus)
        if edited and edited != text:
            return text, edited, kind
    return text, text, "untouched"


def light_edit_document(
    paragraphs: Sequence[str], rng: random.Random, pool: Sequence[str], thesaurus: Thesaurus
) -> list[tuple[str, str, str]]:
    """A lightly edited copy of a document: one to three of its paragraphs get one
    editor's change each (see :func:`light_edit`), the rest are kept. Returns
    (original, edited, kind) per paragraph."""
    n_edits = min(len(paragraphs), rng.randint(1, 3))
    edited = set(rng.sample(range(len(paragraphs)), n_edits))
    return [light_edit(p, rng, pool, thesaurus) if i in edited else (p, p, "untouched")
            for i, p in enumerate(paragraphs)]


def drift_version(
    paragraphs: Sequence[str], rng: random.Random, pool: Sequence[str], rate: float = 0.4
) -> list[str]:
    """Another version of a story, as a wire article is updated during the day:
    about ``rate`` of the paragraphs lose a sentence or gain one from ``pool``.
    A copy made from this version shares only part of each paragraph with the
    original (seed 002 was made from an earlier version of 000)."""
    out = []
    for paragraph in paragraphs:
        if rng.random() < rate:
            if rng.random() < 0.5:
                paragraph = _drop_sentence(paragraph, rng) or paragraph
            else:
                paragraph = _add_sentence(paragraph, rng, pool) or paragraph
        out.append(paragraph)
    return out
