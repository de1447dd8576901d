"""Drivers for other tools' pipelines, over the public API (:mod:`detector`).

Each module needs its tool, installed with the extra of the same name
(``pip install 'detector[datatrove]'``); importing this package imports none
of them.
"""
