"""Code, tables, markup and numbers are skipped with their own reason, and
prose that merely resembles them is not."""

from __future__ import annotations

import pytest

from detector.io.markup import closes_fence, markdown_to_text, opening_fence
from detector.segment.nonprose import line_reason, paragraph_reason
from detector.reason_codes import SKIP_REASONS
from detector.segment.paragraphs import split_paragraphs


def _reasons(text: str) -> list[str | None]:
    return [s.skipped for s in split_paragraphs(text)]


NOT_PROSE = {
    "python": ("def score(text, model=None):\n    result = model.predict(text)\n"
               "    return result\n", "code"),
    "c loop": ("for (int i = 0; i < n; i++) {\n  total += values[i];\n}", "code"),
    "imports": ("import numpy as np\nfrom detector import score_document\nx = np.zeros(10)",
                "code"),
    "css": ("body { margin: 0; padding: 0; }", "code"),
    "fenced": ("```python\nprint('the minister said the talks would resume')\n```", "code"),
    "sql": ("SELECT name, age FROM people WHERE age > 30;\nORDER BY name;", "code"),
    "markdown table": ("| Name | Age | City |\n|---|---|---|\n| Anna Smith | 34 | Paris |",
                       "table"),
    "tab table": ("Name\tAge\tCity\nAnna Smith\t34\tParis", "table"),
    "html": ('<div class="main"><p>The minister said the talks would resume.</p></div>',
             "markup"),
    "html paragraph": ("<p>The minister said on Tuesday that the talks would resume next "
                       "week in Paris, after a pause of two months.</p>", "markup"),
    "numbers": ("1 2 3 4 5 6 7 8 9", "numbers"),
    "figures": ("Revenue 2023: 1,234 5,678 9,012 3,456", "numbers"),
}


@pytest.mark.parametrize("name", sorted(NOT_PROSE))
def test_not_prose_is_skipped_as_one_segment(name):
    text, reason = NOT_PROSE[name]
    segments = split_paragraphs(text)
    assert {s.skipped for s in segments} == {reason}, segments
    # consecutive lines of one block of code or one table form one segment
    assert len(segments) == 1, segments
    assert segments[0].start == 0 and segments[0].end == len(text.rstrip())


PROSE = {
    "semicolon line": ("The minister said the talks, which began in 2019, would resume on "
                       "Tuesday;\nofficials expect an agreement by the end of the month."),
    "score in prose": "The vote was 52-48 in favour; the opposition said it would appeal.",
    "numbers in prose": "He scored 3 goals in 2019, 5 in 2020 and 7 in 2021, a club record.",
    "assignment in prose": "The function returns x = 5 when the input is empty, they said.",
    "italic title": ("During a launch in 1995 for his book <i>Diplomacy</i> Mr Kissinger said "
                     "it was perhaps regrettable."),
    "page title": ("Masuda Shrine cancels its annual festival | Local Topics | Saga Shimbun "
                   "News | the festival, held every July since 1903, will not take place this "
                   "year because of the pandemic, the shrine said on Monday."),
    "heading": "# The talks will resume in Paris next week",
    "list item": "- The talks will resume in Paris next week, officials said.",
}


@pytest.mark.parametrize("name", sorted(PROSE))
def test_prose_that_resembles_them_is_scored(name):
    assert _reasons(PROSE[name]) == [None]


def test_code_inside_prose_document_keeps_the_prose():
    text = ("The library is easy to use, the documentation says.\n\n"
            "```\nresult = score_document(text)\nprint(result.score)\n```\n\n"
            "Its authors say it works offline and needs no network at all.")
    assert _reasons(text) == [None, "code", None]
    code = split_paragraphs(text)[1]
    assert (code.line, code.end_line) == (3, 6)


def test_unclosed_fence_runs_to_the_end_of_its_block():
    text = ("```\nthe talks will resume next week in Paris\nmore words here now\n\n"
            "The minister said on Tuesday that the talks would resume in Paris.")
    assert _reasons(text) == ["code", None]


def test_tilde_line_is_a_separator_not_a_fence():
    text = ("Paragraph one is here and it is long enough to be prose text.\n\n~~~\n\n"
            "Paragraph two is here, and it is also long enough to be prose text.\n\n"
            "Paragraph three is also here and it should be scored as prose.")
    assert _reasons(text) == [None, "separator", None, None]
    assert _reasons("Chapter one of the story\n\n```\n\nThe story begins on a cold "
                    "morning in the north of the country.") == [None, "code", None]


def test_tilde_fence_with_a_language_closes_on_a_bare_tilde_line():
    text = ("~~~python\nresult = score_document(text)\n~~~\n"
            "The minister said on Tuesday that the talks would resume in Paris.")
    assert _reasons(text) == ["code", None]


def test_a_fence_closes_only_on_its_own_character():
    text = ("```\nprint('a')\n~~~\nprint('b')\n```\n"
            "The minister said on Tuesday that the talks would resume in Paris.")
    assert _reasons(text) == ["code", None]
    assert [(p.line, p.end_line) for p in split_paragraphs(text)] == [(1, 5), (6, 6)]


def test_markdown_and_plain_text_share_the_fence_rule():
    assert opening_fence("~~~", bare_tildes=True) == "~~~"
    assert opening_fence("~~~", bare_tildes=False) is None
    assert opening_fence("  ````python", bare_tildes=False) == "````"
    assert opening_fence("```inline``` code", bare_tildes=True) is None
    assert closes_fence("`````", "````")
    assert not closes_fence("```", "````")
    assert not closes_fence("```python", "```")
    assert not closes_fence("~~~", "```")


def test_markdown_bare_tilde_fence_blanks_its_block():
    markdown = "Prose before the code.\n~~~\nx = 1\n```\ny = 2\n~~~\nProse after it."
    text = markdown_to_text(markdown)
    assert len(text) == len(markdown)
    assert [line.strip() for line in text.split("\n")] == [
        "Prose before the code.", "", "", "", "", "", "Prose after it."]


@pytest.mark.parametrize("second", [
    "public health and urged residents to stay at home this week.",
    "return to the negotiating table next month, the ministry said.",
    "private browsing, which keeps no history, the company said.",
    "static air of the old hall, where nobody had spoken for hours.",
    "import tariffs were raised again, the trade minister said.",
])
def test_wrapped_prose_starting_with_a_keyword_is_prose(second):
    assert _reasons(f"Officials said the outbreak and the measures taken would\n{second}") == [None]


def test_citations_are_not_indexing():
    text = ("Paris is the capital of France.[1] The city[2] has a population[3] of more\n"
            "than two million people, and its area[4] is about 105 square kilometres.")
    assert _reasons(text) == [None]


def test_shell_and_sql_lines_are_code():
    assert _reasons("$ pip install detector\n$ detector flag file.txt --format json") == ["code"]
    assert _reasons("SELECT name, age FROM users WHERE age > 30 ORDER BY name;") == ["code"]


def test_long_table_is_linear():
    import time

    text = "\n".join(f"{i}\tAlice Smith\tLondon\t{i * 3}" for i in range(80_000))
    started = time.perf_counter()
    segments = split_paragraphs(text)
    assert time.perf_counter() - started < 20  # was minutes: each row copied the table so far
    assert [(s.skipped, s.line, s.end_line) for s in segments] == [("table", 1, 80_000)]
    assert segments[0].text == text


def test_helpers_directly():
    assert line_reason("|---|:-:|") == "table"
    assert line_reason("The minister said | quoted") is None
    assert line_reason("<br/><br/>") == "markup"
    assert paragraph_reason("An ordinary sentence that ends with a semicolon;") is None
    assert paragraph_reason("x = compute(y);") == "code"


def test_every_skip_reason_is_described():
    samples = ["http://example.com", "2025-03-11", "_____", "Hello", "(AP Photo/Jane Doe)",
               "By Jane Smith", "Der Minister sagte am Dienstag, dass die Gespräche in Paris "
               "wieder aufgenommen werden.", *(text for text, _ in NOT_PROSE.values())]
    emitted = {s.skipped for text in samples for s in split_paragraphs(text)} - {None}
    assert emitted == set(SKIP_REASONS)
