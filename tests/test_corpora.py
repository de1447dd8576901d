"""Cleaning of the Wikipedia sample used for training: markup goes, captions go
whole, and what is left is running prose."""

from __future__ import annotations

from training.corpora import _NOT_PROSE, _clean_wiki


def test_media_link_with_nested_links_is_removed_whole() -> None:
    raw = ("Before. [[File:Map.png|thumb|A map of [[Paris]] and [[Lyon|its rival]] in 1900]]"
           "After the map, the text goes on.")
    cleaned = _clean_wiki(raw)
    assert "Lyon" not in cleaned and "rival" not in cleaned and "]]" not in cleaned
    assert cleaned.startswith("Before.") and cleaned.endswith("After the map, the text goes on.")


def test_ordinary_links_keep_their_label() -> None:
    assert _clean_wiki("The [[River Seine|Seine]] flows through [[Paris]].") == \
        "The Seine flows through Paris."


def test_not_prose_filter() -> None:
    prose = "The city grew quickly after the railway arrived in 1850."
    assert _NOT_PROSE.search(prose) is None
    assert _NOT_PROSE.search('"It was quick," he said.') is None
    for fragment in (
        "where x_i is the weight of the node.",      # formula symbols
        "E = mc^2 holds for a body at rest.",        # formula
        "and then the second step repeats.",         # starts mid-sentence
        "The list of works includes the following",  # no closing punctuation
        "See also [[Related article]].",             # leftover markup
    ):
        assert _NOT_PROSE.search(fragment) is not None, fragment
