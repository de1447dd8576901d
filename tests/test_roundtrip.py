"""The Apertium round-trip generator of the training recipe (training/roundtrip.py)
and the plans that turn documents into round-tripped copies."""

from __future__ import annotations

import random
import shutil

import pytest

from training.roundtrip import (
    HELD_OUT_PIVOTS,
    TRAINING_PIVOTS,
    ApertiumError,
    RoundTripper,
    clean_output,
    translate,
)
from training.roundtrip_copies import TRAINING_CHAINS, apply_plans, plan_copy

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None,
    reason="apertium is installed by the README's test command (apt-get install apertium ...)")

PARAGRAPHS = [
    "The city council voted on Tuesday to hire more firefighters, Mr Macron said.",
    'Residents of the dog park said "we will not stop" and left.',
    "Prices rose 3% in March & April <again>.",
]


def test_parquote_is_put_back_as_quotes() -> None:
    assert clean_output("He said parquote yes parquote and left.") == 'He said "yes" and left.'
    assert clean_output("parquoteFree will not stop,parquote free river.") == (
        '"Free will not stop," free river.')


def test_spacing_and_entities_are_cleaned() -> None:
    assert clean_output('  stop,"  it said  the Press .  ') == 'stop," it said the Press.'
    assert clean_output("Tom &amp; Jerry") == "Tom & Jerry"


def test_training_chains_never_use_a_held_out_pivot() -> None:
    used = {lang for chain, _ in TRAINING_CHAINS for lang in chain} - {"eng"}
    assert used == set(TRAINING_PIVOTS)
    assert not used & set(HELD_OUT_PIVOTS)


def test_a_chain_must_start_and_end_in_english() -> None:
    tripper = RoundTripper(cache_dir=None)
    with pytest.raises(ValueError, match="starts and ends in English"):
        tripper(["Hello there."], ("eng", "spa"))
    with pytest.raises(ValueError, match="no Apertium mode"):
        tripper(["Hello there."], ("eng", "xyz", "eng"))


def test_missing_apertium_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ApertiumError, match="apt-get install -y apertium apertium-eng-spa"):
        translate(["Hello there."], "eng", "spa")


@needs_apertium
def test_round_trip_keeps_paragraphs_apart_and_changes_them(tmp_path) -> None:
    out = RoundTripper(cache_dir=tmp_path)(PARAGRAPHS, ("eng", "spa", "eng"))
    assert len(out) == len(PARAGRAPHS)
    assert out[0] != PARAGRAPHS[0]
    assert "Macron" in out[0]
    assert "<again>" in out[2] and "&" in out[2]   # markup in the text survives as text
    assert out[1].count('"') == 2
    assert all("  " not in text and "*" not in text for text in out)


@needs_apertium
def test_round_trips_are_cached_per_chain(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = RoundTripper(cache_dir=tmp_path)(PARAGRAPHS, ("eng", "spa", "eng"))
    assert (tmp_path / "eng-spa-eng.jsonl.gz").exists()
    monkeypatch.setenv("PATH", "/nonexistent")   # the engine is gone: the cache answers
    again = RoundTripper(cache_dir=tmp_path)(list(reversed(PARAGRAPHS)), ("eng", "spa", "eng"))
    assert again == list(reversed(first))
    with pytest.raises(ApertiumError):
        RoundTripper(cache_dir=tmp_path)(["A new sentence nobody sent."], ("eng", "spa", "eng"))


def test_plans_are_seeded_and_always_translate_something() -> None:
    plans = [plan_copy(6, random.Random(seed)) for seed in range(50)]
    assert plans == [plan_copy(6, random.Random(seed)) for seed in range(50)]
    assert all("trip" in plan.actions for plan in plans)
    assert {a for plan in plans for a in plan.actions} == {"trip", "keep", "spin"}
    assert {plan.chain for plan in plans} == {chain for chain, _ in TRAINING_CHAINS}


def test_apply_plans_sends_each_chain_once() -> None:
    calls = []

    def fake(texts, chain):  # type: ignore[no-untyped-def]
        calls.append(tuple(chain))
        return [f"{'-'.join(chain)}: {t}" for t in texts]

    documents = [["one.", "two."], ["three."], ["four.", "five."]]
    plans = [plan_copy(len(d), random.Random(n)) for n, d in enumerate(documents)]
    copies = apply_plans(documents, plans, fake, random.Random(0), {})  # type: ignore[arg-type]
    assert sorted(calls) == sorted(set(calls))
    for doc, plan, copy in zip(documents, plans, copies):
        for original, action, text in zip(doc, plan.actions, copy):
            if action == "trip":
                assert text == f"{'-'.join(plan.chain)}: {original}"
            elif action == "keep":
                assert text == original
