"""Readers for the corpora the training recipe uses, as documents (lists of paragraphs).

- JSON Lines (optionally gzipped): the WMT dev data in ../shared/data/dev.
- The Lee news corpus and the English Wikipedia sample shipped in gensim's
  test data (human-written English; install with ``pip install -e '.[train]'``).
"""

from __future__ import annotations

import bz2
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from detector.io.jsonl import iter_objects

__all__ = ["NOT_PROSE", "clean_wiki", "read_jsonl", "lee_documents", "wiki_documents",
           "split_into_paragraphs", "wmt_original_documents"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """Records of a ``.jsonl`` or ``.jsonl.gz`` file (``detector.io.jsonl``'s reader,
    whose errors name the file and line)."""
    for _, record in iter_objects(Path(path)):
        yield record


def _gensim_test_data(name: str) -> Path:
    try:
        import gensim
    except ImportError:
        raise RuntimeError(
            "the training corpora come from gensim's test data: pip install -e '.[train]'"
        ) from None
    path = Path(gensim.__file__).parent / "test" / "test_data" / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing from the installed gensim package")
    return path


def split_into_paragraphs(text: str, sentences_per_paragraph: int = 4) -> list[str]:
    """Cut a long text into paragraphs of a few sentences (deterministic)."""
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    paragraphs = []
    for i in range(0, len(sentences), sentences_per_paragraph):
        paragraphs.append(" ".join(sentences[i:i + sentences_per_paragraph]))
    if len(paragraphs) > 1 and len(paragraphs[-1].split()) < 12:
        last = paragraphs.pop()
        paragraphs[-1] = f"{paragraphs[-1]} {last}"
    return paragraphs


@lru_cache(maxsize=1)
def _lee() -> tuple[tuple[str, ...], ...]:
    documents: dict[tuple[str, ...], None] = {}
    for name in ("lee_background.cor", "lee.cor"):
        text = _gensim_test_data(name).read_text(encoding="latin-1")
        for line in text.splitlines():
            paragraphs = split_into_paragraphs(line, 3)
            if paragraphs:
                # lee.cor repeats some lee_background.cor articles: one copy
                # each, or a held-out article could also be trained on.
                documents.setdefault(tuple(paragraphs))
    return tuple(documents)


def lee_documents() -> list[list[str]]:
    """The Lee news corpus (about 350 Australian news articles, 2001), as documents
    of three-sentence paragraphs."""
    return [list(doc) for doc in _lee()]


_MARKUP = [
    (re.compile(r"<ref[^>]*/>|<ref.*?</ref>", re.S), " "),
    (re.compile(r"\{\{[^{}]*\}\}"), " "),
    (re.compile(r"\[\[(?:File|Image|Category):[^\]]*\]\]", re.I), " "),
    (re.compile(r"\[\[[^\]|]*\|([^\]]*)\]\]"), r"\1"),
    (re.compile(r"\[\[([^\]]*)\]\]"), r"\1"),
    (re.compile(r"\[https?://\S+ ([^\]]*)\]"), r"\1"),
    (re.compile(r"'{2,}"), ""),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"&nbsp;|&[a-z]+;"), " "),
]


_MEDIA_LINK = re.compile(r"\[\[(?:File|Image):", re.I)


def _drop_media_links(text: str) -> str:
    """Remove ``[[File:...]]`` / ``[[Image:...]]`` links whole: their captions hold
    nested ``[[links]]``, so a regex would cut them at the first ``]]`` and leave
    caption fragments glued to the next paragraph."""
    out = []
    position = 0
    while (match := _MEDIA_LINK.search(text, position)) is not None:
        out.append(text[position:match.start()])
        depth, i = 0, match.start()
        while i < len(text):
            if text.startswith("[[", i):
                depth, i = depth + 1, i + 2
            elif text.startswith("]]", i):
                depth, i = depth - 1, i + 2
                if depth == 0:
                    break
            else:
                i += 1
        position = i
    out.append(text[position:])
    return " ".join(out)


# Not running prose: formulas, algorithm steps, fragments that start mid-sentence.
NOT_PROSE = re.compile(r"\\|[{}=_^]|\]\]|\[\[|^[^A-Z0-9\"“(]|[^.!?\"”)]$")


def clean_wiki(text: str) -> str:
    """Wikipedia markup as plain text: media links (captions too) and
    templates removed, other links by their label."""
    text = _drop_media_links(text)
    for _ in range(3):  # nested templates
        text = re.sub(r"\{\{[^{}]*\}\}", " ", text)
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return re.sub(r"[ \t]+", " ", text)


@lru_cache(maxsize=1)
def _wiki() -> tuple[tuple[str, ...], ...]:
    import html

    raw = bz2.open(
        _gensim_test_data("enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"),
        "rt", encoding="utf-8",
    ).read()
    documents = []
    for match in re.finditer(r"<text[^>]*>(.*?)</text>", raw, re.S):
        body = html.unescape(match.group(1))
        if body.lstrip().lower().startswith("#redirect"):
            continue
        paragraphs = []
        for block in clean_wiki(body).split("\n"):
            block = block.strip()
            if not block or block[0] in "=*#:;|!{}" or block.startswith("("):
                continue
            if len(block.split()) < 25 or "|" in block or "http" in block:
                continue
            block = re.sub(r"\s+([,.;:])", r"\1", block)
            block = re.sub(r"\(\s*[,;]?\s*\)", "", block).strip()
            if NOT_PROSE.search(block):
                continue
            paragraphs.append(block)
        if len(paragraphs) >= 2:
            documents.append(tuple(paragraphs))
    return tuple(documents)


def wiki_documents(limit: int | None = None) -> list[list[str]]:
    """Prose paragraphs (25+ words, markup and media captions stripped, no formulas
    or fragments) of the English Wikipedia sample."""
    documents = [list(doc) for doc in _wiki()]
    return documents if limit is None else documents[:limit]


def wmt_original_documents(path: str | Path, chunks_per_document: int = 4) -> list[tuple[str, list[str]]]:
    """Original English of a WMT test set (``wmt2X_en_original_para.jsonl.gz``) as
    (key, paragraphs) pseudo-documents of consecutive chunks of one language
    pair. The chunks carry no document ids; consecutive chunks mostly come from
    one article, which is as close to a document as the data allows."""
    by_pair: dict[str, list[dict]] = {}
    for record in read_jsonl(path):
        if str(record.get("text", "")).strip():
            by_pair.setdefault(str(record.get("lang_pair")), []).append(record)
    year = Path(path).name[3:5]
    documents = []
    for pair, records in sorted(by_pair.items()):
        records.sort(key=lambda r: _first_segment(str(r.get("id", ""))))
        for n, start in enumerate(range(0, len(records), chunks_per_document)):
            chunk = records[start:start + chunks_per_document]
            documents.append((f"orig{year}:{pair}:{n}", [r["text"].strip() for r in chunk]))
    return documents


def _first_segment(record_id: str) -> int:
    """The first segment number of an id such as ``wmt21:en-cs:src:1-3``."""
    match = re.search(r":(\d+)-\d+$", record_id)
    return int(match.group(1)) if match else 0
