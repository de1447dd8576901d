"""Build detector/data/lowercase_words.txt: ``python -m training.build_wordlists``.

The shipped English frequency lists are case-folded, so they cannot tell
'Paris' from 'Arrival'. This counts, in human-written corpora with their case
(the Lee news corpus and the Wikipedia sample in gensim's test data), how
often each word appears mid-sentence in lower case versus capitalised, and
keeps the words that are ordinary lower-case words: a capital on one of them
mid-sentence is an artefact, a capital on anything else may be a name.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .corpora import lee_documents, wiki_documents

OUT = Path(__file__).resolve().parent.parent / "detector" / "data" / "lowercase_words.txt"
_WORD = re.compile(r"(?<![\w'])([A-Za-z][a-z]+)(?![\w'])")
_BOUNDARY = re.compile(r"[.!?:\"(]\s*$")


def count_case(paragraphs: list[str]) -> tuple[Counter, Counter]:
    """Mid-sentence lower-case and capitalised counts per lower-cased word."""
    lower: Counter = Counter()
    upper: Counter = Counter()
    for paragraph in paragraphs:
        for match in _WORD.finditer(paragraph):
            before = paragraph[:match.start()]
            if not before.strip() or _BOUNDARY.search(before):
                continue
            word = match.group(1)
            (upper if word[0].isupper() else lower)[word.lower()] += 1
    return lower, upper


def main() -> None:
    """Write the list, one word per line, sorted."""
    paragraphs = [p for doc in lee_documents() + wiki_documents() for p in doc]
    lower, upper = count_case(paragraphs)
    words = sorted(
        w for w, n in lower.items() if n >= 2 and upper[w] <= 0.2 * (n + upper[w])
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        "# Words seen mid-sentence in lower case at least twice and capitalised at most\n"
        "# 20% of the time in the Lee corpus and Wikipedia sample (gensim test data).\n"
        "# Built by: python -m training.build_wordlists\n" + "\n".join(words) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {len(words)} words to {OUT}")


if __name__ == "__main__":
    main()
