"""Plots for ``detector evaluate --plot``: ROC and precision-recall curves and
the score distribution of each label.

The figure's title names the data and how many records were scored; the ROC
and precision-recall titles give each model's area under the curve. The ROC
panel has one curve per model, and with ``groups`` one more per group value
(the overall curve in black, the groups in colours, the models told apart by
line style). The histograms draw clean and mangled in two fixed colours, and
the threshold is a thick line there and a large marker on each overall ROC
curve, in a colour used for nothing else.

matplotlib is an optional extra (``pip install 'detector[plot]'``); it is
imported only here, and only when a plot is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from detector.errors import DataError

__all__ = ["CLEAN_COLOUR", "MANGLED_COLOUR", "MAX_GROUPS", "THRESHOLD_COLOUR", "ModelScores",
           "check_plot_path", "evaluation_figure", "plot_evaluation"]


ModelScores = tuple[str, np.ndarray, float]  # (model name, document scores, threshold)

CLEAN_COLOUR = "#2166ac"  # blue
MANGLED_COLOUR = "#d6604d"  # red
THRESHOLD_COLOUR = "#7b2cbf"  # purple: no curve or bar has it
# Colours of the group curves (matplotlib's tab10 without its purple).
_GROUP_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#8c564b", "#e377c2",
                  "#7f7f7f", "#bcbd22", "#17becf")
MAX_GROUPS = len(_GROUP_COLOURS)  # more groups than this: the largest are drawn, the rest counted
_STYLES = ("-", "--", ":", "-.")


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


def _short(name: str) -> str:
    return Path(name).name or name


def _roc(ax: Any, y: np.ndarray, s: np.ndarray, colour: str, style: str, label: str,
         width: float) -> float | None:
    """One ROC curve; its AUC, or None (and no curve) when one label is missing."""
    from sklearn.metrics import roc_auc_score, roc_curve

    if len(set(y.tolist())) < 2:
        ax.plot([], [], color=colour, linestyle=style, label=f"{label}: one label only (n={len(y)})")
        return None
    fpr, tpr, _ = roc_curve(y, s)
    auc = float(roc_auc_score(y, s))
    ax.plot(fpr, tpr, color=colour, linestyle=style, linewidth=width,
            label=f"{label}: AUC {auc:.3f} (n={len(y)})")
    return auc


def _group_order(groups: np.ndarray) -> list[str]:
    values, counts = np.unique(groups.astype(str), return_counts=True)
    return [str(v) for v, _ in sorted(zip(values, counts), key=lambda vc: (-vc[1], vc[0]))]


def evaluation_figure(labels: np.ndarray, models: Sequence[ModelScores],
                      groups: np.ndarray | None = None, data_name: str = "data") -> Any:
    """The matplotlib figure of :func:`plot_evaluation` (close it when done).
    Unscored records (NaN scores) are left out."""
    plt = _pyplot()
    from sklearn.metrics import average_precision_score, precision_recall_curve

    labels = np.asarray(labels, dtype=int)
    figure, (roc_ax, pr_ax, hist_ax) = plt.subplots(1, 3, figsize=(15, 5))
    bins = np.linspace(0.0, 1.0, 41)
    grouped = groups is not None and len(groups) == len(labels)
    order = _group_order(np.asarray(groups)) if grouped else []
    shown, hidden = order[:MAX_GROUPS], order[MAX_GROUPS:]
    aucs, aps, counts = [], [], []
    for number, (name, scores, threshold) in enumerate(models):
        keep = ~np.isnan(scores)
        y, s = labels[keep], scores[keep]
        counts.append((int(keep.sum()), int((y == 0).sum()), int((y == 1).sum())))
        style = _STYLES[number % len(_STYLES)] if grouped else "-"
        colour = "black" if grouped else _GROUP_COLOURS[number % len(_GROUP_COLOURS)]
        tag = _short(name) if len(models) > 1 else "all"
        overall = f"all, {tag}" if grouped and len(models) > 1 else tag
        for k, group in enumerate(shown):
            rows = keep & (np.asarray(groups).astype(str) == group)
            _roc(roc_ax, labels[rows], scores[rows], _GROUP_COLOURS[k], style,
                 f"{group}, {tag}" if len(models) > 1 else group, 1.5)
        aucs.append(_roc(roc_ax, y, s, colour, style, overall, 2.5))
        if aucs[-1] is not None:
            flagged = s >= threshold
            roc_ax.plot([flagged[y == 0].mean()], [flagged[y == 1].mean()], marker="D",
                        markersize=12, color=THRESHOLD_COLOUR, markeredgecolor="white",
                        linestyle="none", zorder=5, clip_on=False,
                        label=f"threshold {threshold:.2f}" + (f", {tag}" if len(models) > 1 else ""))
            precision, recall, _ = precision_recall_curve(y, s)
            aps.append(float(average_precision_score(y, s)))
            pr_ax.plot(recall, precision, color=colour, linestyle=style, linewidth=2,
                       label=f"{tag}: AP {aps[-1]:.3f}")
        else:
            aps.append(None)
        for label, colour_of, word in ((0, CLEAN_COLOUR, "clean"), (1, MANGLED_COLOUR, "mangled")):
            values = s[y == label]
            if len(values):
                hist_ax.hist(values, bins=bins, histtype="stepfilled", color=colour_of, alpha=0.25,
                             density=True)
                hist_ax.hist(values, bins=bins, histtype="step", color=colour_of, linewidth=2,
                             linestyle=_STYLES[number % len(_STYLES)], density=True,
                             label=(f"{tag}: " if len(models) > 1 else "") + f"{word} (n={len(values)})")
        hist_ax.axvline(threshold, color=THRESHOLD_COLOUR, linewidth=3,
                        linestyle=_STYLES[number % len(_STYLES)],
                        label=f"threshold {threshold:.2f}" + (f", {tag}" if len(models) > 1 else ""))
    if hidden:
        roc_ax.plot([], [], linestyle="none", label=f"{len(hidden)} smaller groups not drawn")
    roc_ax.plot([0, 1], [0, 1], color="grey", linewidth=0.5)
    roc_ax.set(title="ROC: " + _by_model("AUC", aucs, models), xlabel="false-positive rate",
               ylabel="true-positive rate", xlim=(0, 1), ylim=(0, 1.02))
    pr_ax.set(title="precision-recall: " + _by_model("average precision", aps, models),
              xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
    hist_ax.set(title="document scores by label", xlabel="score", ylabel="density")
    for ax in (roc_ax, pr_ax, hist_ax):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
    n, n_clean, n_mangled = counts[0]
    figure.suptitle(f"{data_name}: {n} records scored ({n_clean} clean, {n_mangled} mangled)",
                    fontsize="large")
    figure.tight_layout()
    return figure


def _by_model(what: str, values: Sequence[float | None], models: Sequence[ModelScores]) -> str:
    def one(value: float | None) -> str:
        return "needs both labels" if value is None else f"{what} {value:.3f}"

    if len(models) == 1:
        return one(values[0])
    return "\n" + "\n".join(f"{_short(name)}: {one(v)}" for (name, _, _), v in zip(models, values))


def plot_evaluation(labels: np.ndarray, models: Sequence[ModelScores], path: str | Path,
                    sources: Sequence[str | Path] = (), groups: np.ndarray | None = None,
                    data_name: str = "data") -> Path:
    """Write a PNG (or any format matplotlib infers from ``path``) with ROC,
    precision-recall and score-distribution panels (:func:`evaluation_figure`),
    through :class:`detector.io.output.Output` (never over one of ``sources``)."""
    path = check_plot_path(path)
    plt = _pyplot()
    figure = evaluation_figure(labels, models, groups, data_name)
    from detector.io.output import Output

    try:
        with Output(path, sources, binary=True) as out:
            figure.savefig(out, dpi=100, format=path.suffix.lstrip(".").lower())
    finally:
        plt.close(figure)
    return path
