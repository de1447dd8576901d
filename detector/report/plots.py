"""Plots for ``detector evaluate --plot``: ROC and precision-recall curves and
the score distribution of each label, one curve per model.

matplotlib is an optional extra (``pip install 'detector[plot]'``); it is
imported only here, and only when a plot is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from detector.errors import DataError

__all__ = ["ModelScores", "check_plot_path", "plot_evaluation"]


ModelScores = tuple[str, np.ndarray, float]  # (model name, document scores, threshold)


def _pyplot():  # type: ignore[no-untyped-def]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise DataError("--plot needs matplotlib: pip install 'detector[plot]'") from None
    return plt


def check_plot_path(path: str | Path) -> Path:
    """The file a plot will be written to, checked before any scoring: matplotlib
    importable, not a directory, its directory present. No extension means .png."""
    _pyplot()
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: is a directory; give a file name such as curves.png")
    if not path.parent.is_dir():
        raise DataError(f"{path}: cannot write the plot (no directory {path.parent})")
    return path if path.suffix else path.with_suffix(".png")


def plot_evaluation(labels: np.ndarray, models: Sequence[ModelScores], path: str | Path,
                    sources: Sequence[str | Path] = ()) -> Path:
    """Write a PNG (or any format matplotlib infers from ``path``) with ROC,
    precision-recall and score-distribution panels, through
    :class:`detector.io.output.Output` (never over one of ``sources``).
    Unscored records (NaN) are left out. Curves that one label cannot define
    are omitted and say so."""
    path = check_plot_path(path)
    plt = _pyplot()
    from sklearn.metrics import precision_recall_curve, roc_curve

    labels = np.asarray(labels, dtype=int)
    figure, (roc_ax, pr_ax, hist_ax) = plt.subplots(1, 3, figsize=(15, 4.5))
    both = len(set(labels.tolist())) == 2
    bins = np.linspace(0.0, 1.0, 41)
    for number, (name, scores, threshold) in enumerate(models):
        keep = ~np.isnan(scores)
        y, s = labels[keep], scores[keep]
        colour = f"C{number}"
        if both and len(set(y.tolist())) == 2:
            fpr, tpr, _ = roc_curve(y, s)
            roc_ax.plot(fpr, tpr, color=colour, label=name)
            precision, recall, _ = precision_recall_curve(y, s)
            pr_ax.plot(recall, precision, color=colour, label=name)
            flagged = s >= threshold
            roc_ax.plot([flagged[y == 0].mean()], [flagged[y == 1].mean()], "o", color=colour)
        for label, style in ((0, "-"), (1, "--")):
            values = s[y == label]
            if len(values):
                hist_ax.hist(values, bins=bins, histtype="step", linestyle=style, color=colour,
                             density=True, label=f"{name}: {'clean' if label == 0 else 'mangled'}")
        hist_ax.axvline(threshold, color=colour, linewidth=0.8)
    if not both:
        for ax in (roc_ax, pr_ax):
            ax.text(0.5, 0.5, "needs both labels", ha="center", va="center",
                    transform=ax.transAxes)
    roc_ax.plot([0, 1], [0, 1], color="grey", linewidth=0.5)
    roc_ax.set(title="ROC (dot: the threshold)", xlabel="false-positive rate",
               ylabel="true-positive rate", xlim=(0, 1), ylim=(0, 1))
    pr_ax.set(title="precision-recall", xlabel="recall", ylabel="precision",
              xlim=(0, 1), ylim=(0, 1.02))
    hist_ax.set(title="document scores (line: threshold)", xlabel="score", ylabel="density")
    for ax in (roc_ax, pr_ax, hist_ax):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
    figure.tight_layout()
    from detector.io.output import Output

    try:
        with Output(path, sources, binary=True) as out:
            figure.savefig(out, dpi=100, format=path.suffix.lstrip(".").lower())
    finally:
        plt.close(figure)
    return path
