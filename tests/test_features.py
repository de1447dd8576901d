"""Feature extraction: names, robustness, sklearn conventions, artefact spans,
and the document family's name variants."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from detector.features import FAMILIES, FeatureExtractor, ParagraphView, artefacts
from detector.features.document import compute_document

ODD_INPUTS = ["", "!!!", "123 456", "a" * 5000, "A" * 5000, "   ", "\n\n", "ǅungla ² ³ ½", "“”‘’…"]


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def test_feature_names_unique_and_namespaced():
    names = list(FeatureExtractor().fit().get_feature_names_out())
    assert names
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", name), name


def test_feature_names_identical_across_instances():
    first = list(FeatureExtractor().get_feature_names_out())
    second = list(FeatureExtractor(families=None).fit(["anything"]).get_feature_names_out())
    third = list(clone(FeatureExtractor()).fit().get_feature_names_out())
    assert first == second == third


def test_feature_names_follow_family_order():
    names = list(FeatureExtractor().fit().get_feature_names_out())
    expected = [n for family in FAMILIES for n in FAMILIES[family][0]]
    assert names == expected


@pytest.mark.parametrize("families", [None, ["style"], ["artefacts", "readability"], ["ngram", "cohesion"]])
def test_feature_count_matches_transform_columns(families):
    extractor = FeatureExtractor(families).fit()
    names = extractor.get_feature_names_out()
    matrix = extractor.transform(["One paragraph of text here.", "Another one, with a comma."])
    assert matrix.shape == (2, len(names))
    if families is not None:
        assert all(n.split(".")[0] in {FAMILIES[f][0][0].split(".")[0] for f in families} for n in names)


def test_each_family_returns_one_value_per_name():
    view = ParagraphView("The Minister said on Tuesday that talks will continue , in February, in February.")
    for family, (names, compute) in FAMILIES.items():
        values, reasons = compute(view)
        assert len(values) == len(names), family
        assert all(isinstance(v, float) for v in values), family


# ---------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------


def test_transform_odd_inputs_finite():
    extractor = FeatureExtractor().fit()
    matrix = extractor.transform(ODD_INPUTS)
    assert matrix.shape == (len(ODD_INPUTS), extractor.n_features_out_)
    assert np.isfinite(matrix).all()


@pytest.mark.parametrize("text", ODD_INPUTS, ids=lambda t: repr(t[:12]))
def test_family_values_finite_before_cleanup(text):
    # The raw family outputs are finite too: no NaN silently turned into 0.
    view = ParagraphView(text)
    for family, (names, compute) in FAMILIES.items():
        values, _ = compute(view)
        bad = [n for n, v in zip(names, values) if not math.isfinite(v)]
        assert not bad, (family, bad)


def test_transform_empty_list():
    extractor = FeatureExtractor().fit()
    matrix = extractor.transform([])
    assert matrix.shape == (0, extractor.n_features_out_)


# ---------------------------------------------------------------------------
# scikit-learn conventions
# ---------------------------------------------------------------------------


def test_get_params_clone_set_params():
    extractor = FeatureExtractor(families=["style", "ngram"])
    assert extractor.get_params() == {"families": ["style", "ngram"]}
    copy = clone(extractor)
    assert copy is not extractor
    assert copy.get_params() == extractor.get_params()
    assert not hasattr(copy, "families_")
    returned = copy.set_params(families=["cohesion"])
    assert returned is copy
    assert copy.families == ["cohesion"]
    assert list(copy.fit().get_feature_names_out()) == list(FAMILIES["cohesion"][0])


def test_init_does_not_validate_and_fit_returns_self():
    extractor = FeatureExtractor(families=["style"])
    assert extractor.fit(["text"]) is extractor
    assert extractor.fit() is extractor
    assert extractor.families_ == ("style",)


@pytest.mark.parametrize("families", [["nope"], ["style", "bogus"], []])
def test_unknown_family_raises_value_error(families):
    extractor = FeatureExtractor(families=families)  # constructing must not raise
    with pytest.raises(ValueError):
        extractor.fit()


def test_transform_single_string_raises():
    extractor = FeatureExtractor().fit()
    with pytest.raises(ValueError):
        extractor.transform("a str")


def test_fit_transform_equals_transform():
    texts = ["The talks ended on Tuesday.", "Nobody knew what would come next, he said."]
    a = FeatureExtractor().fit_transform(texts)
    b = FeatureExtractor().fit().transform(texts)
    np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------
# Artefact spans
# ---------------------------------------------------------------------------


def _artefact_reasons(document_text, paragraph, code):
    offset = document_text.index(paragraph)
    _, reasons = artefacts.compute(ParagraphView(paragraph, offset))
    return [r for r in reasons if r.code == code]


def test_mangled_date_span():
    paragraph = "European leaders met in London, and at the Virtual Planning Meeting 5. Martha called Britain."
    document_text = "A first paragraph.\n\n" + paragraph + "\n"
    found = _artefact_reasons(document_text, paragraph, "art.mangled_date")
    assert len(found) == 1
    assert document_text[found[0].start:found[0].end] == "5. Martha"


def test_duplicated_phrase_span():
    paragraph = (
        "Ukrainian President Volodymyr Zelenskyy welcomed the proposal, but expressed "
        "skepticism, in February, in February that foreign troops would not be enough."
    )
    document_text = "Intro line of prose here.\n\n" + paragraph
    found = _artefact_reasons(document_text, paragraph, "art.duplicated_phrase")
    assert len(found) == 1
    assert document_text[found[0].start:found[0].end] == "in February, in February"


def test_midsentence_capital_span():
    paragraph = (
        "Kiev, Ukraine - Ukraine has key issues as army bosses from more than 30 "
        "countries Arrival on Tuesday in Paris for talks."
    )
    document_text = "Some earlier prose in the file.\n\n" + paragraph
    found = _artefact_reasons(document_text, paragraph, "art.midsentence_capital")
    covered = [document_text[r.start:r.end] for r in found]
    assert "Arrival" in covered
    assert "Paris" not in covered
    assert "Tuesday" not in covered


def test_clean_sentence_has_no_midsentence_capital():
    paragraph = "Army chiefs from more than 30 countries arrived on Tuesday in Paris for talks with Emmanuel Macron."
    found = _artefact_reasons(paragraph, paragraph, "art.midsentence_capital")
    assert found == []


def test_artefact_reasons_spans_lie_inside_paragraph():
    paragraph = (
        "The French Defense Minister said “This meeting is important , in February, in February "
        "as army bosses Arrival on Tuesday and the Meeting 5. Martha called the french side."
    )
    offset = 1000
    _, reasons = artefacts.compute(ParagraphView(paragraph, offset))
    assert reasons
    for reason in reasons:
        if reason.start is None:
            continue
        assert offset <= reason.start < reason.end <= offset + len(paragraph)


# ---------------------------------------------------------------------------
# Document family: names spelled two ways
# ---------------------------------------------------------------------------


def _views(paragraphs):
    views, offset = [], 0
    for paragraph in paragraphs:
        views.append(ParagraphView(paragraph, offset))
        offset += len(paragraph) + 2
    return views, "\n\n".join(paragraphs)


def test_name_variant_reasons_for_both_spellings():
    views, text = _views([
        "The French Defense Minister Sebastien Lecornu said the meeting was important.",
        "Officials met in Paris on Tuesday to discuss the plan in detail.",
        "Later on, the minister Lecorno told reporters that the talks went well.",
    ])
    rows, reasons = compute_document(views)
    assert len(rows) == len(reasons) == 3
    codes = [[r.code for r in rs] for rs in reasons]
    assert codes[0] == ["doc.name_variant"]
    assert codes[1] == []
    assert codes[2] == ["doc.name_variant"]
    assert text[reasons[0][0].start:reasons[0][0].end] == "Lecornu"
    assert text[reasons[2][0].start:reasons[2][0].end] == "Lecorno"
    assert "Lecorno" in reasons[0][0].message
    assert "Lecornu" in reasons[2][0].message
    assert rows[0][0] >= 1 and rows[2][0] >= 1 and rows[1][0] == 0
    assert rows[0][1] == rows[1][1] == rows[2][1] == 1


def test_iran_iraq_are_not_variants():
    views, _ = _views([
        "The talks also covered Iran and its nuclear programme in some detail.",
        "Officials from Iraq attended the meeting in Paris as observers.",
    ])
    rows, reasons = compute_document(views)
    assert reasons == [[], []]
    assert all(row == [0.0, 0.0] for row in rows)


def test_two_spellings_in_one_paragraph_are_two_names():
    # 'Ogun and Osun' side by side are two states; 'Shaanxi' and 'Shanxi'
    # (the same consonants) a paragraph apart are claimed as one name respelled.
    views, _ = _views([
        "Flooding hit Ogun and Osun states after days of rain, officials said.",
        "Relief workers reached the worst affected towns on Friday morning.",
    ])
    rows, reasons = compute_document(views)
    assert reasons == [[], []]
    assert rows == [[0.0, 0.0], [0.0, 0.0]]
    views, text = _views([
        "Flooding hit Shaanxi province after days of rain, officials said.",
        "Relief workers reached the worst affected towns in Shanxi on Friday.",
    ])
    rows, reasons = compute_document(views)
    assert rows == [[1.0, 1.0], [1.0, 1.0]]
    assert [text[r.start:r.end] for rs in reasons for r in rs] == ["Shaanxi", "Shanxi"]


def test_given_names_of_two_people_are_counted_but_not_claimed():
    # 'Alim Qasimov' and 'Azim Azimzade' are two people: each spelling is
    # followed by a surname, never the same one. The columns count the pair
    # (the model was fitted so); no reason claims a respelling.
    views, _ = _views([
        "Performers like Alim Qasimov became famous across the region.",
        "The painter Azim Azimzade drew satirical cartoons for a journal.",
    ])
    rows, reasons = compute_document(views)
    assert rows == [[1.0, 1.0], [1.0, 1.0]]
    assert reasons == [[], []]
    # One person, the given name respelled: the surname is the same.
    views, text = _views([
        "The president, Volodymyr Zelensky, spoke in Paris on Tuesday.",
        "Later on, Volodimir Zelensky told reporters that the talks went well.",
    ])
    rows, reasons = compute_document(views)
    assert [text[r.start:r.end] for rs in reasons for r in rs] == ["Volodymyr", "Volodimir"]


@pytest.mark.parametrize("paragraphs", [
    # two names the word list knows, their consonants different
    ["The alphabet moved from Arabic script to Latin in the 1920s.",
     "A carpet school bears the name of Latif Kerimov, an artist."],
    # each spelling after its own given name: two people
    ["Her sister Rita married the player Pancho Gonzales in 1960.",
     "He lost the final in Los Angeles to Fernando González of Chile."],
    # one spelling only ever quoted on its own: a name mentioned, not used
    ["The people are also designated as \"Azarbaijani\" in Persian.",
     "Most Azerbaijanis live in the north of the country and in Baku."],
])
def test_names_counted_but_not_claimed_as_respelled(paragraphs):
    views, _ = _views(paragraphs)
    rows, reasons = compute_document(views)
    assert rows == [[1.0, 1.0], [1.0, 1.0]]  # the columns count the pair, as the model was fitted
    assert reasons == [[], []]


def test_a_respelled_name_used_in_a_quotation_is_claimed():
    views, text = _views([
        "\"We met Lecornu on Tuesday,\" the officials said after the talks.",
        "Later on, the minister Lecorno told reporters that the talks went well.",
    ])
    _, reasons = compute_document(views)
    assert [text[r.start:r.end] for rs in reasons for r in rs] == ["Lecornu", "Lecorno"]


def test_document_family_on_no_views():
    rows, reasons = compute_document([])
    assert rows == [] and reasons == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "...",
        "Hi.",
        "It's a 'test' of don't-stop words! Isn't it? Yes.",
        "The French Defense Minister Sébastien Lecorno said “This meeting is important because "
        "the terrain for these security guarantees” and how “European armed forces can acquire "
        "credit and credibility for diplomatic conversations that will be extended in a long run.”",
        "Participants said they expected the closed-door discussions to be wide-ranging, "
        "providing a gauge of which nations might be ready to join a coalition for Ukraine.",
        "A b. C d. E f g h. Photosynthesis, unquestionably, revolutionised understanding.",
    ],
)
def test_readability_equals_textstat(text):
    # The fast path must give textstat's own numbers, not an approximation.
    from textstat.backend import metrics

    from detector.features.readability import textstat_values

    lang = "en_US"
    expected = [
        metrics.flesch_reading_ease(text, lang),
        metrics.flesch_kincaid_grade(text, lang),
        metrics.gunning_fog(text, lang),
        metrics.smog_index(text, lang),
        metrics.dale_chall_readability_score(text, lang),
        metrics.syllables_per_word(text, lang),
    ]
    assert textstat_values(text) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("Kiev", "Kyiv", True),
        ("Lecornu", "Lecorno", True),
        ("Zelensky", "Zelenskyy", True),
        ("Taos", "This", False),      # 'This' is an ordinary word
        ("Union", "Unwin", False),    # a common name beside a rare one
        ("Gaza", "Gita", False),      # two short names, different consonants
        ("Ukraine", "Ukrainian", False),
    ],
)
def test_name_variant_pairs(a, b, expected):
    from detector.features.document import is_name_variant

    assert is_name_variant(a, b) is expected


def test_title_words_are_not_stray_capitals():
    view = ParagraphView("In 1937 he wrote Ends and Means, a book about war and peace.")
    values, reasons = artefacts.compute(view)
    assert values[artefacts.NAMES.index("art.midsentence_capital_rate")] == 0
    assert [r for r in reasons if r.code == "art.midsentence_capital"] == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.from_regex(r"[A-C][a-e]{1,7}", fullmatch=True), min_size=2, max_size=30))
def test_candidate_pairs_cover_every_close_pair(names):
    # The deletion index must find every pair a brute-force comparison finds.
    from detector.segment.respelling import candidate_pairs, edit_distance

    names = sorted(set(names))
    brute = {
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1:]
        if a[0] == b[0] and edit_distance(a, b, 2) <= 2
    }
    assert brute <= candidate_pairs(names)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.from_regex(r"[A-C][a-e]{0,7}", fullmatch=True), min_size=0, max_size=40))
def test_candidate_pairs_direct_and_indexed_agree(names):
    # Few names are compared pair by pair, many through the deletion index.
    from detector.segment.respelling import candidate_pairs

    assert candidate_pairs(names) == candidate_pairs(names, pairwise_up_to=0)


def test_every_feature_has_a_plain_label():
    from detector.features.labels import feature_label

    for name in FeatureExtractor().fit().get_feature_names_out():
        label = feature_label(name)
        assert label and label != name, name


def test_lm_reasons_skip_parts_of_hyphenated_words():
    from detector.features import ngram

    view = ParagraphView("They rallied under the so-called banner of the willing nations today.")
    _, reasons = ngram.compute(view)
    assert all("'so'" not in r.message and "'called'" not in r.message for r in reasons)


def test_feature_extractor_follows_the_estimator_protocol():
    from sklearn.base import clone

    extractor = FeatureExtractor(["readability", "ngram"])
    copy = clone(extractor)
    assert copy is not extractor and copy.get_params() == {"families": ["readability", "ngram"]}
    assert copy.set_params(families=["style"]).families == ["style"]
    with pytest.raises(ValueError, match="no parameter 'alpha'"):
        extractor.set_params(alpha=1)
    texts = ["The council met on Tuesday to vote on the budget."]
    assert np.array_equal(extractor.fit_transform(texts), extractor.transform(texts))


@pytest.mark.parametrize("text, pair", [
    ("Shares fell by 3 percent on Monday after the report.", ("percent", "by")),
    ("The office stays open until 16:00 in the summer months.", ("in", "until")),
])
def test_lm_reasons_never_pair_words_across_a_number(text, pair, monkeypatch):
    """The LM's history skips the number, so 'by 3 percent' would read as
    'by percent': a reason must not say so. The same words side by side are
    named (the check can fail), with the bar for naming a pair lowered so
    that this tests adjacency, not the bar."""
    from detector.features import ngram, reason_checks

    monkeypatch.setattr(reason_checks, "SURE_PMI", -3.0)
    word, previous = pair
    message = f"'{word}' after '{previous}' is rare in English"
    _, reasons = ngram.compute(ParagraphView(text))
    assert all(r.message != message for r in reasons)
    joined = text.replace(" 3 ", " ").replace(" 16:00 ", " ")
    _, reasons = ngram.compute(ParagraphView(joined))
    assert any(r.message == message and r.value is not None and r.value < 0 for r in reasons)


def test_unknown_words_are_counted_and_named_with_their_spans():
    """Words an MT engine left untranslated ('fajregaj') or ran together
    ('laokcidento') are counted and named at their spans; names, parts of
    hyphenated words and English words are not."""
    from detector.features import ngram

    paragraph = ("The fajregaj crews of Zbigniewski fought the fire laokcidento of the "
                 "xqzvbt-like coal-fired plant on Tuesday.")
    document_text = "A first paragraph.\n\n" + paragraph
    view = ParagraphView(paragraph, document_text.index(paragraph))
    values, reasons = ngram.compute(view)
    named = [document_text[r.start:r.end] for r in reasons if r.code == "lm.unknown_word"]
    assert named == ["fajregaj", "laokcidento"]
    rate = values[ngram.NAMES.index("lm.unknown_word_rate")]
    assert rate == pytest.approx(2 / len(view.words))


def test_one_unknown_word_is_counted_but_not_named():
    from detector.features import ngram

    view = ParagraphView("The last agnostids went extinct in the Late Ordovician.")
    values, reasons = ngram.compute(view)
    assert values[ngram.NAMES.index("lm.unknown_word_rate")] == pytest.approx(1 / len(view.words))
    assert not [r for r in reasons if r.code == "lm.unknown_word"]


def test_english_has_no_unknown_words():
    from detector.features import ngram

    view = ParagraphView("The firefighters fought the blaze west of the town on Tuesday night.")
    values, reasons = ngram.compute(view)
    assert values[ngram.NAMES.index("lm.unknown_word_rate")] == 0.0
    assert not [r for r in reasons if r.code == "lm.unknown_word"]


def test_least_expected_pairs_are_side_by_side_and_not_names():
    from detector.features import ngram

    text = "Shares fell by 3 percent on Monday, and the army bosses met Queensland officials."
    view = ParagraphView(text)
    pairs = ngram.least_expected(view, n=10)
    assert pairs == sorted(pairs) and len(pairs) <= 10
    assert all(text[p.previous_end:p.start].isspace() for p in pairs)
    assert all(not (p.word[0].isupper() and not p.first_in_sentence) for p in pairs)
    assert ("percent", "by") not in {(p.word, p.previous) for p in pairs}
    assert ngram.least_expected(ParagraphView("")) == []


def test_function_word_uses_are_what_the_style_columns_count():
    """Each use the finder returns is one the fw_ column counts: the column is
    their number over the paragraph's words, for every function word."""
    from detector.features import style

    text = "Who said it? The mayor said, and 'Said' is what THE papers said of unsaid words."
    view = ParagraphView(text)
    values, _ = style.compute(view)
    for word in style.STYLE_WORDS:
        name = f"style.fw_{word}"
        uses = style.function_word_uses(view, name)
        assert len(uses) / len(view.words) == values[style.NAMES.index(name)]
        assert all(t.lower == word for t in uses)
    said = style.function_word_uses(view, "style.fw_said")
    assert [(t.text, t.start) for t in said] == [
        ("said", 4), ("said", 23), ("Said", 34), ("said", 59)]
    assert style.function_word_uses(view, "style.punct_comma") is None
    assert style.function_word_uses(view, "style.fw_because") == []
