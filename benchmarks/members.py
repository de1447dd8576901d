"""What each member of a model catches, and what a stricter main-stage cut costs.

    python -m benchmarks.members [--model M] [--out benchmarks/out/members.md]

On the held-out documents of ``benchmarks.roundtrip`` (never seen by any
model the recipe builds) and their copies through the held-out pivots and the
held-out spinner, each document featurized whole as scoring does:

- per member (the main stages, the round-trip member, the spin member), its
  own score on the model's scale: paragraph and document ROC-AUC of each kind
  of copy against the clean documents, and the clean share it flags;
- for a few stricter cuts of the main stages alone (their scores mapped so the
  cut lands on the model's threshold, the members unchanged), the clean share
  flagged, seed 002's paragraphs flagged and its lowest paragraph's margin,
  and the epo ROC-AUC.

Document scores are the paragraph-length-weighted mean, as ``score_document``
computes them. Seed 002 is featurized the same way, as one document of its
prose paragraphs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from benchmarks.roundtrip import KINDS, held_out_documents, make_copies, roc_auc
from detector.fit.training_matrix import LabelledDocument, TrainingMatrix, featurize
from detector.model.context import context_matrix, rescale
from detector.model.persistence import load_model
from detector.segment.paragraphs import split_paragraphs

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_002 = REPO_ROOT / "seeds" / "002_2c1e469cce9ae44f.txt"
CUTS = (0.75, 0.78, 0.80, 0.85, 0.90)


def _matrix(documents: list[list[str]], label: int) -> TrainingMatrix:
    labelled = [LabelledDocument(tuple(d), (label,) * len(d), f"g{i}", "set")
                for i, d in enumerate(documents)]
    return featurize(labelled, n_jobs=2)


def _parts(model, m: TrainingMatrix) -> dict[str, np.ndarray]:
    """Each member's score in document on the model's scale, and the weights."""
    zf, zc = model.stage1_logits(m.X, list(m.texts))
    main = model.context.predict_proba(context_matrix(zf, zc, m.document_rows, m.doc_index))[:, 1]
    _, _, tripped, spun = model.predict_scores(m.X, list(m.texts), m.document_rows, m.doc_index)
    weights = np.array([max(1, len(t)) for t in m.texts], dtype=np.float64)
    return {"main": main, "roundtrip": tripped, "spin": spun, "w": weights, "doc": m.doc_index}


def _doc(values: np.ndarray, part: dict[str, np.ndarray]) -> np.ndarray:
    n = int(part["doc"].max()) + 1
    return (np.bincount(part["doc"], values * part["w"], n)
            / np.bincount(part["doc"], part["w"], n))


def run(model_path: str | None) -> list[str]:
    """The report's markdown lines."""
    model = load_model(model_path)
    t = model.threshold
    held = held_out_documents(None)
    documents = [doc for _, _, doc in held]
    sets = {"clean": _matrix(documents, 0)}
    for kind in KINDS:
        sets[kind] = _matrix(make_copies(held, kind), 1)
    seed = [s.text for s in split_paragraphs(SEED_002.read_text(encoding="utf-8"))
            if s.skipped is None]
    parts = {name: _parts(model, m) for name, m in sets.items()}
    seed_part = _parts(model, _matrix([seed], 1))
    clean = parts["clean"]
    lines = ["# Members and the main-stage cut (`python -m benchmarks.members`)", "",
             f"Model: `{model_path or 'the default model'}`, threshold {t:.4f}; "
             f"{len(clean['w'])} clean paragraphs in {len(documents)} held-out documents.", "",
             "| member | clean paragraphs flagged | clean documents flagged | "
             + " | ".join(f"{k} paragraph / document ROC-AUC" for k in KINDS) + " |",
             "|---" * (3 + len(KINDS)) + "|"]
    for member in ("main", "roundtrip", "spin"):
        if member != "main" and getattr(model, member) is None:
            continue
        cells = [f"{roc_auc(parts[k][member], clean[member]):.3f} / "
                 f"{roc_auc(_doc(parts[k][member], parts[k]), _doc(clean[member], clean)):.3f}"
                 for k in KINDS]
        lines.append(f"| {member} | {np.mean(clean[member] >= t):.3f} | "
                     f"{np.mean(_doc(clean[member], clean) >= t):.3f} | " + " | ".join(cells) + " |")
    lines += ["", "| main-stage cut | clean paragraphs / documents flagged | seed 002 "
              "paragraphs flagged | lowest 002 paragraph - threshold | epo paragraph / "
              "document ROC-AUC |", "|---|---|---|---|---|"]

    def final(part: dict[str, np.ndarray], cut: float) -> np.ndarray:
        return np.maximum.reduce([rescale(part["main"], cut, t), part["roundtrip"], part["spin"]])

    for cut in (t, *CUTS):
        fc, fs, fe = final(clean, cut), final(seed_part, cut), final(parts["epo"], cut)
        lines.append(
            f"| {cut:.3f}{' (its own)' if cut == t else ''} | {np.mean(fc >= t):.3f} / "
            f"{np.mean(_doc(fc, clean) >= t):.3f} | {int(np.sum(fs >= t))} of {len(fs)} | "
            f"{fs.min() - t:+.3f} | {roc_auc(fe, fc):.3f} / "
            f"{roc_auc(_doc(fe, parts['epo']), _doc(fc, clean)):.3f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    parser.add_argument("--out", default=str(REPO_ROOT / "benchmarks" / "out" / "members.md"))
    args = parser.parse_args()
    lines = run(args.model)
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
