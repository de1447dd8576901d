"""Reference mode: matching paragraphs to their sources, word alignment, the
reference stage's scores and reasons, and its bad-input behaviour."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL
from model_files import metadata_of
from detector.errors import ModelError
from detector.model.persistence import load_model
from detector.score.document import score_document
from detector.reference.alignment import align_words, words
from detector.errors import ReferenceError
from detector.reference.index import ReferenceIndex, as_reference_index
from detector.reference.order import accept_sources
from detector.io.decode import read_text

FIXTURE = "tests/fixtures/seed_alignment.json"


@pytest.fixture(scope="module")
def default_model(default_model_file):
    return load_model()


@pytest.fixture(scope="module")
def seed_texts(repo_root):
    return read_text(str(repo_root / SEED_CLEAN_REL)), read_text(str(repo_root / SEED_MANGLED_REL))


@pytest.fixture(scope="module")
def seed_result(default_model, seed_texts):
    original, copy = seed_texts
    return score_document(copy, reference={"000": original}, model=default_model)


def _prose(result):
    return [p for p in result.paragraphs if p.score is not None]


# --------------------------------------------------------------------- alignment


def _changes(old: str, new: str):
    source, target = words(old), words(new)
    return align_words(source, target, old, new).changes


@pytest.mark.parametrize("old, new, kind, pair", [
    ("Defence minister Sebastien Lecornu spoke in Paris.",
     "Defence minister Sebastien Lecorno spoke in Paris.", "name", ("Lecornu", "Lecorno")),
    ("He said 34 countries took part.", "He said 32 countries took part.", "number", ("34", "32")),
    ("The meeting on March 5 was short.", "The meeting on 5. Martha was short.", "date",
     ("March", "Martha")),
    ("They will arrive on Tuesday in Paris.", "They will Arrive on Tuesday in Paris.", "case",
     ("arrive", "Arrive")),
    ("The talks in Paris went on.", "The talks at Paris went on.", "function_word", ("in", "at")),
    ("The recieved letter was long.", "The received letter was long.", "spelling",
     ("recieved", "received")),
    ("Diplomats are discussing the plan.", "Diplomats are discussed the plan.", "inflection",
     ("discussing", "discussed")),
    ("Top officials joined the talks.", "Top bosses joined the talks.", "word",
     ("officials", "bosses")),
])
def test_change_kinds(old, new, kind, pair):
    found = [(c.kind, c.old, c.new) for c in _changes(old, new)]
    assert (kind, *pair) in found


def test_name_moved_across_the_paragraph_is_found():
    old = "Talks went on in Paris while officials waited in Kyiv for news."
    new = "In Kiev, officials waited for news while talks went on in Paris."
    assert ("name", "Kyiv", "Kiev") in [(c.kind, c.old, c.new) for c in _changes(old, new)]


def test_case_at_sentence_start_is_not_a_change():
    assert not [c for c in _changes("talks resumed. Then it rained.",
                                     "Talks resumed. then it rained.") if c.kind == "case"]


def test_ops_cover_both_texts_in_order():
    old = "The army chiefs met in Paris on Tuesday to discuss a force."
    new = "Army bosses arrived in Paris on Tuesday for talks on a force, officials said."
    alignment = align_words(words(old), words(new), old, new)
    target_words = [w.text for w in words(new)]
    covered = []
    for op in alignment.ops:
        assert op.op in {"equal", "replace", "insert", "delete"}
        assert op.text == new[op.start:op.end]
        assert op.source_text == old[op.source_start:op.source_end]
        covered.extend(w.text for w in words(op.text))
    assert covered == target_words
    assert alignment.kept + alignment.replaced + alignment.inserted == alignment.n_words


# --------------------------------------------------------------------- index


def test_empty_reference_is_an_error():
    with pytest.raises(ReferenceError, match="no prose paragraph"):
        ReferenceIndex([("empty", "   \n\n")])
    with pytest.raises(ReferenceError):
        ReferenceIndex([])


def test_merged_paragraph_gets_both_sources():
    first = "The council approved the new harbour budget of 40 million euros on Monday evening."
    second = "Work on the northern pier will start in April and last until the autumn of 2027."
    third = "Fishermen in the port have complained about the noise of the dredgers for years."
    index = ReferenceIndex([("orig", "\n\n".join([first, second, third]))])
    merged = first + " " + second
    match = index.match([merged], [0])[0]
    assert match is not None
    assert [s.paragraph for s in match.sources] == [0, 1]


def test_accept_sources_keeps_order(seed_texts):
    original, copy = seed_texts
    index = ReferenceIndex([("000", original)])
    from detector.segment.paragraphs import split_paragraphs

    prose = [s for s in split_paragraphs(copy) if s.skipped is None]
    matches = index.match([s.text for s in prose], [s.start for s in prose])
    sure = [1.0 if m is not None and m.cosine >= 0.6 else 0.0 for m in matches]
    accepted = accept_sources(matches, sure)
    # every confident match is kept; nothing is accepted without a candidate
    assert all(a for a, s in zip(accepted, sure) if s == 1.0)
    assert not any(a for a, m in zip(accepted, matches) if m is None)
    # an accepted weak match lies strictly between the sources of its accepted neighbours
    anchors = [k for k, s in enumerate(sure) if s == 1.0]
    for k, (a, s) in enumerate(zip(accepted, sure)):
        if a and s == 0.0:
            here = matches[k].sources[0].paragraph
            before = [matches[j].sources[-1].paragraph for j in anchors if j < k]
            after = [matches[j].sources[0].paragraph for j in anchors if j > k]
            assert not before or before[-1] < here
            assert not after or here < after[0]


def test_as_reference_index_forms():
    text = "The minister opened the new bridge over the river on Saturday morning."
    assert as_reference_index(text).names == ["reference"]
    assert as_reference_index([text, text]).names == ["reference 1", "reference 2"]
    assert as_reference_index({"a.txt": text}).names == ["a.txt"]
    index = as_reference_index(text)
    assert as_reference_index(index) is index
    with pytest.raises(TypeError):
        as_reference_index([text, 3])  # type: ignore[list-item]


# --------------------------------------------------------------------- seeds


def test_seed_paragraphs_matched_to_the_hand_alignment(seed_result, repo_root):
    fixture = json.loads((repo_root / FIXTURE).read_text(encoding="utf-8"))
    prose = _prose(seed_result)
    assert len(prose) == len(fixture["paragraphs"]) == 25
    right = 0
    for k, paragraph in enumerate(prose):
        expected = fixture["paragraphs"][str(k)]
        found = ({s.paragraph for s in paragraph.alignment.sources}
                 if paragraph.alignment is not None else None)
        accepted = set(expected["sources"] or []) | set(expected.get("partial", []))
        if found is None:
            right += expected["sources"] is None
        else:
            right += bool(found & accepted)
    assert right >= 0.9 * len(prose), f"{right} of {len(prose)} matched as by hand"


def test_seed_002_all_flagged_with_reference(seed_result):
    prose = _prose(seed_result)
    assert all(p.flagged for p in prose)
    assert seed_result.source == "000"
    assert any(r.code == "ref.spun_copy" and "spun copy of 000" in r.message
               for r in seed_result.reasons)


def test_seed_002_first_paragraph_reasons_name_real_changes(seed_result, seed_texts):
    _, copy = seed_texts
    first = _prose(seed_result)[0]
    codes = [r.code for r in first.reasons]
    assert codes[0] == "ref.source"
    assert "000 paragraph 0 (line 1)" in first.reasons[0].message
    renamed = [r for r in first.reasons if r.code == "ref.name_changed"]
    assert renamed and renamed[0].message == "name respelled: 'Kyiv' -> 'Kiev'"
    assert copy[renamed[0].start:renamed[0].end] == "Kiev"
    assert first.alignment is not None and first.alignment.verdict == "spun"


def test_seed_reasons_spans_point_at_the_new_words(seed_result, seed_texts):
    _, copy = seed_texts
    for paragraph in _prose(seed_result):
        for reason in paragraph.reasons:
            if reason.code in ("ref.name_changed", "ref.case_changed", "ref.word_substituted"):
                new = reason.message.split("-> '")[1].split("'")[0]
                assert copy[reason.start:reason.end] == new


def test_seed_000_against_itself_flags_nothing(default_model, seed_texts):
    original, _ = seed_texts
    result = score_document(original, reference={"000": original}, model=default_model)
    prose = _prose(result)
    assert not result.flagged_paragraphs
    assert all(p.reasons[0].code == "ref.copy" for p in prose)
    assert all(p.alignment is not None and p.alignment.verdict == "copy" for p in prose)
    assert any(r.code == "ref.copy" for r in result.reasons)


def test_unrelated_reference_is_no_match(default_model, seed_texts):
    _, copy = seed_texts
    german = ("Der Stadtrat hat am Montag den neuen Haushalt beschlossen. Die Sanierung der "
              "alten Brücke soll im Frühjahr beginnen und zwei Jahre dauern.")
    result = score_document(copy, reference=german, model=default_model)
    assert result.source is None
    assert any(r.code == "ref.no_match" for r in result.reasons)
    assert all(p.alignment is None for p in result.paragraphs)


def test_model_without_reference_stage_says_so(tiny_model):
    with pytest.raises(ModelError, match="no reference stage"):
        score_document("A paragraph of text that is long enough to be scored here.",
                       reference="A paragraph of text that is long enough to be scored.",
                       model=tiny_model)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300), reference=st.text(min_size=1, max_size=300))
def test_reference_mode_never_raises(default_model, text, reference):
    try:
        index = ReferenceIndex([("r", reference)])
    except ReferenceError:
        return  # a reference without prose is refused, clearly
    result = score_document(text, reference=index, model=default_model)
    for paragraph in result.paragraphs:
        assert paragraph.score is None or 0.0 <= paragraph.score <= 1.0
    json.dumps(result.to_dict())


# --------------------------------------------------------------------- model file


@pytest.fixture(scope="module")
def tiny_reference_model(tiny_model, tmp_path_factory):
    """The tiny model with a reference stage fitted on the synthetic documents."""
    from dataclasses import replace

    from threadpoolctl import threadpool_limits

    from conftest import CLEAN_DOCUMENTS, mangle
    from detector.model.persistence import save_model
    from detector.fit.reference_stage import ReferenceCase, featurize_cases, fit_reference_stage

    cases = []
    for number, paragraphs in enumerate(CLEAN_DOCUMENTS):
        original = (f"doc{number}", "\n\n".join(paragraphs))
        others = [(f"doc{k}", "\n\n".join(p)) for k, p in enumerate(CLEAN_DOCUMENTS) if k != number]
        order = tuple(range(len(paragraphs)))
        mangled = tuple(mangle(p, number + k) for k, p in enumerate(paragraphs))
        group = f"g{number}"
        cases.append(ReferenceCase(mangled, (1,) * 3, (original, *others), group, "spun", order))
        cases.append(ReferenceCase(tuple(paragraphs), (0,) * 3, (original, *others), group,
                                   "copy", order))
        cases.append(ReferenceCase(tuple(paragraphs[:2]), (0,) * 2, tuple(others), group,
                                   "unrelated", (None, None)))
    matrix = featurize_cases(cases)
    with threadpool_limits(limits=1, user_api="openmp"):
        stage, report = fit_reference_stage(matrix, n_splits=3)
    model = replace(tiny_model, reference=stage)
    path = save_model(model, tmp_path_factory.mktemp("tiny_ref") / "tiny_ref.skops")
    return model, path, matrix


def test_reference_stage_round_trips_through_the_model_file(tiny_reference_model):
    model, path, matrix = tiny_reference_model
    loaded = load_model(path)
    assert loaded.reference is not None and loaded.reference.threshold == model.reference.threshold
    before = model.reference_scores(matrix.X)
    after = loaded.reference_scores(matrix.X)
    assert all((a == b).all() for a, b in zip(before, after))
    metadata = metadata_of(path)
    from detector.reference.features import NAMES

    assert metadata["reference"]["features"] == list(NAMES)


def test_tampered_reference_stage_is_refused_on_use(tiny_reference_model, tmp_path):
    from collections import Counter
    from dataclasses import replace

    import skops.io as sio

    from detector.model.detector_model import ReferenceStage
    from detector.model.persistence import save_model

    model, _, matrix = tiny_reference_model
    bad = ReferenceStage(model.reference.threshold,
                         packed=sio.dumps({"source": Counter(a=1), "spin": Counter(b=2)}))
    path = save_model(replace(model, reference=bad), tmp_path / "bad.skops")
    loaded = load_model(path)  # the blob is only checked when first used
    with pytest.raises(ModelError, match="outside the trusted list"):
        loaded.reference_scores(matrix.X)


def test_reference_warnings_go_to_stderr_as_it_is_at_the_call(tmp_path, monkeypatch):
    """A skipped file inside a reference directory is reported on the
    standard error of the moment (a service or a test may have replaced it)."""
    import io
    import sys

    from detector.reference.files import read_references

    (tmp_path / "good.txt").write_text("The council met on Tuesday to vote on the new budget "
                                       "for the harbour, and the vote was close.\n",
                                       encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    names = [name for name, _ in read_references([str(tmp_path)])]
    assert names == [str(tmp_path / "good.txt")]
    assert "reference skipped" in stream.getvalue() and "empty.txt" in stream.getvalue()


def test_a_source_chosen_by_two_paragraphs_is_reciprocal_for_the_closer_one():
    """When two paragraphs both match one source paragraph, only the one that
    resembles it most chose it back (ties: the earlier paragraph)."""
    source = ("The council voted on Tuesday to close the old library on Main Street "
              "and to build a new one beside the railway station by next spring.")
    index = ReferenceIndex([("original.txt", source)])
    close = ("The council voted on Tuesday to shut the old library on Main Street "
             "and to build a new one beside the railway station by next spring.")
    far = ("On Tuesday the council voted to close the library on Main Street; a new "
           "one will be built beside the station.")
    matches = index.match([far, close], [0, len(far) + 2])
    assert [m is not None for m in matches] == [True, True]
    assert [m.reciprocal for m in matches] == [False, True]
    tied = index.match([close, close], [0, len(close) + 2])
    assert [m.reciprocal for m in tied] == [True, False]
