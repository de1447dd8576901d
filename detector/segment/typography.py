"""The one-to-one typography mapping that every stage sees."""

from __future__ import annotations

__all__ = ["MAPPED_CHARACTERS", "normalize_typography"]


# One character in, one character out, so spans found on the normalised text
# are valid on the original. Curly quotes, ellipsis and SentencePiece's "▁"
# must not carry the score: typography leaks labels in the WMT data.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2026": ".", "\u2581": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
        "\u200b": " ", "\u200c": " ", "\u200d": " ", "\ufeff": " ",
        "\u200e": " ", "\u200f": " ",
    }
)


# The characters :func:`normalize_typography` replaces.
MAPPED_CHARACTERS = "".join(chr(code) for code in _TYPOGRAPHY)


def normalize_typography(text: str) -> str:
    """Map curly quotes, dashes, ellipsis, odd spaces and '▁' to plain ASCII, 1:1 in length."""
    return text.translate(_TYPOGRAPHY)
