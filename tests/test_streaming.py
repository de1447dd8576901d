"""Long documents: scored in windows, streamed paragraph by paragraph, with the
same results as score_document; overlong paragraphs cut into pieces."""

from __future__ import annotations

import io
import json

import pytest

import detector.score.document as scoring
from detector.results import DocumentResult, ParagraphResult
from detector.model.persistence import load_model
from detector.score.document import score_document
from detector.score.batch import output_record, ScoredDocument, write_json_line, write_streamed
from detector.io.inputs import InputDocument
from detector.score.document import iter_document
from detector.segment.paragraphs import MAX_PARAGRAPH_CHARS, split_paragraphs

PARAGRAPHS = [
    "The city council met on Monday to discuss the new budget for the coming year.",
    "http://example.com/story",
    "Members argued for hours about the cost of repairing the old bridge in the centre.",
    "The Mayor said She does not expect A final vote before the Summer, in the summer.",
    "Local businesses have welcomed the plan, although some worry about the traffic.",
    "Heavy rain caused flooding across the north of the country over the weekend.",
    "Emergency services rescued dozens of people from their homes on Sunday morning.",
    "Forecasters expect The weather to improve Later in the week, officials said.",
]
TEXT = "\n\n".join(PARAGRAPHS * 2)


def _streamed(text, **kwargs):
    items = list(iter_document(text, **kwargs))
    assert all(isinstance(p, ParagraphResult) for p in items[:-1])
    assert isinstance(items[-1], DocumentResult) and items[-1].paragraphs == ()
    return items[:-1], items[-1]


@pytest.mark.parametrize("window", [1, 3, 100])
def test_iter_document_equals_score_document(tiny_model, monkeypatch, window):
    monkeypatch.setattr(scoring, "WINDOW", window)
    whole = score_document(TEXT, model=tiny_model, threshold=0.5)
    paragraphs, summary = _streamed(TEXT, model=tiny_model, threshold=0.5)
    assert tuple(paragraphs) == whole.paragraphs
    assert summary.summary_dict() == whole.summary_dict()
    assert [p.index for p in paragraphs] == list(range(len(split_paragraphs(TEXT))))


def test_iter_document_with_reference_equals_score_document(default_model_file, monkeypatch):
    model = load_model()  # the tiny model has no reference stage
    monkeypatch.setattr(scoring, "WINDOW", 4)
    reference = "\n\n".join(PARAGRAPHS[:4])
    whole = score_document(TEXT, model=model, reference=reference)
    paragraphs, summary = _streamed(TEXT, model=model, reference=reference)
    assert tuple(paragraphs) == whole.paragraphs
    assert summary.summary_dict() == whole.summary_dict()
    assert summary.source == whole.source


def test_windows_are_the_document_context(tiny_model, monkeypatch):
    # Scoring in windows of one paragraph is scoring each paragraph alone.
    monkeypatch.setattr(scoring, "WINDOW", 1)
    windowed = score_document(TEXT, model=tiny_model)
    alone = [score_document(s.text, model=tiny_model).paragraphs[0].score
             for s in split_paragraphs(TEXT) if s.skipped is None]
    assert [p.score for p in windowed.paragraphs if p.score is not None] == alone


def test_empty_text_streams_only_a_summary(tiny_model):
    paragraphs, summary = _streamed("", model=tiny_model)
    assert paragraphs == [] and summary.label == "unscored" and summary.n_paragraphs == 0


def test_streamed_json_line_is_the_output_record(tiny_model):
    document = InputDocument("doc.txt", "7", TEXT)
    buffer = io.StringIO()
    summary = write_json_line(document, iter_document(TEXT, model=tiny_model), buffer)
    result = score_document(TEXT, model=tiny_model)
    assert buffer.getvalue() == json.dumps(
        output_record(ScoredDocument(document, result)), ensure_ascii=False) + "\n"
    assert summary.summary_dict() == result.summary_dict()


def test_a_document_failing_midway_leaves_only_its_error(tiny_model, monkeypatch):
    def failing(text, **kwargs):
        yield from list(iter_document(text, model=tiny_model))[:2]
        raise RuntimeError("boom")

    monkeypatch.setattr(scoring, "iter_document", failing)
    for fmt in ("jsonl", "text"):
        out = io.StringIO()
        scored = write_streamed(InputDocument("doc.txt", None, TEXT), tiny_model, None, None,
                                out, fmt)
        assert scored.problem == "could not be scored (RuntimeError: boom)"
        if fmt == "jsonl":
            assert json.loads(out.getvalue()) == {"path": "doc.txt", "id": None,
                                                  "error": scored.problem}
        else:
            assert out.getvalue() == ""


def test_overlong_paragraph_is_cut_at_sentence_ends():
    sentence = "The minister said the talks would resume on Tuesday in Paris, officials said. "
    text = "Intro line of prose here.\n\n" + sentence * 200 + "\n" + sentence * 10
    segments = split_paragraphs(text)
    pieces = segments[1:]
    assert len(pieces) > 3
    assert all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in pieces)
    assert all(p.text == text[p.start:p.end] for p in pieces)
    assert all(p.text.endswith("officials said.") for p in pieces)
    # nothing between the pieces but white space
    for left, right in zip(pieces, pieces[1:]):
        assert not text[left.end:right.start].strip()
    assert pieces[0].line == 3 and pieces[-1].end_line == 4
    assert pieces[-2].line <= pieces[-1].line


def test_overlong_text_without_sentence_ends_is_cut_at_spaces_or_hard():
    words = "word " * 3000
    assert [(s.start, s.end) for s in split_paragraphs(words)] == [
        (0, 4999), (5000, 9999), (10000, 14999)]
    letters = "abc" * 4000
    assert [(s.start, s.end) for s in split_paragraphs(letters + " and more words")] == [
        (0, 5000), (5000, 10000), (10000, 12000 + len(" and more words"))]


def test_lines_with_their_line_breaks_give_the_same_spans(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode())
    from detector.segment.paragraphs import iter_paragraphs

    with open(path, encoding="utf-8", newline="") as handle:
        assert list(iter_paragraphs(handle)) == split_paragraphs(TEXT)
    assert list(iter_paragraphs(["a line\rand another line here\n", "x y z w\n"])) == \
        split_paragraphs("a line\nand another line here\nx y z w\n")
