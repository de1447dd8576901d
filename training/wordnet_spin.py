"""A second article spinner, built on WordNet 3.0, for held-out measurement only.

The model is trained on ``training.manglers.spin`` (MyThes, word by word, any
sense). This spinner is held out of training: measuring on it tells whether the
model generalises to spin it has not seen. It works differently: multi-word
WordNet lemmas in the text are replaced first ("look into" -> "investigate"),
then single words by a lemma of one of their first three senses (biased to the
most frequent), multi-word synonyms allowed, re-inflected with WordNet's own
detachment rules and exception lists. Never use it to build training data.

The database is Debian's ``wordnet-base`` (``/usr/share/wordnet``).
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from detector.features.style import STYLE_WORDS
from detector.resources import lowercase_words

__all__ = ["WordNet", "load_wordnet", "wordnet_spin", "wordnet_spin_document"]

POS = ("noun", "verb", "adj", "adv")
Synset = tuple[str, ...]
# Auxiliaries that STYLE_WORDS lacks (shorter ones are never spun anyway).
_STOP = frozenset(STYLE_WORDS) | {"does", "did", "done", "doing", "having", "shall", "cannot"}
_TOKEN = re.compile(r"\w+(?:['\u2019-]\w+)*|\s+|.", re.S)
_REPLACEMENT = re.compile(r"[a-z]+(?:-[a-z]+)*(?: [a-z]+(?:-[a-z]+)*){0,2}")  # no names
_MARKER = re.compile(r"\((?:a|p|ip)\)$")
# WordNet's detachment rules (morphy): suffix, replacement, inflection of the form.
_RULES = {
    "noun": (("ses", "s", "s"), ("xes", "x", "s"), ("zes", "z", "s"), ("ches", "ch", "s"),
             ("shes", "sh", "s"), ("ies", "y", "s"), ("s", "", "s")),
    "verb": (("ies", "y", "s"), ("es", "e", "s"), ("es", "", "s"), ("s", "", "s"),
             ("ed", "e", "ed"), ("ed", "", "ed"), ("ing", "e", "ing"), ("ing", "", "ing")),
}
_SENSE_WEIGHTS = (0.6, 0.25, 0.15)
_PARAGRAPH_FACTORS = (0.6, 1.0, 1.3)


@dataclass(frozen=True)
class WordNet:
    """WordNet in memory. ``synsets[pos][lemma]``: the senses of a lowercase lemma in
    sense order, each a tuple of its lemmas as written (spaces in multi-word ones;
    a synset is one shared tuple). ``exceptions[pos][inflected]``: base forms;
    ``irregular[pos][base]``: the inflected forms the exception files list."""

    synsets: Mapping[str, Mapping[str, tuple[Synset, ...]]]
    exceptions: Mapping[str, Mapping[str, tuple[str, ...]]]
    irregular: Mapping[str, Mapping[str, tuple[str, ...]]]

    def senses(self, lemma: str, pos: str) -> tuple[Synset, ...]:
        """The synsets of ``lemma`` (lowercase, spaces) as ``pos``, most frequent first."""
        return self.synsets.get(pos, {}).get(lemma, ())


def load_wordnet(root: str | Path = "/usr/share/wordnet") -> WordNet:
    """Parse the WordNet 3.0 database files in ``root`` (``data.*``, ``*.exc`` and, for
    sense order, ``index.*`` when present; else data-file order). Raises
    FileNotFoundError naming the Debian package when the files are missing."""
    root = Path(root)
    missing = [f"data.{pos}" for pos in POS if not (root / f"data.{pos}").is_file()]
    if missing:
        raise FileNotFoundError(
            f"WordNet not found in {root} (missing {', '.join(missing)}): "
            "install it with `apt-get install wordnet-base`")
    synsets: dict[str, dict[str, tuple[Synset, ...]]] = {}
    exceptions: dict[str, dict[str, tuple[str, ...]]] = {}
    irregular: dict[str, dict[str, tuple[str, ...]]] = {}
    for pos in POS:
        by_offset: dict[str, Synset] = {}
        in_file_order: dict[str, list[Synset]] = {}
        with (root / f"data.{pos}").open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("  ") or not line.strip():
                    continue  # licence header
                fields = line.split("|", 1)[0].split()
                count = int(fields[3], 16)
                synset = tuple(sys.intern(_MARKER.sub("", word).replace("_", " "))
                               for word in fields[4:4 + 2 * count:2])
                by_offset[fields[0]] = synset
                for word in dict.fromkeys(w.lower() for w in synset):
                    in_file_order.setdefault(word, []).append(synset)
        index = root / f"index.{pos}"
        if index.is_file():
            table: dict[str, tuple[Synset, ...]] = {}
            with index.open(encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    fields = line.split()
                    if line.startswith("  ") or len(fields) < 4:
                        continue
                    offsets = fields[len(fields) - int(fields[2]):]
                    senses = tuple(by_offset[o] for o in offsets if o in by_offset)
                    if senses:
                        table[sys.intern(fields[0].replace("_", " "))] = senses
        else:
            table = {word: tuple(senses) for word, senses in in_file_order.items()}
        synsets[pos] = table
        exceptions[pos], irregular[pos] = _read_exceptions(root / f"{pos}.exc")
    return WordNet(synsets, exceptions, irregular)


def _read_exceptions(
    path: Path,
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    bases: dict[str, tuple[str, ...]] = {}
    forms: dict[str, tuple[str, ...]] = {}
    if path.is_file():
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                words = [w.replace("_", " ") for w in line.split()]
                if len(words) < 2:
                    continue
                bases[words[0]] = tuple(words[1:])
                for base in words[1:]:
                    if base != words[0]:
                        forms[base] = forms.get(base, ()) + (words[0],)
    return bases, forms


def _pos_order(word: str) -> tuple[str, ...]:
    if word.endswith("ly"):
        return ("adv", "adj", "noun", "verb")
    if word.endswith(("ed", "ing")):
        return ("verb", "adj", "noun", "adv")
    return POS


def _analyses(words: list[str], pos: str, wordnet: WordNet) -> list[tuple[str, str]]:
    """(lemma, inflection) readings of ``words`` as ``pos``; the head (first word of
    a verb phrase, last of anything else) may be inflected."""
    table = wordnet.synsets.get(pos, {})
    head = 0 if pos == "verb" else len(words) - 1
    word = words[head]
    bases: list[tuple[str, str]] = [(word, "")]
    if pos in _RULES:
        for base in wordnet.exceptions[pos].get(word, ()):
            kind = "s" if pos == "noun" else (
                "ing" if word.endswith("ing") else "s" if word.endswith("s") else "ed")
            bases.append((base, kind))
        bases += [(word[:-len(suffix)] + new, kind) for suffix, new, kind in _RULES[pos]
                  if word.endswith(suffix) and len(word) > len(suffix) + 1]
    out: dict[str, str] = {}
    for base, kind in bases:
        lemma = " ".join(words[:head] + [base] + words[head + 1:])
        if lemma in table and lemma not in out:
            out[lemma] = kind
    return list(out.items())


def _regular(head: str, kind: str, pos: str) -> str:
    consonant_y = head.endswith("y") and head[-2:-1] not in tuple("aeiou")
    if kind == "s":
        if head.endswith(("s", "x", "z", "ch", "sh")) or (pos == "verb" and head.endswith("o")):
            return head + "es"
        return head[:-1] + "ies" if consonant_y else head + "s"
    if kind == "ed":
        if head.endswith("e"):
            return head + "d"
        return head[:-1] + "ied" if consonant_y else head + "ed"
    if head.endswith("ie"):
        return head[:-2] + "ying"
    if head.endswith("e") and not head.endswith(("ee", "ye", "oe")):
        return head[:-1] + "ing"
    return head + "ing"


def _inflect(lemma: str, kind: str, pos: str, wordnet: WordNet) -> str | None:
    """``lemma`` in inflection ``kind`` ('' base, 's', 'ed', 'ing'); None when irregular."""
    if not kind:
        return lemma
    parts = lemma.split(" ")
    head = 0 if pos == "verb" else len(parts) - 1
    listed = wordnet.irregular.get(pos, {}).get(parts[head], ())
    if pos == "noun" and listed:  # an irregular plural, if only one is listed
        if len(listed) > 1:
            return None
        parts[head] = listed[0]
    elif listed and kind != "s":  # doubling (stopped, stopping) or irregular past (ran)
        form = next((f for f in listed if f.endswith(kind)), None)
        if form is None and kind == "ed":
            return None
        parts[head] = form or _regular(parts[head], kind, pos)
    else:
        parts[head] = _regular(parts[head], kind, pos)
    return " ".join(parts)


def _options(words: list[str], wordnet: WordNet, n_senses: int) -> list[tuple[float, list[str]]]:
    """Replacements for ``words``, grouped per sense (of the first part of speech and
    reading that has any) with the weight of the sense's rank."""
    surface = " ".join(words)
    for pos in _pos_order(words[0]):
        for lemma, kind in _analyses(words, pos, wordnet):
            options = []
            for rank, synset in enumerate(wordnet.senses(lemma, pos)[:n_senses]):
                replacements: list[str] = []
                for other in synset:
                    if other.lower() == lemma or not _REPLACEMENT.fullmatch(other):
                        continue
                    new = _inflect(other, kind, pos, wordnet)
                    if new and new != surface and new not in replacements:
                        replacements.append(new)
                if replacements:
                    options.append((_SENSE_WEIGHTS[rank], replacements))
            if options:
                return options
    return []


def _pick(options: list[tuple[float, list[str]]], rng: random.Random, old: str) -> str:
    replacements = rng.choices([o[1] for o in options], [o[0] for o in options])[0]
    new = rng.choice(replacements)
    if len(old) > 1 and old.isupper():
        return new.upper()
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def _free_words(tokens: list[str], ordinary: frozenset[str]) -> list[bool]:
    """Per token: an ASCII word outside quotes that is not a name (capitalised words
    count as ordinary only at a sentence start, or in capitals, when known lower-case)."""
    free = []
    in_quote, sentence_start = False, True
    for token in tokens:
        if token in ('"', "\u201c", "\u201d"):
            in_quote = not in_quote if token == '"' else token == "\u201c"
        ok = token.isascii() and token.isalpha() and not in_quote and (
            token.islower()
            or (token.lower() in ordinary and (token.isupper() or (
                sentence_start and token[1:].islower()))))
        free.append(ok)
        if token[0].isalnum() or token[0] == "_":
            sentence_start = False
        elif token in ".!?" or "\n" in token:
            sentence_start = True
    return free


def _phrase_at(tokens: list[str], free: list[bool], i: int,
               wordnet: WordNet) -> tuple[int, list[tuple[float, list[str]]]] | None:
    for n in (3, 2):
        end = i + 2 * n - 1
        if end > len(tokens) or not all(free[j] for j in range(i, end, 2)):
            continue
        if not all(tokens[j].isspace() and "\n" not in tokens[j] for j in range(i + 1, end, 2)):
            continue
        words = tokens[i:end:2]
        if not (all(w.islower() for w in words[1:]) or all(w.isupper() for w in words)):
            continue
        lower = [w.lower() for w in words]
        if all(w in _STOP for w in lower):
            continue
        options = _options(lower, wordnet, 3)[:1]  # the first sense with a synonym
        if options:
            return end, options
    return None


def _spin(text: str, rng: random.Random, rate: float, wordnet: WordNet,
          phrase_rate: float, force: bool) -> str:
    tokens = _TOKEN.findall(text)
    free = _free_words(tokens, lowercase_words())
    phrases: dict[int, tuple[int, str]] = {}
    i = 0
    while phrase_rate > 0 and i < len(tokens):
        match = _phrase_at(tokens, free, i, wordnet)
        if match is not None and rng.random() < phrase_rate:
            phrases[i] = (match[0], _pick(match[1], rng, tokens[i]))
            i = match[0]
        else:
            i += 1
    out: list[str] = []
    spinnable: list[tuple[int, list[tuple[float, list[str]]]]] = []
    changed = bool(phrases)
    i = 0
    while i < len(tokens):
        if i in phrases:
            i, new = phrases[i]
            out.append(new)
            continue
        token = tokens[i]
        if free[i] and len(token) >= 3 and token.lower() not in _STOP:
            options = _options([token.lower()], wordnet, 3)
            if options:
                spinnable.append((len(out), options))
                if rate > 0 and rng.random() < rate:
                    token, changed = _pick(options, rng, token), True
        out.append(token)
        i += 1
    if force and not changed and spinnable:
        at, options = rng.choice(spinnable)
        out[at] = _pick(options, rng, out[at])
    return "".join(out)


def wordnet_spin(text: str, rng: random.Random, rate: float, wordnet: WordNet,
                 phrase_rate: float = 0.5) -> str:
    """Spin ``text``: each multi-word WordNet lemma with probability ``phrase_rate``,
    then each spinnable content word with probability ``rate``. Names (capitalised
    mid-sentence), quoted speech, numbers and words with digits are kept."""
    if rate <= 0 and phrase_rate <= 0:
        return text
    return _spin(text, rng, rate, wordnet, phrase_rate, force=False)


def wordnet_spin_document(paragraphs: Sequence[str], rng: random.Random,
                          wordnet: WordNet) -> list[str]:
    """A spun copy of a document as a content farm would make it with this tool: one
    word rate from U(0.25, 0.6) and phrase rate from U(0.3, 0.8) for the document,
    the word rate scaled per paragraph by 0.6, 1.0 or 1.3. Every paragraph with a
    spinnable word is changed."""
    rate = rng.uniform(0.25, 0.6)
    phrase_rate = rng.uniform(0.3, 0.8)
    return [_spin(p, rng, rate * rng.choice(_PARAGRAPH_FACTORS), wordnet, phrase_rate,
                  force=True) for p in paragraphs]
