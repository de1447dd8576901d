"""Text into paragraphs, sentences and words; non-prose lines; language."""
