"""``detector.train``: the user's labelled pairs in, a saved model and its report out.

The same fitting code builds the shipped model (``training/build_default.py``);
``base="default"`` adds the user's pairs to that model's training data, which
the repository's ``training/`` recipe rebuilds from public data. Bases are
found through entry points (``detector.bases``), so this package never
imports ``training``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from detector.errors import DataError
from detector.fit.detector_fitting import DEFAULT_TARGET_FPR, fit_detector
from detector.fit.progress import progress_bar
from detector.fit.training_matrix import LabelledDocument, featurize
from detector.fit.pairs import JsonlFields, read_training_data
from detector.model.detector_model import DetectorModel
from detector.model.persistence import save_model
from detector.report.tables import metrics_table

__all__ = ["BASE_GROUP", "available_bases", "format_report", "train"]


# The entry-point group through which installed packages provide bases.
BASE_GROUP = "detector.bases"


def available_bases() -> dict[str, Any]:
    """The bases installed packages provide, by name (entry points of the
    ``detector.bases`` group; this repository's checkout provides ``default``)."""
    from importlib.metadata import entry_points

    return {point.name: point for point in entry_points(group=BASE_GROUP)}


def _base_documents(base: str, seed: int) -> tuple[list[LabelledDocument], dict[str, Any]]:
    """The training documents of a named base, rebuilt by the package that provides it."""
    bases = available_bases()
    if base not in bases:
        known = ", ".join(sorted(bases)) or "none is installed"
        raise DataError(f"unknown base {base!r}; choose from {known} (the 'default' base "
                        "comes with a checkout of the detector repository installed with "
                        "pip install -e '.[train]')")
    try:
        build = bases[base].load()
    except ImportError as exc:
        raise DataError(f"the {base!r} base cannot be loaded ({exc}); install the training "
                        "extras from the checkout: pip install -e '.[train]'") from None
    try:
        return build(seed)
    except ImportError as exc:
        raise DataError(f"the {base!r} base needs a missing package ({exc}); install the "
                        "training extras from the checkout: pip install -e '.[train]'") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise DataError(f"cannot rebuild the {base!r} training data: {exc}") from None


def _check_families(families: Sequence[str] | None) -> None:
    from detector.features import FAMILIES
    from detector.model.detector_model import CHARS_FAMILY

    if families is None:
        return
    known = [*FAMILIES, CHARS_FAMILY]
    unknown = [f for f in families if f not in known]
    if not families:
        raise DataError("no feature families given")
    if not unknown and all(f == CHARS_FAMILY for f in families):
        raise DataError(f"'{CHARS_FAMILY}' needs at least one other feature family beside it "
                        f"(choose from {', '.join(FAMILIES)})")
    if unknown:
        raise DataError(f"unknown feature families {unknown}; choose from {', '.join(known)}")


def train(
    paths: Iterable[str | Path] = (),
    *,
    pairs: Iterable[tuple[str | Path, str | Path]] = (),
    output: str | Path | None = None,
    base: str | None = None,
    families: Sequence[str] | None = None,
    seed: int = 0,
    target_fpr: float = DEFAULT_TARGET_FPR,
    n_jobs: int = 1,
    progress: bool = False,
    fields: JsonlFields = JsonlFields(),
) -> DetectorModel:
    """Fit a detector on labelled data and, with ``output``, save it (atomically).

    ``paths`` are directories of ``NAME.clean.txt``/``NAME.mangled.txt`` files
    or JSON Lines files (``fields`` names their text, label and group
    fields); ``pairs`` are (clean, mangled) text files. ``base``
    ("default") adds the shipped model's training data. The threshold keeps
    the cross-validated false-positive rate on clean paragraphs at
    ``target_fpr``. Raises :class:`DataError` for unusable data.
    """
    if not 0.0 < target_fpr < 1.0:
        raise DataError(f"target false-positive rate must be between 0 and 1, not {target_fpr}")
    if not 0 <= seed < 2**32:
        raise DataError(f"seed must be between 0 and 2**32 - 1, not {seed}")
    if n_jobs == 0 or n_jobs < -1:
        raise DataError(f"jobs must be a positive number of processes or -1 (all), not {n_jobs}")
    _check_families(families)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths, pairs = list(paths), list(pairs)
    if output is not None:
        _check_output(Path(output), [*map(Path, paths), *(Path(p) for pair in pairs for p in pair)])
    data = read_training_data(paths, pairs, fields, require_both_labels=base is None)
    documents = list(data.documents)
    info: dict[str, Any] = {"data": data.summary(), "base": None}
    if base is not None:
        extra, info["base"] = _base_documents(base, seed)
        documents.extend(extra)
    matrix = featurize(documents, families=families, n_jobs=n_jobs,
                       progress=progress_bar("features") if progress else None)
    model = fit_detector(matrix, families=families, seed=seed, target_fpr=target_fpr,
                         progress=progress_bar("fitting") if progress else None,
                         metadata={"training": info})
    if output is not None:
        try:
            save_model(model, output)
        except OSError as exc:
            raise DataError(f"{output}: cannot write the model ({exc.strerror or exc})") from None
    return model


def _check_output(output: Path, inputs: list[Path]) -> None:
    """Refuse, before any training, an output that cannot be written or that
    would overwrite (or, for an older model's metadata beside it, remove) an input."""
    from detector.io.output import read_only, refuse_inputs
    from detector.model.metadata import stale_metadata

    if output.suffix.lower() == ".json":
        raise DataError(f"{output}: a model file cannot end in .json (it is a zip archive, and "
                        ".json names the metadata of older models); use .skops")
    if output.is_dir():
        raise DataError(f"{output}: is a directory; give a model file name such as model.skops")
    stale = stale_metadata(output)
    for written in (output, *([stale] if stale is not None else [])):
        refuse_inputs(written, inputs)
    if read_only(output):
        raise DataError(f"{output}: is read-only; refusing to replace it")
    parent = output.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise DataError(f"{output}: cannot write the model ({parent} is not a directory)")
    if not os.access(parent, os.W_OK):
        raise DataError(f"{output}: cannot write the model (no permission to write in {parent})")


def _dropped_line(label: str, count: int, names: list[str]) -> str:
    """One report line for texts left out of training: how many, the first five by name."""
    shown = names[:5]
    more = count - len(shown)
    return f"  {label}: {count} (" + ", ".join(shown) + (f" and {more} more" if more > 0 else "") + ")"


def format_report(model: DetectorModel) -> str:
    """The training report of a model as a plain-text table."""
    training = model.metadata.get("training", {})
    lines = []
    data = training.get("data")
    if data:
        counts = data["counts"]
        lines.append("training data")
        lines.append(f"  {'label':8}  {'documents':>9}  {'paragraphs':>10}  {'groups':>6}")
        for label in ("clean", "mangled"):
            row = counts[label]
            lines.append(f"  {label:8}  {row['documents']:>9}  {row['paragraphs']:>10}  {row['groups']:>6}")
        for key, label in (("duplicates", "duplicated texts counted once"),
                           ("conflicts", "texts given with both labels, every copy left out")):
            if data.get(f"{key}_dropped"):
                lines.append(_dropped_line(label, data[f"{key}_dropped"], data.get(key, [])))
    if training.get("base"):
        lines.append("  plus the default model's training data")
    cv = training.get("cv", {})
    chosen = (f"chosen for a false-positive rate of {training.get('target_fpr')}"
              if cv.get("method") else "a fallback: no cross-validation to choose one")
    lines.append(f"paragraphs {training.get('n_paragraphs')} in {training.get('n_groups')} groups; "
                 f"threshold {model.threshold:.3g} ({chosen})")
    if cv.get("method") is None:
        lines.append(f"cross-validation: not possible ({cv.get('why_missing')})")
    else:
        lines.append(f"cross-validation: {cv['method']}")
        rows = [([name], cv[key]) for name, key in (("final", "final"), ("features only", "features_stage"),
                                                     ("chars only", "chars_stage")) if key in cv]
        lines.extend("  " + line for line in metrics_table([""], rows))
    return "\n".join(lines) + "\n"
