"""The training simulators: spinning keeps names, numbers and quotes; MT noise
changes text the way seed 002 was changed; both are reproducible with a seed.

A tiny in-test thesaurus stands in for mythes-en-us, which only training needs.
"""

from __future__ import annotations

import random
import re

import pytest

from training.manglers import MT_KINDS, load_thesaurus, mangle_document, mt_noise, spin

THESAURUS = {
    "talks": ("conversations",),
    "meeting": ("assembly",),
    "important": ("crucial",),
    "officials": ("functionaries",),
    "country": ("land",),
    "force": ("power",),
    "discuss/verb": ("talk",),
    "join/verb": ("connect",),
}

TEXT = (
    "Military officials from 30 countries joined talks in Paris on Tuesday. "
    "The meeting was important, Sebastien Lecornu said. "
    '"The force will protect the country," he added on March 5.'
)


def test_spin_is_reproducible_with_a_seed():
    assert spin(TEXT, random.Random(3), 1.0, THESAURUS) == spin(TEXT, random.Random(3), 1.0, THESAURUS)


def test_spin_replaces_words_but_keeps_names_numbers_and_quotes():
    spun = spin(TEXT, random.Random(0), 1.0, THESAURUS)
    assert spun != TEXT
    assert "conversations" in spun and "assembly" in spun and "crucial" in spun
    assert "connected" in spun  # an inflected form takes an inflected synonym
    for kept in ("Paris", "Tuesday", "Sebastien Lecornu", "30", "March 5"):
        assert kept in spun
    quoted = re.search(r'"[^"]*"', spun)
    assert quoted is not None and quoted.group(0) == '"The force will protect the country,"'


def test_spin_at_rate_zero_is_identity():
    assert spin(TEXT, random.Random(0), 0.0, THESAURUS) == TEXT


@pytest.mark.parametrize("kind", sorted(MT_KINDS))
def test_every_mt_kind_returns_text_or_declines(kind):
    rng = random.Random(1)
    for _ in range(5):
        result = MT_KINDS[kind](TEXT, rng)
        assert result is None or (isinstance(result, str) and result.strip())


def test_mt_noise_changes_text_and_is_reproducible():
    first = mt_noise(TEXT, random.Random(7), 2.0)
    assert first != TEXT
    assert first == mt_noise(TEXT, random.Random(7), 2.0)


def test_mt_noise_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="unknown"):
        mt_noise(TEXT, random.Random(0), 1.0, kinds=["no-such-kind"])


def test_mt_date_kind_mangles_months_as_seed_002_does():
    results = {MT_KINDS["date"](TEXT, random.Random(seed)) for seed in range(20)}
    assert any(r and "5. Martha" in r for r in results)


def test_mangle_document_keeps_paragraph_count_and_marks_changes():
    paragraphs = [TEXT, "A second paragraph about the talks in Paris, which went on for hours.",
                  "A third one, much shorter."]
    out = mangle_document(paragraphs, random.Random(5), THESAURUS)
    assert len(out) == len(paragraphs)
    for (text, changed), original in zip(out, paragraphs):
        assert changed == (text != original)


def test_load_thesaurus_reads_mythes_format(tmp_path):
    path = tmp_path / "th.dat"
    path.write_text(
        "UTF-8\n"
        "talk|2\n"
        "(noun)|conversation|speech (generic term)\n"
        "(verb)|speak|silence (antonym)\n",
        encoding="utf-8",
    )
    thesaurus = load_thesaurus(path)
    assert thesaurus["talk"] == ("conversation", "speech", "speak")
    assert thesaurus["talk/verb"] == ("speak",)


def test_load_thesaurus_missing_file_names_the_package(tmp_path):
    with pytest.raises(FileNotFoundError, match="mythes-en-us"):
        load_thesaurus(tmp_path / "missing.dat")
