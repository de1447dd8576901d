"""Real machine-translation round trips with Apertium (training and measuring only).

English goes to a pivot language and back with Debian's rule-based Apertium
engine (``apertium -u -f html-noent``): one process per batch and direction,
each paragraph in its own ``<p>`` so paragraphs stay apart, ``-u`` so unknown
words carry no ``*`` marks. Its output is literal in the way cheap content-farm
round trips are ("Gentleman Macron", "park of dog", "masks of the face").

Pivots: Spanish and Catalan (``TRAINING_PIVOTS``) feed the training recipe;
Galician, Esperanto and Serbo-Croatian (``HELD_OUT_PIVOTS``) are for
measuring only, never for training. A *chain* is a path of languages that
starts and ends in English: ``("eng", "spa", "eng")`` is one round trip,
``("eng", "spa", "cat", "eng")`` goes through both pivots.

Engine bugs that are not translation are undone, so a model cannot learn
them and a benchmark does not measure them: ``apertium-eng-hbs`` writes a
straight double quote as the word ``parquote``, and the HTML mode leaves
runs of spaces where it dropped a word.

Results are cached per chain under ``.cache/roundtrip/`` (ignored by git):
the engine is deterministic, so a rebuild reuses every paragraph it has seen.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Sequence

from .corpora import read_jsonl

__all__ = [
    "CACHE_DIR",
    "HELD_OUT_PIVOTS",
    "TRAINING_PIVOTS",
    "ApertiumError",
    "RoundTripper",
    "chain_name",
    "clean_output",
    "translate",
]

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "roundtrip"

TRAINING_PIVOTS = ("spa", "cat")
HELD_OUT_PIVOTS = ("glg", "epo", "hbs")

# (from, to) -> Apertium mode, and the Debian package that installs it.
MODES: dict[tuple[str, str], tuple[str, str]] = {
    ("eng", "spa"): ("eng-spa", "apertium-eng-spa"),
    ("spa", "eng"): ("spa-eng", "apertium-eng-spa"),
    ("eng", "cat"): ("eng-cat", "apertium-eng-cat"),
    ("cat", "eng"): ("cat-eng", "apertium-eng-cat"),
    ("spa", "cat"): ("spa-cat", "apertium-spa-cat"),
    ("cat", "spa"): ("cat-spa", "apertium-spa-cat"),
    ("eng", "glg"): ("en-gl", "apertium-en-gl"),
    ("glg", "eng"): ("gl-en", "apertium-en-gl"),
    ("eng", "epo"): ("en-eo", "apertium-eo-en"),
    ("epo", "eng"): ("eo-en", "apertium-eo-en"),
    ("eng", "hbs"): ("eng-hbs", "apertium-hbs-eng"),
    ("hbs", "eng"): ("hbs-eng", "apertium-hbs-eng"),
}

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_PARQUOTE = re.compile(r"\s*parquote\s*", re.I)
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_SPACE_BEFORE = re.compile(r" +([,.;:!?])")
# Paragraphs per engine call: large enough to amortise start-up, small enough
# that a failure costs little.
BATCH = 200


class ApertiumError(RuntimeError):
    """Apertium is missing, a language pair is not installed, or the engine failed."""


def chain_name(chain: Sequence[str]) -> str:
    """'eng-spa-eng' for ("eng", "spa", "eng")."""
    return "-".join(chain)


def _check_chain(chain: Sequence[str]) -> None:
    if len(chain) < 3 or chain[0] != "eng" or chain[-1] != "eng":
        raise ValueError(f"a round trip starts and ends in English: {chain_name(chain)}")
    for step in zip(chain, chain[1:]):
        if step not in MODES:
            raise ValueError(f"no Apertium mode for {step[0]} -> {step[1]}")


def _fix_quotes(text: str) -> str:
    """Put back the double quotes apertium-eng-hbs writes as 'parquote': an
    opening quote before a word, a closing one after it."""
    out: list[str] = []
    position = 0
    opening = True
    for match in _PARQUOTE.finditer(text):
        out.append(text[position:match.start()])
        before = " " if match.start() > 0 and text[match.start() - 1] != " " and opening else ""
        after = " " if not opening and match.end() < len(text) else ""
        out.append(f'{before}"' if opening else f'"{after}')
        opening = not opening
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def clean_output(text: str) -> str:
    """Undo engine formatting bugs in one translated paragraph: 'parquote' for
    a double quote, runs of spaces, a space before punctuation."""
    text = html.unescape(text)
    if "parquote" in text.lower():
        text = _fix_quotes(text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    return text.strip()


def translate(paragraphs: Sequence[str], source: str, target: str) -> list[str]:
    """One Apertium step over paragraphs, one engine process per batch."""
    if (source, target) not in MODES:
        raise ValueError(f"no Apertium mode for {source} -> {target}")
    mode, package = MODES[(source, target)]
    if shutil.which("apertium") is None:
        raise ApertiumError(
            "apertium is not installed: apt-get install -y apertium " + package)
    out: list[str] = []
    for start in range(0, len(paragraphs), BATCH):
        batch = [" ".join(p.split()) for p in paragraphs[start:start + BATCH]]
        document = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in batch)
        done = subprocess.run(["apertium", "-u", "-f", "html-noent", mode], input=document,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ApertiumError(
                f"apertium {mode} failed ({done.stderr.strip()[:200]}); is {package} "
                f"installed? apt-get install -y {package}")
        found = _PARAGRAPH.findall(done.stdout)
        if len(found) != len(batch):
            raise ApertiumError(
                f"apertium {mode} returned {len(found)} paragraphs for {len(batch)}")
        out.extend(clean_output(p) for p in found)
    return out


class RoundTripper:
    """Round trips through chains of Apertium languages, cached per chain.

    ``cache_dir=None`` keeps nothing on disk.
    """

    def __init__(self, cache_dir: Path | None = CACHE_DIR) -> None:
        self.cache_dir = cache_dir
        self._memory: dict[str, dict[str, str]] = {}

    def _cache_file(self, name: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{name}.jsonl.gz"

    def _cached(self, name: str) -> dict[str, str]:
        if name not in self._memory:
            table: dict[str, str] = {}
            path = self._cache_file(name)
            if path is not None and path.exists():
                for record in read_jsonl(path):
                    table[record["key"]] = record["text"]
            self._memory[name] = table
        return self._memory[name]

    def _store(self, name: str, new: dict[str, str]) -> None:
        path = self._cache_file(name)
        if path is None or not new:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps({"key": key, "text": text}, ensure_ascii=False) + "\n"
                        for key, text in new.items())
        # gzip members concatenate: appending a member keeps the file readable.
        # One write of the whole member, so builds running side by side cannot
        # interleave their members.
        member = gzip.compress(lines.encode("utf-8"))
        with open(path, "ab") as handle:
            handle.write(member)

    def __call__(self, paragraphs: Sequence[str], chain: Sequence[str]) -> list[str]:
        """Each paragraph taken along ``chain`` (English -> pivot(s) -> English)."""
        _check_chain(chain)
        name = chain_name(chain)
        table = self._cached(name)
        keys = [hashlib.sha256(p.encode("utf-8")).hexdigest()[:24] for p in paragraphs]
        missing = list(dict.fromkeys(k for k in keys if k not in table))
        if missing:
            todo = [paragraphs[keys.index(k)] for k in missing]
            for source, target in zip(chain, chain[1:]):
                todo = translate(todo, source, target)
            new = dict(zip(missing, todo))
            table.update(new)
            self._store(name, new)
        return [table[k] for k in keys]
