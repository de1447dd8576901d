"""detector: find English paragraphs that were spun or machine-translated, and say why.

The public API::

    from detector import score_document
    result = score_document(text)
    for paragraph in result.paragraphs:
        print(paragraph.line, paragraph.score, paragraph.flagged, paragraph.reasons)

    from detector import train
    model = train(["my_pairs.jsonl"], output="my_model.skops")
    score_document(text, model=model)

    from detector import ReferenceIndex
    index = ReferenceIndex([("original.txt", original_text)])
    result = score_document(copy_text, reference=index)
    result.source, result.paragraphs[0].alignment

    from detector import iter_document            # a text of any length
    for item in iter_document(text):              # paragraphs as scored, then
        print(item.to_dict())                     # the document summary
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detector._version import __version__
from detector.errors import ModelError, ReferenceError
from detector.model.detector_model import DetectorModel
from detector.model.persistence import load_model
from detector.reference.index import ReferenceIndex
from detector.results import Alignment, DocumentResult, ParagraphResult, Reason
from detector.score.document import iter_document, score_document

if TYPE_CHECKING:
    from detector.fit.trainer import train

__all__ = [
    "Alignment",
    "DetectorModel",
    "DocumentResult",
    "ModelError",
    "ParagraphResult",
    "Reason",
    "ReferenceError",
    "ReferenceIndex",
    "__version__",
    "iter_document",
    "load_model",
    "score_document",
    "train",
]


def __getattr__(name: str) -> Any:
    # ``train`` loads scikit-learn; scoring does not, so it is imported on first use.
    if name == "train":
        from detector.fit.trainer import train

        return train
    raise AttributeError(f"module 'detector' has no attribute {name!r}")
