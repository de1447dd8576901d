"""Metric tables as text: the columns, the cells, and the table ``evaluate``
and ``train`` print."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

__all__ = ["METRIC_COLUMNS", "metric_cell", "metrics_table"]


METRIC_COLUMNS = ("roc_auc", "accuracy", "precision", "recall", "f1", "fpr", "n")


def metric_cell(value: object) -> str:
    """One metric for a plain-text table: three decimals, '-' when undefined."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def metrics_table(
    titles: Sequence[str], rows: Sequence[tuple[Sequence[str], Mapping[str, Any]]]
) -> list[str]:
    """The lines of a table: one row per ``(labels, metrics)``, the labels
    under ``titles`` (left-aligned), then the :data:`METRIC_COLUMNS`."""
    widths = [max(len(title), *(len(labels[k]) for labels, _ in rows))
              for k, title in enumerate(titles)]
    head = "  ".join(f"{title:{w}}" for title, w in zip(titles, widths))
    lines = [head + "  " + "  ".join(f"{c:>9}" for c in METRIC_COLUMNS)]
    for labels, metrics in rows:
        names = "  ".join(f"{part:{w}}" for part, w in zip(labels, widths))
        cells = "  ".join(f"{metric_cell(metrics.get(c)):>9}" for c in METRIC_COLUMNS)
        lines.append(f"{names}  {cells}")
    return lines
