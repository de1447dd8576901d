"""What a model file may contain, checked before anything in it is built.

- Types: every object in the skops file (every node of its schema, whatever
  skops itself would trust by default) must be one of the detector's own
  types, :data:`TRUSTED_TYPES`, or plain data (:data:`DATA_TYPES`). skops
  trusts, for instance, ``SGDClassifier`` and ``FunctionTransformer`` by
  default; a detector model has neither, so a file with one is refused.
- Size: every member of the zip archive must declare an expanded size of at
  most :data:`MAX_MEMBER_BYTES`, and all together :data:`MAX_TOTAL_BYTES`;
  checked from the archive's directory, before any member is read (a zip
  member is never expanded beyond the size it declares).
- Metadata: the JSON inside the model (or beside an older one) must be an
  object whose fields have the right types and ranges (:func:`check_metadata`);
  any violation is one :class:`ModelError` listing them all.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from typing import Any, Callable

from detector.errors import ModelError

__all__ = ["DATA_TYPES", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "TRUSTED_TYPES", "audit_types", "check_metadata", "open_archive"]


# Far above what a detector model holds; low enough that a crafted file
# cannot make the loader allocate gigabytes.
MAX_MEMBER_BYTES = 256 * 1024 * 1024


MAX_TOTAL_BYTES = 1024 * 1024 * 1024


# Every estimator type a detector model file may contain. Anything else is refused.
TRUSTED_TYPES = [
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.pipeline.Pipeline",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "sklearn.ensemble._hist_gradient_boosting.common.PREDICTOR_RECORD_DTYPE",
    "numpy.random._generator.Generator",
]


# Plain data: containers, scalars, arrays and their element types.
DATA_TYPES = frozenset({
    *(f"builtins.{name}" for name in (
        "dict", "list", "tuple", "set", "str", "bytes", "bytearray", "int", "float",
        "bool", "complex", "NoneType", "slice", "type")),
    "collections.OrderedDict",
    "numpy.ndarray", "numpy.dtype",
    *(f"numpy.{name}" for name in (
        "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
        "uint16", "uint32", "uint64", "bool_", "str_", "bytes_", "void", "object_")),
})


def open_archive(data: bytes, origin: str) -> zipfile.ZipFile:
    """The model file's zip archive, once its members' declared sizes are
    within the limits (see the module docstring); else :class:`ModelError`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ModelError(f"{origin}: not a skops model file ({type(exc).__name__}); "
                         "detector never unpickles model files") from None
    too_big = [m.filename for m in members if m.file_size > MAX_MEMBER_BYTES]
    total = sum(m.file_size for m in members)
    if too_big or total > MAX_TOTAL_BYTES:
        raise ModelError(
            f"{origin}: refused, its members expand to more than the limit "
            f"({MAX_MEMBER_BYTES // 2**20} MiB each, {MAX_TOTAL_BYTES // 2**20} MiB in all)")
    return archive


def audit_types(data: bytes, origin: str) -> list[str]:
    """Every type named in the skops file ``data``, checked against the
    trusted types and the size limits (see the module docstring); raises
    :class:`ModelError`, returns the list to pass to ``skops.io.loads``."""
    archive = open_archive(data, origin)
    try:
        schema = json.loads(archive.read("schema.json"))
    except (KeyError, ValueError, RecursionError, zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{origin}: not a skops model file ({type(exc).__name__}); "
                         "detector never unpickles model files") from None
    found = _schema_types(schema)
    allowed = set(TRUSTED_TYPES) | DATA_TYPES
    unexpected = sorted(found - allowed)
    if unexpected:
        raise ModelError(f"{origin}: refused, it contains types outside the trusted list: "
                         f"{', '.join(unexpected)}")
    return sorted(found)


def _schema_types(schema: Any) -> set[str]:
    """``module.class`` of every node of a skops schema (walked without
    recursion, so no nesting depth can stop it)."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            module, name = node.get("__module__"), node.get("__class__")
            if isinstance(module, str) and isinstance(name, str):
                found.add(f"{module}.{name}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _number_in(low: float, high: float) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return (isinstance(value, (int, float)) and not isinstance(value, bool)
                and math.isfinite(value) and low <= value <= high)
    return check


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_PROBABILITY = _number_in(0.0, 1.0)


# field: (required, check, what it must be)
_FIELDS: dict[str, tuple[bool, Callable[[Any], bool], str]] = {
    "format": (True, lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    "threshold": (True, _PROBABILITY, "a number between 0 and 1"),
    "feature_names": (True, _strings, "a list of strings"),
    "families": (False, lambda v: v is None or _strings(v), "null or a list of strings"),
    "versions": (False, lambda v: isinstance(v, dict)
                 and all(isinstance(x, str) for x in v.values()),
                 "an object of version strings"),
    "reference": (False, lambda v: v is None or (isinstance(v, dict)
                                                 and _PROBABILITY(v.get("threshold"))
                                                 and _strings(v.get("features"))),
                  "null or an object with a threshold between 0 and 1 and its features"),
    "roundtrip": (False, lambda v: v is None or (isinstance(v, dict)
                                                 and _PROBABILITY(v.get("threshold"))),
                  "null or an object with a threshold between 0 and 1"),
    "spin": (False, lambda v: v is None or (isinstance(v, dict)
                                            and _PROBABILITY(v.get("threshold"))),
             "null or an object with a threshold between 0 and 1"),
    "training": (False, lambda v: isinstance(v, dict), "an object"),
}


def check_metadata(origin: str, metadata: Any) -> dict[str, Any]:
    """``metadata`` (a model's parsed metadata JSON) if every field has its
    type and range; otherwise one :class:`ModelError` naming every problem."""
    if not isinstance(metadata, dict):
        raise ModelError(f"{origin}: invalid metadata: a JSON object is needed, "
                         f"not {type(metadata).__name__}")
    problems = []
    for name, (required, check, what) in _FIELDS.items():
        if name not in metadata:
            if required:
                problems.append(f"'{name}' is missing")
        elif not check(metadata[name]):
            problems.append(f"'{name}' must be {what}, not {_short(metadata[name])}")
    if problems:
        raise ModelError(f"{origin}: invalid metadata: {'; '.join(problems)}")
    return metadata


def _short(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=True, default=str)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def safe_loads(data: bytes, origin: str) -> Any:
    """Load skops bytes whose every type is the detector's own or plain data
    (:func:`detector.model.trust.audit_types`, which also caps the expanded
    size), or raise :class:`ModelError`; never unpickles."""
    import skops.io as sio

    found = audit_types(data, origin)
    try:
        return sio.loads(data, trusted=found)
    except Exception as exc:
        raise ModelError(f"{origin}: could not be loaded ({type(exc).__name__}: {exc})") from None
