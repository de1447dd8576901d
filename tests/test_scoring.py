"""score_document / score_many with the tiny model: result types, thresholds and
batching. The properties that must hold for any input text are in
tests/fuzz_properties.py (run by tests/test_fuzz.py)."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from detector.results import Reason
from detector.score.document import score_document
from detector.score.document import score_many
from detector.segment.paragraphs import split_paragraphs

DOC = (
    "The city council met on Monday to discuss the new budget for next year.\n"
    "\n"
    "The mayor Said she does not expect a final vote before the before the summer , "
    "In the friday, the Officials Said .\n"
    "\n"
    "https://example.com/story\n"
    "\n"
    "Hello\n"
    "\n"
    "Local businesses have welcomed the plan, although some worry about traffic.\n"
)


@pytest.fixture(scope="module")
def doc_result(tiny_model):
    return score_document(DOC, model=tiny_model)


# ---------------------------------------------------------------------------
# Result objects
# ---------------------------------------------------------------------------


def test_to_dict_is_json_serialisable(doc_result):
    data = doc_result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["n_paragraphs"] == len(doc_result.paragraphs) == 5
    assert data["n_scored"] == 3
    assert data["n_flagged"] == len(doc_result.flagged_paragraphs)
    keys = {"index", "line", "column", "end_line", "start", "end", "score", "flagged", "skipped",
            "reasons", "alignment"}
    assert all(set(p) == keys for p in data["paragraphs"])


def test_to_dict_json_serialisable_at_threshold_zero(tiny_model):
    result = score_document(DOC, model=tiny_model, threshold=0.0)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    for paragraph in data["paragraphs"]:
        for reason in paragraph["reasons"]:
            assert set(reason) == {"code", "message", "start", "end", "line", "column", "value"}
            assert (reason["line"] is None) == (reason["start"] is None)
            text_before = DOC[:reason["start"]] if reason["start"] is not None else None
            if text_before is not None:
                assert reason["line"] == text_before.count("\n") + 1
                assert reason["column"] == len(text_before) - text_before.rfind("\n")


def test_results_are_frozen(doc_result):
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc_result.score = 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc_result.paragraphs[0].flagged = True
    with pytest.raises(dataclasses.FrozenInstanceError):
        Reason("x.y", "message").code = "other"
    assert isinstance(doc_result.paragraphs, tuple)
    assert all(isinstance(p.reasons, tuple) for p in doc_result.paragraphs)


def test_paragraph_results_follow_segments(doc_result):
    segments = split_paragraphs(DOC)
    assert len(doc_result.paragraphs) == len(segments)
    for k, (paragraph, segment) in enumerate(zip(doc_result.paragraphs, segments)):
        assert paragraph.index == k
        assert (paragraph.line, paragraph.end_line) == (segment.line, segment.end_line)
        assert (paragraph.start, paragraph.end) == (segment.start, segment.end)
        assert paragraph.skipped == segment.skipped


@pytest.mark.parametrize("threshold", [None, 0.0, 0.5])
def test_skipped_paragraphs_are_not_scored(tiny_model, threshold):
    result = score_document(DOC, model=tiny_model, threshold=threshold)
    skipped = [p for p in result.paragraphs if p.skipped]
    assert [p.skipped for p in skipped] == ["url", "too_short"]
    for paragraph in skipped:
        assert paragraph.score is None
        assert paragraph.flagged is False
        assert paragraph.reasons == ()


def test_non_str_input_raises_type_error(tiny_model):
    with pytest.raises(TypeError):
        score_document(DOC.encode("utf-8"), model=tiny_model)


@pytest.mark.parametrize("threshold", [-0.01, 1.01, 2, -1, math.nan, math.inf])
def test_threshold_outside_unit_interval(tiny_model, threshold):
    with pytest.raises(ValueError):
        score_document(DOC, model=tiny_model, threshold=threshold)


def test_threshold_zero_flags_every_scored_paragraph(tiny_model):
    result = score_document(DOC, model=tiny_model, threshold=0.0)
    scored = [p for p in result.paragraphs if p.score is not None]
    assert len(scored) == 3
    assert all(p.flagged for p in scored)
    assert all(p.reasons for p in scored)
    assert result.flagged and result.label == "mangled"
    assert result.threshold == 0.0
    assert len(result.flagged_paragraphs) == 3


def test_threshold_one_flags_only_certain_paragraphs(tiny_model):
    result = score_document(DOC, model=tiny_model, threshold=1.0)
    scored = [p for p in result.paragraphs if p.score is not None]
    assert len(scored) == 3
    # The tiny model is never certain about DOC, so at 1.0 nothing is flagged.
    for paragraph in scored:
        assert paragraph.score < 1.0
        assert paragraph.flagged is False
    assert result.threshold == 1.0
    assert result.flagged is False and result.label == "clean" and not result.flagged_paragraphs
    # Just under the highest score that paragraph is flagged: the threshold, not
    # the model, kept it unflagged above.
    top = max(scored, key=lambda p: p.score)
    lower = score_document(DOC, model=tiny_model, threshold=top.score - 0.001)
    assert lower.paragraphs[top.index].flagged


def test_default_threshold_is_the_models(tiny_model, doc_result):
    assert doc_result.threshold == tiny_model.threshold
    for paragraph in doc_result.paragraphs:
        if paragraph.score is not None:
            # flags use the unrounded score; the reported one is rounded to 4 places
            assert paragraph.flagged == (paragraph.score >= tiny_model.threshold) or (
                abs(paragraph.score - tiny_model.threshold) <= 5e-5
            )


def test_document_without_prose(tiny_model):
    result = score_document("https://example.com\n\nHello\n\n---\n", model=tiny_model, threshold=0.0)
    assert result.score is None
    assert result.flagged is False
    assert result.label == "unscored"
    assert all(p.score is None and not p.flagged for p in result.paragraphs)
    assert score_document("", model=tiny_model).paragraphs == ()


def test_document_score_is_weighted_mean(doc_result):
    scored = [p for p in doc_result.paragraphs if p.score is not None]
    weights = [p.end - p.start for p in scored]
    mean = sum(w * p.score for w, p in zip(weights, scored)) / sum(weights)
    assert doc_result.score == pytest.approx(mean, abs=1e-3)
    assert min(p.score for p in scored) - 1e-4 <= doc_result.score <= max(p.score for p in scored) + 1e-4
    assert doc_result.label == ("mangled" if doc_result.flagged else "clean")


# ---------------------------------------------------------------------------
# score_many
# ---------------------------------------------------------------------------


def test_score_many_equals_score_document(tiny_model, seed_clean, seed_mangled):
    texts = [
        DOC,
        "",
        "https://example.com only a url\n\nHello\n",
        seed_mangled.read_text(encoding="utf-8"),
        "One lone paragraph of perfectly ordinary prose, written by a person.",
        seed_clean.read_text(encoding="utf-8"),
    ]
    for threshold in (None, 0.0, 0.6):
        batched = score_many([split_paragraphs(t) for t in texts], model=tiny_model, threshold=threshold)
        assert len(batched) == len(texts)
        for text, result in zip(texts, batched):
            alone = score_document(text, model=tiny_model, threshold=threshold)
            assert result.to_dict() == alone.to_dict()


def test_score_many_of_nothing(tiny_model):
    assert score_many([], model=tiny_model) == []


def test_the_reason_cut_keeps_one_of_each_kind_before_repeats() -> None:
    from detector.results import Reason
    from detector.score.explain import MAX_REASONS, varied

    reasons = ([Reason("lm.unlikely_in_context", f"word {i}") for i in range(MAX_REASONS)]
               + [Reason("rt.inverted_compound", "'park of dog'")])
    kept = varied(reasons)[:MAX_REASONS]
    assert [r.code for r in kept] == ["lm.unlikely_in_context", "rt.inverted_compound"] + [
        "lm.unlikely_in_context"] * (MAX_REASONS - 2)
    assert [r.message for r in kept][:3] == ["word 0", "'park of dog'", "word 1"]


def test_a_style_reason_about_expected_words_names_them(seed_mangled):
    """002 line 2 is flagged on style alone; its reason names the words the LM
    expected least ('attacks that it will rouse again'). Its span is the first
    example's: the stronger measure, the use of 'by', names its first use
    ('so-called “By the coalition of willing”')."""
    text = seed_mangled.read_text(encoding="utf-8")
    result = score_document(text)
    paragraph = next(p for p in result.paragraphs if p.line == 2)
    style = [r for r in paragraph.reasons if r.code == "model.style"]
    assert style and "('rouse' after 'will', 'willing' after 'of')" in style[0].message
    assert text[style[0].start:style[0].end] == "By"
    assert (style[0].line, style[0].column) == (2, 121)


def test_a_style_reason_about_word_frequency_names_the_rarest_words():
    """A paragraph flagged because its words are rare gets a reason that names
    the rarest of them (lower-case, not names) and points at the first."""
    from detector import load_model
    from detector.features.view import ParagraphView
    from detector.score.explain import model_reason

    model = load_model()
    names = list(model.feature_names)
    row = model.clean_mean.copy()
    j = names.index("lm.mean_zipf")
    row[j] = model.clean_mean[j] + 5 * model.clean_scale[j] * model.direction[j]
    assert [n for n, _ in model.strongest_features(row)] == ["lm.mean_zipf"]
    text = "The hebdomad council of Zbigniew casted a ballot on the fire warriors."
    reason = model_reason(model, row, ParagraphView(text))
    assert "(rarest: 'hebdomad', 'casted')" in reason.message
    assert text[reason.start:reason.end] == "hebdomad"


def test_a_style_reason_about_a_function_word_names_its_uses(seed_mangled):
    """002 line 3 is flagged on its use of 'said' and 'who'; the reason says
    how often each occurs and points at the first 'said', the stronger one."""
    text = seed_mangled.read_text(encoding="utf-8")
    paragraph = next(p for p in score_document(text).paragraphs if p.line == 3)
    style = [r for r in paragraph.reasons if r.code == "model.style"]
    assert [r.message for r in style] == [
        "unusually high for human-written text: use of 'said' (once in 20 words), "
        "use of 'who' (once in 20 words)"]
    assert (style[0].start, style[0].end) == (670, 674)
    assert text[670:674] == "said"
    assert (style[0].line, style[0].column) == (3, 64)


def _row_far_from_human(model, name: str, above: bool):  # type: ignore[no-untyped-def]
    """The human-text means with ``name`` five standard deviations above them
    (or below), on its side towards machine text: its only strong measure."""
    row = model.clean_mean.copy()
    j = list(model.feature_names).index(name)
    row[j] = model.clean_mean[j] + (5 if above else -5) * model.clean_scale[j]
    assert [n for n, _ in model.strongest_features(row)] == [name]
    return row


def test_a_style_reason_on_too_much_of_a_function_word_counts_it_and_points_at_the_first():
    """The uses are counted as the style family counts them (word tokens, any
    case, not inside 'unsaid'), and the span is the first use's."""
    from detector import load_model
    from detector.features.view import ParagraphView
    from detector.score.explain import model_reason

    model = load_model()
    row = _row_far_from_human(model, "style.fw_said", above=True)
    text = "Said the mayor, unsaid things were said, and said again."
    reason = model_reason(model, row, ParagraphView(text, offset=100))
    assert reason.message == (
        "unusually high for human-written text: use of 'said' (3 times in 10 words)")
    assert (reason.start, reason.end) == (100, 104)


def test_a_style_reason_on_too_little_of_a_function_word_counts_it_without_a_span():
    """Too little of a word has no word to point at: the reason says how
    often it occurs, and has no span."""
    from detector import load_model
    from detector.features.view import ParagraphView
    from detector.score.explain import model_reason

    model = load_model()
    row = _row_far_from_human(model, "style.fw_that", above=False)
    reason = model_reason(model, row, ParagraphView("The council said that it met on Monday."))
    assert reason.message == "unusually low for human-written text: use of 'that' (once in 8 words)"
    assert (reason.start, reason.end) == (None, None)
    reason = model_reason(model, row, ParagraphView("The council met on Monday."))
    assert reason.message == "unusually low for human-written text: use of 'that' (none in 5 words)"
    assert (reason.start, reason.end) == (None, None)


def test_a_style_reason_names_only_measures_it_can_show():
    """A measure with nothing to show in the words (a readability score, a
    mangled-date count whose reason check declined it) is not named, even
    when it is the strongest; the next measure that shows is, with its
    words. With none to show, the reason names no measure."""
    from detector import load_model
    from detector.features.view import ParagraphView
    from detector.score.explain import _NO_PATTERN, model_reason

    model = load_model()
    names = list(model.feature_names)
    row = model.clean_mean.copy()
    for name, sd in (("read.gunning_fog", 9), ("art.mangled_date", 8), ("style.fw_said", 5)):
        j = names.index(name)
        row[j] = model.clean_mean[j] + sd * model.clean_scale[j] * model.direction[j]
    assert [n for n, _ in model.strongest_features(row, k=6)] == [
        "read.gunning_fog", "art.mangled_date", "style.fw_said"]
    text = "Building 1. All the staff said they would stay."
    reason = model_reason(model, row, ParagraphView(text))
    assert reason.message == "unusually high for human-written text: use of 'said' (once in 8 words)"
    assert text[reason.start:reason.end] == "said"
    assert reason.value == 9.0
    j = names.index("style.fw_said")
    row[j] = model.clean_mean[j]
    reason = model_reason(model, row, ParagraphView(text))
    assert reason.message == _NO_PATTERN
    assert (reason.start, reason.end) == (None, None)


def test_reasons_human_text_shows_least_come_first():
    """Among the words that look wrong, a round-trip artefact comes before a
    repeated phrase, a name variant, a stray capital and an unlikely word
    pair (the order of how often held-out human text carries each); the
    model's and the context's reasons come after, the context last."""
    from detector.score.explain import ranked

    reasons = [Reason("lm.unlikely_in_context", "pair"), Reason("ctx.document", "context"),
               Reason("art.midsentence_capital", "capital"), Reason("model.spin", "spin"),
               Reason("doc.name_variant", "name"), Reason("art.duplicated_phrase", "repeat"),
               Reason("rt.inverted_compound", "compound")]
    assert [r.message for r in ranked(reasons)] == [
        "compound", "repeat", "name", "capital", "context"]
    assert [r.message for r in ranked(reasons[:2] + reasons[3:5])] == [
        "name", "pair", "spin", "context"]
