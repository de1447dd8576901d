"""Small rules of English that every message follows."""

from __future__ import annotations

__all__ = ["plural"]


def plural(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless n is 1: '1 document', '0 documents',
    '3 prose paragraphs' (the last word takes the 's')."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
