"""The classifier: two fitted scikit-learn stages, safe save/load and metadata.

Stage 1 (``paragraph``) scores each paragraph from its own intrinsic features.
Stage 2 (``context``) is a logistic regression that combines a paragraph's
stage-1 log-odds with what the rest of its document looks like (the mean
log-odds of the other paragraphs, name spelled two ways). A content farm
rewrites whole articles, so a nearly untouched paragraph inside a clearly
round-tripped document is still a copy, while one odd paragraph in a clean
document needs stronger evidence of its own.

Two optional members (``detector.roundtrip_member``) add detectors for crude
rewrites of native English: the round-trip member for rule-based round trips,
the spin member for synonym spin. A paragraph is flagged when any of them
flags it.

Model files are ``skops`` files loaded against a fixed list of trusted types,
never pickle; a JSON metadata file sits beside each model.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from detector.char_ngrams import CharNgramScorer
from detector.model_file import ModelError, audit_types, check_metadata
from detector.roundtrip_member import RoundTripMember, combine
from detector.text import normalize_typography

__all__ = [
    "CONTEXT_FEATURES",
    "logit",
    "DetectorModel",
    "ReferenceStage",
    "ModelError",
    "context_matrix",
    "context_alone",
    "default_model_path",
    "as_model",
    "load_model",
    "save_model",
]

FORMAT_VERSION = 3
# Format 1 is format 2 without a round-trip member, format 2 is format 3
# without a spin member; such files still load.
READABLE_FORMATS = (1, 2, 3)
CHARS_FAMILY = "chars"

CONTEXT_FEATURES = (
    "ctx.features_logit",
    "ctx.chars_logit",
    "ctx.others_mean_logit",
    "ctx.others_flag_share",
    "ctx.others_evidence",
    "ctx.has_others",
    "ctx.log_others",
    "doc.name_variants_here",
    "doc.name_variant_pairs",
)


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), clipped away from infinities."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def rescale(p: np.ndarray, from_threshold: float, to_threshold: float) -> np.ndarray:
    """Probabilities shifted in log-odds so that ``from_threshold`` lands on
    ``to_threshold``: how another stage's scores share the model's threshold."""
    shift = logit(np.array([to_threshold]))[0] - logit(np.array([from_threshold]))[0]
    return 1.0 / (1.0 + np.exp(-(logit(p) + shift)))


def context_matrix(
    features_logits: np.ndarray,
    chars_logits: np.ndarray,
    document_rows: np.ndarray,
    doc_index: np.ndarray,
) -> np.ndarray:
    """Stage-2 features for every paragraph from the stage-1 log-odds of both members.

    ``document_rows`` holds the document-family columns (``doc.*``) per paragraph;
    ``doc_index`` says which document each paragraph belongs to. The document
    context is the mean stage-1 log-odds of the *other* paragraphs.
    """
    zf = np.asarray(features_logits, dtype=np.float64)
    zc = np.asarray(chars_logits, dtype=np.float64)
    z = (zf + zc) / 2
    n = len(z)
    out = np.zeros((n, len(CONTEXT_FEATURES)))
    if n == 0:
        return out
    _, inverse = np.unique(doc_index, return_inverse=True)
    sums = np.bincount(inverse, weights=z)
    counts = np.bincount(inverse).astype(np.float64)
    positives = np.bincount(inverse, weights=(z > 0).astype(np.float64))
    others = counts[inverse] - 1
    has = others > 0
    safe = np.where(has, others, 1)
    out[:, 0] = zf
    out[:, 1] = zc
    out[:, 2] = np.where(has, (sums[inverse] - z) / safe, 0.0)
    out[:, 3] = np.where(has, (positives[inverse] - (z > 0)) / safe, 0.0)
    # Many paragraphs leaning the same way are stronger evidence than one.
    out[:, 4] = np.clip(out[:, 2] * np.sqrt(others), -10, 10)
    out[:, 5] = has
    out[:, 6] = np.log1p(others)
    out[:, 7] = np.minimum(document_rows[:, 0], 5)
    out[:, 8] = np.minimum(document_rows[:, 1], 5)
    return out


# The columns of ``context_matrix`` that describe the other paragraphs.
OTHERS_COLUMNS = slice(CONTEXT_FEATURES.index("ctx.others_mean_logit"),
                       CONTEXT_FEATURES.index("ctx.log_others") + 1)


def context_alone(context: np.ndarray) -> np.ndarray:
    """The context matrix as if every paragraph were alone in its document:
    the columns about the other paragraphs (``OTHERS_COLUMNS``) zeroed."""
    alone = np.array(context, dtype=np.float64, copy=True)
    alone[:, OTHERS_COLUMNS] = 0.0
    return alone


@dataclass(frozen=True)
class ReferenceStage:
    """The reference stage, used only when a reference is given: ``source``
    decides whether a candidate is a paragraph's source, ``spin`` whether the
    paragraph was spun from it; ``threshold`` is the spin probability at which
    a paragraph is flagged. Both read the alignment columns
    (``detector.features.alignment.NAMES``).

    In a model file the two classifiers are a nested skops blob (``packed``),
    checked and loaded on first use, so scoring without a reference does not
    pay for loading them.
    """

    threshold: float
    source_model: Any = None
    spin_model: Any = None
    packed: bytes | None = field(default=None, repr=False, compare=False)
    origin: str = field(default="", compare=False)

    @cached_property
    def models(self) -> tuple[Any, Any]:
        """The (source, spin) classifiers, loaded from ``packed`` when needed."""
        if self.packed is None:
            return self.source_model, self.spin_model
        state = _safe_loads(self.packed, f"{self.origin} (reference stage)")
        if not isinstance(state, dict) or not all(
                hasattr(state.get(k), "predict_proba") for k in ("source", "spin")):
            raise ModelError(f"{self.origin}: its reference stage is not a pair of classifiers")
        return state["source"], state["spin"]

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """P(the candidate is the source) and P(spun | it is), per row."""
        if len(X) == 0:
            return np.zeros(0), np.zeros(0)
        source, spin = self.models
        return source.predict_proba(X)[:, 1], spin.predict_proba(X)[:, 1]

    def pack(self) -> bytes:
        """The two classifiers as a skops blob (what a model file stores)."""
        if self.packed is not None:
            return self.packed
        import skops.io as sio

        source, spin = self.models
        return sio.dumps({"source": source, "spin": spin})


@dataclass(frozen=True)
class DetectorModel:
    """A fitted detector: both stages, their column names, threshold and metadata.

    ``paragraph`` scores the intrinsic feature columns; ``chars`` (optional)
    scores the typography-normalised paragraph text with learned character
    n-grams; ``context`` combines both with the document context.
    ``roundtrip`` and ``spin`` are the optional members, each OR'd with the
    stages on the model's scale.
    """

    paragraph: Any
    chars: Any
    context: Any
    feature_names: tuple[str, ...]
    threshold: float
    clean_mean: np.ndarray
    clean_scale: np.ndarray
    direction: np.ndarray
    families: tuple[str, ...] | None = None
    reference: ReferenceStage | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    roundtrip: RoundTripMember | None = None
    spin: RoundTripMember | None = None

    def reference_scores(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For alignment rows: P(the candidate is the source), and the probability
        of 'mangled' on the scale of the model's threshold (the reference stage's
        own threshold maps onto it, so one threshold serves both modes)."""
        if self.reference is None:
            raise ModelError("this model has no reference stage; retrain it with "
                             "`python -m training.build_default` or use the default model")
        with _one_openmp_thread():
            source, spin = self.reference.predict(X)
        return source, rescale(spin, self.reference.threshold, self.threshold)

    def stage1_logits(self, X: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Stage-1 log-odds of 'mangled' from the features and from the characters."""
        if len(X) == 0:
            return np.zeros(0), np.zeros(0)
        with _one_openmp_thread():
            zf = logit(self.paragraph.predict_proba(X)[:, 1])
        if self.chars is None:
            return zf, np.zeros(len(zf))
        if self._chars_scorer is not None:
            decision = self._chars_scorer.decision_function(
                [normalize_typography(t) for t in texts])
            return zf, logit(1.0 / (1.0 + np.exp(-decision)))
        # In chunks: the n-gram matrix of a 10,000-paragraph file is ~250 MB at once.
        zc = np.concatenate([
            logit(self.chars.predict_proba(
                [normalize_typography(t) for t in texts[start:start + _CHARS_CHUNK]])[:, 1])
            for start in range(0, len(texts), _CHARS_CHUNK)
        ])
        return zf, zc

    @cached_property
    def _chars_scorer(self) -> CharNgramScorer | None:
        """The numpy scorer of the character stage, when it can reproduce it."""
        if self.chars is None or not CharNgramScorer.supports(self.chars):
            return None
        return CharNgramScorer(self.chars)

    def predict_proba(
        self,
        X: np.ndarray,
        texts: Sequence[str],
        document_rows: np.ndarray,
        doc_index: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Final probability of 'mangled' and the paragraph-alone probability
        (the same paragraph with no other paragraphs around it); with
        members, the highest of all on one scale."""
        final, alone, _, _ = self.predict_scores(X, texts, document_rows, doc_index)
        return final, alone

    def predict_scores(
        self,
        X: np.ndarray,
        texts: Sequence[str],
        document_rows: np.ndarray,
        doc_index: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """As :meth:`predict_proba`, plus the round-trip member's and the spin
        member's own scores in document on the model's scale (zeros without
        the member), so a reason can say which member flagged a paragraph."""
        zf, zc = self.stage1_logits(X, texts)
        if len(zf) == 0:
            return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
        context = context_matrix(zf, zc, document_rows, doc_index)
        alone = context_alone(context)
        with _one_openmp_thread():
            final = self.context.predict_proba(context)[:, 1]
            final_alone = self.context.predict_proba(alone)[:, 1]
            mapped = []
            for member in (self.roundtrip, self.spin):
                if member is None:
                    mapped.append(np.zeros(len(final)))
                    continue
                p, p_alone = member.probabilities(X, document_rows, doc_index)
                final = combine(final, p, self.threshold, member.threshold)
                final_alone = combine(final_alone, p_alone, self.threshold, member.threshold)
                mapped.append(rescale(p, member.threshold, self.threshold))
        return final, final_alone, mapped[0], mapped[1]

    def strongest_features(self, row: np.ndarray, k: int = 2) -> list[tuple[str, float]]:
        """The k features of a row that lie furthest from clean text, towards 'mangled'."""
        z = (row - self.clean_mean) / self.clean_scale * self.direction
        order = np.argsort(-z)[:k]
        return [(self.feature_names[i], float(z[i])) for i in order if z[i] > 1.0]


_CHARS_CHUNK = 1024


@lru_cache(maxsize=1)
def _thread_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_OPENMP_LIMIT = threading.Lock()


@contextmanager
def _one_openmp_thread() -> Iterator[None]:
    """A context in which gradient boosting predicts on one OpenMP thread. A
    window of paragraphs is predicted in milliseconds; more threads only add
    their start-up and, on a busy machine (or beside -j workers), spin for
    seconds waiting for a core. The limit is undone on leaving the context;
    a lock keeps threads that score at once from restoring each other's
    limit (the setting is per process)."""
    with _OPENMP_LIMIT, _thread_controller().limit(limits=1, user_api="openmp"):
        yield


def default_model_path() -> Path:
    """Where the shipped default model lives inside the installed package."""
    return Path(str(importlib_resources.files("detector").joinpath("models", "default.skops")))


def metadata_path(model_path: Path) -> Path:
    """The metadata JSON that sits beside a model file."""
    return model_path.with_suffix(".json")


def _versions() -> dict[str, str]:
    import sklearn

    return {"scikit-learn": sklearn.__version__, "numpy": np.__version__}


def save_model(model: DetectorModel, path: str | Path) -> Path:
    """Write the model (skops) and its metadata JSON atomically; return the model path."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "format": FORMAT_VERSION,
        "paragraph": model.paragraph,
        "chars": _pack_chars(model.chars),
        "context": model.context,
        "clean_mean": model.clean_mean,
        "clean_scale": model.clean_scale,
        "direction": model.direction,
        "reference": model.reference.pack() if model.reference is not None else None,
        "roundtrip_paragraph": model.roundtrip.paragraph if model.roundtrip else None,
        "roundtrip_context": model.roundtrip.context if model.roundtrip else None,
        "spin_paragraph": model.spin.paragraph if model.spin else None,
        "spin_context": model.spin.context if model.spin else None,
    }
    metadata = dict(model.metadata)
    metadata.update(
        {
            "format": FORMAT_VERSION,
            "feature_names": list(model.feature_names),
            "context_features": list(CONTEXT_FEATURES),
            "families": list(model.families) if model.families else None,
            "threshold": model.threshold,
            "versions": _versions(),
        }
    )
    if model.reference is not None:
        metadata["reference"] = {**metadata.get("reference", {}),
                                 "threshold": model.reference.threshold,
                                 "features": list(_reference_feature_names())}
    else:
        metadata.pop("reference", None)
    if model.roundtrip is not None:
        metadata["roundtrip"] = {**metadata.get("roundtrip", {}),
                                 "threshold": model.roundtrip.threshold}
    else:
        metadata.pop("roundtrip", None)
    if model.spin is not None:
        metadata["spin"] = {**metadata.get("spin", {}), "threshold": model.spin.threshold}
    else:
        metadata.pop("spin", None)
    _write_pair(
        path,
        sio.dumps(state),
        metadata_path(path),
        (json.dumps(metadata, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    )
    return path


def _write_pair(path: Path, data: bytes, meta_file: Path, meta: bytes) -> None:
    """Replace the model file and its metadata (each through
    :class:`detector.output.Output`) so that they always belong together: the
    model first, then the metadata; if the metadata cannot be replaced, the
    old model is put back (or the new one removed)."""
    from detector.output import Output

    old = path.read_bytes() if path.is_file() else None
    replaced = False
    try:
        with Output(meta_file, binary=True) as meta_out:
            meta_out.write(meta)
            with Output(path, binary=True) as model_out:
                model_out.write(data)
            replaced = True
    except BaseException:
        if replaced:
            if old is None:
                path.unlink(missing_ok=True)
            else:
                with Output(path, binary=True) as model_out:
                    model_out.write(old)
        raise


def _pack_chars(chars: Any) -> dict[str, Any] | None:
    """The character n-gram stage as arrays: skops would store the fitted
    vocabulary dict entry by entry (tens of MB of JSON, seconds to load)."""
    if chars is None:
        return None
    from sklearn.base import clone

    vectorizer = chars.named_steps["tfidf"]
    vocabulary = vectorizer.vocabulary_
    return {
        "vectorizer": clone(vectorizer),
        "terms": np.array(sorted(vocabulary, key=vocabulary.__getitem__)),
        "idf": vectorizer.idf_,
        "logistic": chars.named_steps["logistic"],
    }


def _unpack_chars(packed: dict[str, Any] | None) -> Any:
    """Rebuild the fitted character n-gram pipeline saved by :func:`_pack_chars`."""
    if packed is None:
        return None
    from sklearn.pipeline import Pipeline

    vectorizer = packed["vectorizer"]
    vectorizer.vocabulary_ = {term: i for i, term in enumerate(packed["terms"].tolist())}
    vectorizer.idf_ = packed["idf"]
    return Pipeline([("tfidf", vectorizer), ("logistic", packed["logistic"])])


def as_model(model: "DetectorModel | str | os.PathLike[str] | None") -> DetectorModel:
    """The model a ``model=`` argument names: None is the shipped model, a
    path is loaded (:class:`ModelError` if it cannot be), a
    :class:`DetectorModel` is itself; anything else is a TypeError."""
    if model is None:
        return load_model()
    if isinstance(model, DetectorModel):
        return model
    if isinstance(model, (str, os.PathLike)):
        return load_model(model)
    raise TypeError(f"model must be a DetectorModel, a model file path or None, "
                    f"not {type(model).__name__}")


def load_model(path: str | Path | None = None) -> DetectorModel:
    """Load a model file (the shipped default when ``path`` is None).

    Only skops files whose every type is on the trusted list load; a pickle,
    a tampered file or a model built by another scikit-learn version is refused
    with a :class:`ModelError` that says how to retrain.
    """
    if path is None:
        return _load_default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> DetectorModel:
    return _load(default_model_path())


_STATE_KEYS = ("paragraph", "chars", "context", "clean_mean", "clean_scale", "direction")


def _load(path: Path) -> DetectorModel:
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    meta_file = metadata_path(path)
    if not meta_file.is_file():
        raise ModelError(f"{path}: its metadata file {meta_file.name} is missing")
    try:
        metadata = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ModelError(f"{meta_file}: unreadable metadata ({type(exc).__name__}: {exc})") from None
    check_metadata(str(meta_file), metadata)
    _check_compatible(path, metadata)
    state = _safe_loads(path.read_bytes(), str(path))
    if not isinstance(state, dict) or state.get("format") not in READABLE_FORMATS:
        raise ModelError(f"{path}: not a detector model of format {FORMAT_VERSION}")
    missing = [key for key in _STATE_KEYS if key not in state]
    if missing:
        raise ModelError(f"{path}: incomplete model file, missing {', '.join(missing)}")
    if not all(hasattr(state[key], "predict_proba") for key in ("paragraph", "context")):
        raise ModelError(f"{path}: its model stages are not classifiers")
    from detector.features import FeatureExtractor

    families = metadata.get("families")
    expected = list(FeatureExtractor(dense_families(families)).fit().get_feature_names_out())
    if metadata.get("feature_names") != expected:
        raise ModelError(
            f"{path}: its feature names do not match this version's feature extractor; "
            "retrain it with `detector train`"
        )
    return DetectorModel(
        reference=_reference_stage(path, state.get("reference"), metadata),
        paragraph=state["paragraph"],
        chars=_unpack_chars(state["chars"]),
        context=state["context"],
        feature_names=tuple(expected),
        threshold=float(metadata["threshold"]),
        clean_mean=np.asarray(state["clean_mean"], dtype=np.float64),
        clean_scale=np.asarray(state["clean_scale"], dtype=np.float64),
        direction=np.asarray(state["direction"], dtype=np.float64),
        families=tuple(families) if families else None,
        metadata=metadata,
        roundtrip=_member(path, state, metadata, "roundtrip", "round-trip"),
        spin=_member(path, state, metadata, "spin", "spin"),
    )


def _member(path: Path, state: dict[str, Any], metadata: dict[str, Any], key: str,
            name: str) -> RoundTripMember | None:
    """The member saved under ``key`` in a model file (``roundtrip``, ``spin``),
    or None for a model without it; ``name`` is what messages call it."""
    paragraph, context = state.get(f"{key}_paragraph"), state.get(f"{key}_context")
    if paragraph is None and context is None:
        return None
    if not all(hasattr(m, "predict_proba") for m in (paragraph, context)):
        raise ModelError(f"{path}: its {name} member is not a pair of classifiers")
    try:
        threshold = float(metadata[key]["threshold"])
    except (KeyError, TypeError, ValueError):
        raise ModelError(f"{path}: its metadata has no {name} threshold") from None
    return RoundTripMember(paragraph, context, threshold)


def _safe_loads(data: bytes, origin: str) -> Any:
    """Load skops bytes whose every type is the detector's own or plain data
    (:func:`detector.model_file.audit_types`, which also caps the expanded
    size), or raise :class:`ModelError`; never unpickles."""
    import skops.io as sio

    found = audit_types(data, origin)
    try:
        return sio.loads(data, trusted=found)
    except Exception as exc:
        raise ModelError(f"{origin}: could not be loaded ({type(exc).__name__}: {exc})") from None


def _reference_feature_names() -> tuple[str, ...]:
    from detector.features.alignment import NAMES

    return NAMES


def _reference_stage(path: Path, packed: Any, metadata: dict[str, Any]) -> ReferenceStage | None:
    """The reference stage saved in a model file (loaded on first use), checked
    against this version's alignment columns; None for a model without one."""
    if packed is None:
        return None
    info = metadata.get("reference") or {}
    if not isinstance(packed, bytes):
        raise ModelError(f"{path}: its reference stage is not a packed pair of classifiers")
    if info.get("features") != list(_reference_feature_names()):
        raise ModelError(
            f"{path}: its reference stage was built for other alignment features; "
            "rebuild it with `python -m training.build_default`")
    try:
        threshold = float(info["threshold"])
    except (KeyError, TypeError, ValueError):
        raise ModelError(f"{path}: its metadata has no reference threshold") from None
    return ReferenceStage(threshold, packed=packed, origin=str(path))


def _check_compatible(path: Path, metadata: dict[str, Any]) -> None:
    import sklearn

    built = str(metadata.get("versions", {}).get("scikit-learn", "unknown"))
    running = sklearn.__version__
    if built.split(".")[:2] != running.split(".")[:2]:
        raise ModelError(
            f"{path}: built with scikit-learn {built}, but {running} is installed; "
            "install a matching scikit-learn or retrain with `detector train`"
        )
    if metadata.get("format") not in READABLE_FORMATS:
        raise ModelError(f"{path}: model format {metadata.get('format')} is not "
                         f"{' or '.join(map(str, READABLE_FORMATS))}")


def dense_families(families: Sequence[str] | None) -> list[str] | None:
    """The families computed by the FeatureExtractor (all but the learned 'chars')."""
    if families is None:
        return None
    return [f for f in families if f != CHARS_FAMILY]


def make_stage_estimators(random_state: int) -> tuple[Any, Any, Any]:
    """Fresh, unfitted stage-1 (features, characters) and stage-2 estimators."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    paragraph = HistGradientBoostingClassifier(
        max_iter=300,
        learning_rate=0.05,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=random_state,
    )
    chars = Pipeline([
        ("tfidf", TfidfVectorizer(
            analyzer="char", ngram_range=(1, 4), min_df=2, sublinear_tf=True,
            max_features=50_000, dtype=np.float32,
        )),
        ("logistic", LogisticRegression(C=1.0, max_iter=2000)),
    ])
    context = LogisticRegression(C=1.0, max_iter=1000)
    return paragraph, chars, context
