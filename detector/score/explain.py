"""Reasons: what the evidence behind a paragraph's score says."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from detector.features.labels import feature_label
from detector.features.ngram import least_expected, rarest_words
from detector.features.style import function_word_uses
from detector.features.view import ParagraphView
from detector.features.window import DocumentFeatures
from detector.model.detector_model import DetectorModel
from detector.report.wording import plural
from detector.results import Alignment, Reason

if TYPE_CHECKING:
    from detector.reference.index import SourceMatch

MAX_REASONS = 5


@dataclass(frozen=True)
class ReferenceEvidence:
    """What reference mode found for the scored paragraphs of one document."""

    matches: "list[SourceMatch | None]"
    accepted: list[bool]
    scores: np.ndarray
    reasons: list[list[Reason]]


@dataclass
class Tally:
    """Running totals over the paragraphs of one document, window by window
    (local to one scoring call; never shared)."""

    paragraphs: int = 0
    scored: int = 0
    flagged: int = 0
    weight: float = 0.0
    weighted_score: float = 0.0
    name_variants: int = 0
    reference: bool = False
    matched: int = 0
    matched_spun: int = 0
    verbatim: int = 0
    #: Flagged paragraphs that are flagged only with the rest of the document.
    context_only: int = 0
    votes: Counter = field(default_factory=Counter)


def varied(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Reasons with the first of each code before any repeat, otherwise in
    order, so that a cut to :data:`MAX_REASONS` keeps as many kinds of
    evidence as it can (three unlikely words must not hide an inverted
    compound)."""
    seen: set[str] = set()
    first, repeats = [], []
    for reason in reasons:
        (repeats if reason.code in seen else first).append(reason)
        seen.add(reason.code)
    return tuple(first + repeats)


def _rank(reason: Reason) -> int:
    """Where a reason goes: what reference mode found, then the words in the
    paragraph that look wrong, then what a model says of the whole paragraph,
    then the document around it."""
    family = reason.code.split(".", 1)[0]
    if family == "ref":
        return 0
    if family == "model":
        return 2
    if family == "ctx":
        return 3
    return 1


# Within the words that look wrong, the reasons human text shows least
# first: ordered by how many held-out human paragraphs carry each
# (benchmarks.reasons, its sample of Lee and Wikipedia and its WMT original
# English, taken together), so a round-trip artefact or a mangled date comes
# before a capital that could start a sentence or an unlikely word pair.
_SPECIFIC_FIRST = ("rt.", "art.mangled_date", "art.lowercased_proper_noun",
                   "art.tokenizer_leftover", "lm.unknown_word", "art.duplicated_phrase",
                   "doc.name_variant", "art.midsentence_capital", "lm.unlikely_in_context")


def _specificity(reason: Reason) -> int:
    """Where a reason of the paragraph's own words goes among them (others: last)."""
    return next((i for i, prefix in enumerate(_SPECIFIC_FIRST) if reason.code.startswith(prefix)),
                len(_SPECIFIC_FIRST))


def ranked(reasons: list[Reason]) -> tuple[Reason, ...]:
    """At most :data:`MAX_REASONS` reasons, strongest evidence first
    (:func:`_rank`, then :func:`_specificity`, then :func:`varied` within
    each); the context, which explains the flag when the paragraph alone
    would not be flagged, is kept even when the cut drops other reasons."""
    ordered = sorted(varied(reasons), key=lambda r: (_rank(r), _specificity(r)))
    context = [r for r in ordered if _rank(r) == 3]
    rest = [r for r in ordered if _rank(r) != 3]
    return tuple(rest[:MAX_REASONS - len(context[:1])] + context[:1])


def intrinsic_reasons(
    model: DetectorModel,
    feats: DocumentFeatures,
    k: int,
    flagged: bool,
    alone: float,
    members: np.ndarray,
    n_flagged: int,
    cut: float,
) -> list[Reason]:
    """A paragraph's own evidence; a flag a member raised (``members``: the
    round-trip and spin members' scores on the model's scale) says so; the
    document context, when only the context got it over the threshold, comes
    last (:func:`ranked` orders them)."""
    reasons = list(feats.reasons[k])
    tripped, spun = float(members[0]), float(members[1])
    if flagged and tripped >= cut:
        reasons.append(Reason(
            "model.roundtrip", "reads like a literal machine-translation round trip",
            value=round(tripped, 4),
        ))
    if flagged and spun >= cut:
        reasons.append(Reason(
            "model.spin",
            "reads like a synonym spin of English: words swapped for rarer or wrong-sense "
            "synonyms", value=round(spun, 4),
        ))
    if flagged and not reasons and alone >= cut:
        segment = feats.segments[feats.scored[k]]
        reasons.append(model_reason(model, feats.intrinsic[k], ParagraphView(segment.text,
                                                                             segment.start)))
    if flagged and alone < cut:
        reasons.append(Reason(
            "ctx.document",
            f"borderline on its own, flagged with the rest of the document ({n_flagged - 1} "
            f"of {plural(len(feats.scored) - 1, 'other paragraph')} flagged)",
            value=round(alone, 4),
        ))
    return reasons


def reference_reasons(
    evidence: ReferenceEvidence,
    feats: DocumentFeatures,
    final: np.ndarray,
    cut: float,
    k: int,
    match: "SourceMatch",
    flagged: bool,
) -> list[Reason]:
    """The source and its changes first; for a flagged verbatim copy, the
    spun paragraphs around it; then the paragraph's own evidence if flagged."""
    reasons = list(evidence.reasons[k])
    if flagged and match.verbatim:
        matched = [j for j, ok in enumerate(evidence.accepted) if ok and j != k]
        spun = sum(1 for j in matched if final[j] >= cut)
        reasons.append(Reason(
            "ctx.reference",
            f"copied unchanged inside a spun copy: {spun} of {len(matched)} other "
            f"matched paragraphs were spun from {match.sources[0].reference}",
        ))
    if flagged:
        reasons.extend(feats.reasons[k])
    return reasons


def paragraph_alignment(match: "SourceMatch", flagged: bool) -> Alignment:
    a = match.alignment
    n = max(1, a.n_words)
    verdict = "spun" if flagged else ("copy" if match.verbatim else "edited")
    return Alignment(
        verdict=verdict,
        sources=match.sources,
        similarity=round(match.cosine, 4),
        kept=round(a.kept / n, 4),
        substituted=round(a.replaced / n, 4),
        inserted=round(a.inserted / n, 4),
        dropped=round(a.deleted / max(1, a.n_source_words), 4),
        changes=a.changes,
        ops=a.ops,
    )


def reference_verdict(tally: Tally) -> tuple[Reason, str | None]:
    """The document-level verdict of reference mode, and the reference most
    paragraphs were matched to."""
    n = tally.scored
    if not tally.matched:
        return Reason("ref.no_match", "no paragraph matches the reference"), None
    source, count = tally.votes.most_common(1)[0]
    spun = tally.matched_spun
    share = f"{count} of {n} prose paragraphs matched"
    if count * 2 < n:
        return Reason("ref.partial_match", f"{share} in {source}; not a copy of it"), source
    if spun * 2 > tally.matched:
        return Reason("ref.spun_copy", f"spun copy of {source} ({share}, {spun} spun)"), source
    if tally.verbatim == tally.matched:
        return Reason("ref.copy", f"verbatim copy of {source} ({share})"), source
    return Reason("ref.edited_copy",
                  f"close copy of {source} ({share}, {tally.matched - tally.verbatim} edited, "
                  f"{spun} spun)"), source


# Style measures a reason can show examples of: how expected the words are in
# their context (the word pairs the LM expected least), how common they are
# (the rarest words), and how often a function word is used
# (features.style.function_word_uses knows which columns those are).
_IN_CONTEXT = ("lm.pmi_p10", "lm.mean_pmi", "lm.low_pmi_rate")
_FREQUENCY = ("lm.mean_zipf", "lm.rare_word_rate", "lm.oov_rate", "lm.unknown_word_rate")


def _kind(name: str) -> tuple[str, ...]:
    """The measures that share their examples with ``name``: the LM and the
    frequency measures each show theirs once; any other measure its own."""
    return _IN_CONTEXT if name in _IN_CONTEXT else _FREQUENCY if name in _FREQUENCY else (name,)


def _times(n: int) -> str:
    return "none" if n == 0 else "once" if n == 1 else f"{n} times"


def _examples(name: str, view: ParagraphView,
              high: bool) -> tuple[str, tuple[int, int] | None] | None:
    """Words of the paragraph that show what the measure ``name`` measures
    (``high``: the paragraph's value is above human text's), and the span of
    the first; None for a measure without examples, or none found. A
    function word is counted either way, but too little of it has no word to
    point at: no span."""
    if name in _IN_CONTEXT:
        pairs = least_expected(view)
        if pairs:
            return (", ".join(f"'{p.word}' after '{p.previous}'" for p in pairs),
                    view.span(pairs[0].start, pairs[0].end))
    if name in _FREQUENCY:
        words = rarest_words(view)
        if words:
            return ("rarest: " + ", ".join(f"'{t.text}'" for t in words),
                    view.span(words[0].start, words[0].end))
    uses = function_word_uses(view, name)
    if uses is None or not view.words:
        return None
    count = f"{_times(len(uses))} in {plural(len(view.words), 'word')}"
    span = view.span(uses[0].start, uses[0].end) if high and uses else None
    return count, span


# How many of the measures furthest from human text a style reason looks
# through for ones it can show in the paragraph, and how many it names.
_CANDIDATES, _NAMED = 6, 2
_NO_PATTERN = ("its style measures together resemble machine-translated or spun text; "
               "no single pattern stands out")


def model_reason(model: DetectorModel, row: np.ndarray, view: ParagraphView) -> Reason:
    """What the style measures say when no artefact explains a flag: among the
    measures furthest from human text, the strongest (at most two) that show
    in the paragraph's words (:func:`_examples`; once per kind, :func:`_kind`),
    named with those words; a measure with nothing to show (a readability
    score, the paragraph's length) is not named. The value is the strongest
    measure's distance from human text in standard deviations; the span is
    the first example's. With no measure to show, the reason says so."""
    strongest = model.strongest_features(row, k=_CANDIDATES)
    if not strongest:
        return Reason("model.style", _NO_PATTERN)
    value = round(strongest[0][1], 2)
    index = {name: i for i, name in enumerate(model.feature_names)}
    shown: list[tuple[str, bool, str]] = []  # name, high side, examples
    kinds: set[tuple[str, ...]] = set()
    span: tuple[int | None, int | None] = (None, None)
    for name, _ in strongest:
        if len(shown) == _NAMED or _kind(name) in kinds:
            continue
        high = bool(row[index[name]] >= model.clean_mean[index[name]])
        found = _examples(name, view, high)
        if found is None:
            continue
        kinds.add(_kind(name))
        shown.append((name, high, found[0]))
        span = found[1] if span == (None, None) and found[1] is not None else span
    if not shown:
        return Reason("model.style", _NO_PATTERN, value=value)
    parts = []
    for side in (True, False):
        names = [f"{feature_label(name)} ({examples})" for name, high, examples in shown
                 if high == side]
        if names:
            parts.append(f"unusually {'high' if side else 'low'} for human-written text: "
                         f"{', '.join(names)}")
    return Reason("model.style", "; ".join(parts), *span, value=value)
