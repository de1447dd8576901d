"""detector: find English paragraphs that were spun or machine-translated, and say why.

The public API::

    from detector import score_document
    result = score_document(text)
    for paragraph in result.paragraphs:
        print(paragraph.line, paragraph.score, paragraph.flagged, paragraph.reasons)

    from detector import train
    model = train(["my_pairs.jsonl"], output="my_model.skops")
    score_document(text, model=model)
"""

from __future__ import annotations

from .model import DetectorModel, ModelError, load_model
from .results import DocumentResult, ParagraphResult, Reason
from .scoring import score_document
from .trainer import train

__all__ = [
    "DetectorModel",
    "DocumentResult",
    "ModelError",
    "ParagraphResult",
    "Reason",
    "__version__",
    "load_model",
    "score_document",
    "train",
]

__version__ = "0.1.0"
