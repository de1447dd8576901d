"""Scoring: documents, explanations, batches of files, matching, evaluation, Dask."""
