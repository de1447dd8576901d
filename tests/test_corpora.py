"""Cleaning of the Wikipedia sample used for training: markup goes, captions go
whole, and what is left is running prose."""

from __future__ import annotations

from training.corpora import NOT_PROSE, clean_wiki


def test_media_link_with_nested_links_is_removed_whole() -> None:
    raw = ("Before. [[File:Map.png|thumb|A map of [[Paris]] and [[Lyon|its rival]] in 1900]]"
           "After the map, the text goes on.")
    cleaned = clean_wiki(raw)
    assert "Lyon" not in cleaned and "rival" not in cleaned and "]]" not in cleaned
    assert cleaned.startswith("Before.") and cleaned.endswith("After the map, the text goes on.")


def test_ordinary_links_keep_their_label() -> None:
    assert clean_wiki("The [[River Seine|Seine]] flows through [[Paris]].") == \
        "The Seine flows through Paris."


def test_not_prose_filter() -> None:
    prose = "The city grew quickly after the railway arrived in 1850."
    assert NOT_PROSE.search(prose) is None
    assert NOT_PROSE.search('"It was quick," he said.') is None
    for fragment in (
        "where x_i is the weight of the node.",      # formula symbols
        "E = mc^2 holds for a body at rest.",        # formula
        "and then the second step repeats.",         # starts mid-sentence
        "The list of works includes the following",  # no closing punctuation
        "See also [[Related article]].",             # leftover markup
    ):
        assert NOT_PROSE.search(fragment) is not None, fragment


def test_real_mt_and_the_rest_weigh_the_same() -> None:
    from detector.fit.training_matrix import LabelledDocument
    from training.recipe import balance_real_mt

    docs = [
        LabelledDocument(("a", "b"), (0, 0), "g1", "wmt2021:de-en"),
        LabelledDocument(("c", "d"), (1, 1), "g1", "wmt2021:de-en"),
        LabelledDocument(("e", "f", "g"), (0, 0, 0), "lee:1", "lee:human"),
        LabelledDocument(("h", "i", "j"), (1, 1, 1), "lee:1", "lee:simulated"),
        LabelledDocument(("k", "l"), (1, 1), "seed", "seed:002"),
    ]
    balanced = balance_real_mt(docs)
    real = sum(d.weight * len(d.labels) for d in balanced if d.source.startswith("wmt"))
    rest = sum(d.weight * len(d.labels) for d in balanced if not d.source.startswith("wmt"))
    assert real == rest == 8
    assert [d.weight for d in balanced] == [2.0, 2.0, 1.0, 1.0, 1.0]
    assert balance_real_mt(docs[2:]) == docs[2:]


def test_document_weight_must_be_positive() -> None:
    import pytest

    from detector.fit.training_matrix import LabelledDocument

    with pytest.raises(ValueError, match="weight"):
        LabelledDocument(("a",), (0,), "g", "x", weight=0.0)


def test_wmt_original_english_becomes_documents_of_consecutive_chunks(tmp_path) -> None:
    import gzip
    import json

    from training.corpora import wmt_original_documents

    path = tmp_path / "wmt21_en_original_para.jsonl.gz"
    records = [{"id": f"wmt21:{pair}:src:{start}-{start + 2}", "text": f"{pair} chunk {start}.",
                "lang_pair": pair} for pair in ("en-de", "en-cs") for start in (10, 1, 4, 7, 13)]
    records.append({"id": "wmt21:en-de:src:16-18", "text": "  ", "lang_pair": "en-de"})
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)
    documents = wmt_original_documents(path, chunks_per_document=2)
    assert [key for key, _ in documents] == [
        "orig21:en-cs:0", "orig21:en-cs:1", "orig21:en-cs:2",
        "orig21:en-de:0", "orig21:en-de:1", "orig21:en-de:2"]
    assert documents[0][1] == ["en-cs chunk 1.", "en-cs chunk 4."]
    assert documents[2][1] == ["en-cs chunk 13."]


def test_roundtrip_rows_keep_the_main_recipe_apart_from_the_round_trips() -> None:
    import numpy as np

    from training.recipe import native_clean_rows, roundtrip_rows

    sources = np.array(["wmt2021:de-en", "wmt2021:de-en", "lee:human", "lee:simulated",
                        "lee:roundtrip", "orig23:human", "orig23:roundtrip", "ref:roundtrip",
                        "seed:000", "seed:002"], dtype=object)
    labels = np.array([1, 0, 0, 1, 1, 0, 1, 1, 0, 1])
    main, member = roundtrip_rows(sources, labels)
    assert main.tolist() == [True, True, True, True, False, False, False, False, True, True]
    assert member.tolist() == [False, True, True, False, True, True, True, True, False, False]
    assert native_clean_rows(sources).tolist() == [
        False, False, True, False, False, True, False, False, False, False]


def test_a_native_corpus_with_simulated_copies_joins_the_main_rows() -> None:
    import numpy as np

    from training.recipe import roundtrip_rows

    sources = np.array(["orig23:human", "orig23:simulated", "orig23:roundtrip",
                        "orig21:human", "orig21:roundtrip"], dtype=object)
    labels = np.array([0, 1, 1, 0, 1])
    main, member = roundtrip_rows(sources, labels)
    assert main.tolist() == [True, True, False, False, False]
    assert member.tolist() == [True, False, True, True, True]


def test_spin_only_copies_reach_the_spin_member_alone() -> None:
    import numpy as np

    from training.recipe import roundtrip_rows, spin_rows

    sources = np.array(["lee:human", "lee:simulated", "lee:roundtrip", "orig23:human",
                        "orig23:spun", "orig23:roundtrip", "wmt2021:de-en", "ref:roundtrip",
                        "seed:002"], dtype=object)
    labels = np.array([0, 1, 1, 0, 1, 1, 1, 1, 1])
    main, member = roundtrip_rows(sources, labels)
    assert main.tolist() == [True, True, False, False, False, False, True, False, True]
    assert member.tolist() == [True, False, True, True, False, True, False, True, False]
    assert spin_rows(sources).tolist() == [True, True, False, True, True, False, False,
                                           False, False]


def test_build_default_refuses_an_unknown_spin_original_corpus() -> None:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "training.build_default", "--spin-original",
                          "lee", "-o", "/nonexistent/x.skops"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "--spin-original takes orig21, orig23; got 'lee'" in run.stderr
    assert "Traceback" not in run.stderr


def test_spin_member_copies_sit_in_their_originals_groups(monkeypatch) -> None:
    import training.manglers
    from training import corpora
    from training import recipe as recipe_module
    from training.recipe import Recipe, build_documents, is_held_out

    text = ("Military officials from 30 countries joined talks in Paris on Tuesday. "
            "The meeting was important, the minister said.")
    keys = [f"orig23:en-de:{i}" for i in range(40)]
    native = {"lee": [("lee:0", [text])], "orig21": [],
              "orig23": [(key, [text, text]) for key in keys]}
    thesaurus = {"talks": ("conversations",), "meeting": ("assembly",),
                 "important": ("crucial",), "officials": ("functionaries",)}
    monkeypatch.setattr(recipe_module, "native_corpora", lambda recipe: native)
    monkeypatch.setattr(training.manglers, "load_thesaurus", lambda: thesaurus)
    # No WMT years, seeds or round trips, and no Lee or Wikipedia for the main
    # stages: what build_documents returns is the spin member's documents.
    monkeypatch.setattr(corpora, "lee_documents", lambda: [])
    monkeypatch.setattr(corpora, "wiki_documents", lambda limit=None: [])
    only = {"years": (), "include_seeds": False, "roundtrip": False}
    copies = build_documents(Recipe(**only))
    originals = {d.group: d for d in copies if d.source == "orig23:human"}
    spun = [d for d in copies if d.source == "orig23:spun"]
    assert {d.group for d in originals.values()} == {
        f"orig:{key}" for key in keys if not is_held_out(key)}
    assert spun and all(d.group in originals and all(d.labels) for d in spun)
    assert all(not any(d.labels) for d in originals.values())
    assert sorted({d.source for d in copies}) == ["orig23:human", "orig23:spun"]
    # The main stages' corpora (Lee) and a corpus they see are not copied for it.
    given = build_documents(Recipe(spin_original=("orig23",), **only))
    assert {d.source for d in given} == {"orig23:human", "orig23:simulated"}
