"""Reference mode: the index of originals, word alignment, reference features."""
