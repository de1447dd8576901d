"""Metric tables as text: the columns and the cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

__all__ = ["METRIC_COLUMNS", "metric_cell"]


METRIC_COLUMNS = ("roc_auc", "accuracy", "precision", "recall", "f1", "fpr", "n")


def metric_cell(value: object) -> str:
    """One metric for a plain-text table: three decimals, '-' when undefined."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
