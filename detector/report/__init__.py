"""Renderers: text, JSON, SARIF, HTML, tables and plots from the result objects."""
