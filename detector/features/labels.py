"""Plain-English names for feature columns, for reasons shown to people."""

from __future__ import annotations

__all__ = ["feature_label"]

_LABELS = {
    "read.flesch_reading_ease": "Flesch reading ease",
    "read.flesch_kincaid_grade": "Flesch-Kincaid grade",
    "read.gunning_fog": "Gunning fog index",
    "read.smog_index": "SMOG index",
    "read.dale_chall": "Dale-Chall score",
    "read.syllables_per_word": "syllables per word",
    "read.words_per_sentence": "words per sentence",
    "read.words_per_sentence_std": "spread of sentence lengths",
    "read.log_words": "paragraph length",
    "lm.mean_logprob": "mean word log-probability under the trigram LM",
    "lm.mean_pmi": "how expected words are in their context",
    "lm.pmi_p10": "how expected its least expected words are",
    "lm.low_pmi_rate": "share of words unlikely in their context",
    "lm.oov_rate": "share of words unknown to the LM",
    "lm.bigram_unattested_rate": "share of word pairs never seen in English bigram counts",
    "lm.lm_bigram_unknown_rate": "share of word pairs unknown to the LM",
    "lm.mean_zipf": "mean word frequency",
    "lm.rare_word_rate": "share of rare words",
    "lm.repeated_trigram_rate": "repeated three-word sequences",
    "lm.unknown_word_rate": "share of lower-case words English word lists lack",
    "coh.adjacent_overlap": "word overlap between neighbouring sentences",
    "coh.type_token_ratio": "vocabulary variety",
    "coh.log_sentences": "number of sentences",
    "coh.function_word_rate": "share of function words",
    "style.contraction_rate": "contractions",
    "style.negation_contraction_rate": "negative contractions",
    "style.capitalised_rate": "share of capitalised words",
    "style.digit_rate": "share of digits",
    "style.mean_word_length": "mean word length",
    "rt.inverted_compound": "compounds turned inside out ('park of dog')",
    "rt.literal_title": "titles translated word for word ('Gentleman Blake')",
    "rt.pronoun_mismatch": "pronouns a translation dropped or got wrong ('his or his')",
    "rt.article_before_name": "'the' before a country's name ('the France')",
    "rt.double_preposition": "two prepositions in a row ('looked for to')",
    "rt.artefact_rate": "round-trip translation artefacts per 100 words",
}


def feature_label(name: str) -> str:
    """A short description of a feature column ('style.fw_who' -> "use of 'who'")."""
    if name in _LABELS:
        return _LABELS[name]
    family, _, rest = name.partition(".")
    if family == "style" and rest.startswith("fw_"):
        return f"use of '{rest[3:]}'"
    if family == "style" and rest.startswith("punct_"):
        return f"{rest[6:].replace('_', ' ')} marks"
    if family == "art":
        return rest.replace("_", " ")
    return name
